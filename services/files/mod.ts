// services/files: svc.files.* (routes, tickets, listings, deletes, chat links) on hosts.
export { startFilesService, fileInfo, type FilesServiceOptions } from './service.ts';
