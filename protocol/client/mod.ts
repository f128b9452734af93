// protocol/client: the TypeScript client library (TCP or WebSocket).
export { TroupeClient, discoverGateway, type ClientOptions, type PushMessage } from './client.ts';
export { openTransport, type ClientTransport } from './transport.ts';
export { ChatSession, type ChatEntry, type ChatSessionOptions } from './chat.ts';
export { ClockEstimator, type ClockSample, type ClockEstimatorOptions } from './clock.ts';
export { decide, initialSyncState, defaultSyncOptions, type SyncOptions, type SyncState, type SyncDecision, type PlayerView } from './sync.ts';
export { WatchSession, ClockSync, localNow, type WatchClient, type WatchReport, type WatchSessionOptions, type ClockSyncOptions } from './watch.ts';
