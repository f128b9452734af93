// protocol/client: the TypeScript client library (TCP or WebSocket).
export { TroupeClient, discoverGateway, fetchGateways, type ClientOptions, type ClientEvents, type PushMessage } from './client.ts';
export { failoverOrder, gatewayUrl, type Gateway, type Via } from './gateways.ts';
export type { ClientTransport, TransportEvents } from './transport.ts';
export { openTransport } from '#client-transport';
export { ChatSession, type ChatEntry, type ChatSessionOptions, type ChatSessionEvents } from './chat.ts';
export { Emitter } from './emitter.ts';
export { ClockEstimator, type ClockSample, type ClockEstimatorOptions } from './clock.ts';
export { decide, initialSyncState, defaultSyncOptions, browserSyncOptions, type SyncOptions, type SyncState, type SyncDecision, type PlayerView } from './sync.ts';
export { WatchSession, ClockSync, localNow, type WatchClient, type WatchReport, type WatchSessionOptions, type ClockSyncOptions } from './watch.ts';
