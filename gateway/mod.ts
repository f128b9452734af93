// gateway: the TCP / WebSocket / HTTP edge. Client frames are parsed and checked in
// connection.ts and become calls into the system in handlers/.
export { Gateway, startGateway, type GatewayOptions, type GatewayConfig } from './server.ts';
export { HttpRoutes, readJson, type RouteHandler, type RouteResult } from './http.ts';
export type { Connection, Session } from './connection.ts';
export type { UserEvent } from './sessions.ts';
