// services/library: svc.library.* (the public movie library, and what a member may pick to watch).
export { startLibraryService } from './service.ts';
