// protocol/client: the TypeScript client library (TCP or WebSocket).
export { TroupeClient, discoverGateway, fetchGateways, type ClientOptions, type ClientEvents, type PushMessage } from './client.ts';
export { failoverOrder, gatewayUrl, type Gateway, type Via } from './gateways.ts';
export type { ClientTransport, TransportEvents } from './transport.ts';
export { openTransport } from '#client-transport';
export { ChatSession, type ChatEntry, type ChatSessionOptions, type ChatSessionEvents } from './chat.ts';
export { Emitter } from './emitter.ts';
