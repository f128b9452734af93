// protocol/client: the TypeScript client library (TCP or WebSocket).
export { TroupeClient, discoverGateway, type ClientOptions, type PushMessage } from './client.ts';
export { openTransport, type ClientTransport } from './transport.ts';
export { ChatSession, type ChatEntry, type ChatSessionOptions } from './chat.ts';
