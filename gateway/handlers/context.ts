// What an op handler gets: its connection and the gateway's links to the rest of the system.
import type { NatsConnection } from '@nats-io/transport-node';
import type { Connection } from '../connection.ts';
import type { SessionHub } from '../sessions.ts';
import type { OpName, RequestOf, ResponseOf, GatewayAddress, Static } from '../../protocol/mod.ts';
import type { ActorClient } from '../../actors/runtime/mod.ts';

export interface GatewayLinks {
  nc: NatsConnection;
  nodeId: string;
  /** This gateway process: `<node id>@<start time>`; connections are named `<instance>/<id>`. */
  instance: string;
  sessions: SessionHub;
  actors: ActorClient;
  requestTimeoutMs: number;
  loginTimeoutMs: number;
  /** The live gateways, least-loaded first (the KV nodes registry, draining ones left out). */
  gateways(): Promise<Static<typeof GatewayAddress>[]>;
}

export interface HandlerContext {
  conn: Connection;
  gw: GatewayLinks;
}

export type Handler<N extends OpName> = (ctx: HandlerContext, req: RequestOf<N>) => Promise<ResponseOf<N>>;
export type HandlerTable<N extends OpName> = { [K in N]: Handler<K> };
