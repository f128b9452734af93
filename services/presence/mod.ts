// services/presence: presence queries and the reaper of dead gateways' connections.
export { startPresenceService } from './service.ts';
export { startGatewayReaper, type ReaperDeps } from './reaper.ts';
