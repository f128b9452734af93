// services/watch: svc.watch.* (viewer reports relayed to the room; the watched rooms listing).
export { startWatchService } from './service.ts';
