// A gateway: TCP, WebSocket and HTTP edges in front of the system, registered in KV nodes with its
// load so the login endpoint (/api/gateways) can send clients to the least-loaded one.
import net from 'node:net';
import http from 'node:http';
import type { NatsConnection } from '@nats-io/transport-node';
import { buckets } from '../protocol/mod.ts';
import { logger, openKv, NodeRegistration, NodeDirectory, callService, type ConfigOf } from '../lib/mod.ts';
import { Connection, type ConnectionHost, type ConnectionLimits } from './connection.ts';
import { tcpConnection } from './tcp.ts';
import { WebSocketEdge } from './websocket.ts';
import { HttpRoutes, metricsRoute } from './http.ts';
import { adminRoutes } from './admin.ts';
import { SessionHub } from './sessions.ts';
import { handlers, type GatewayLinks } from './handlers/mod.ts';
import { readPartitionCount, natsActorClient, type ActorClient } from '../actors/runtime/mod.ts';
import { gatewayMetrics as m } from './metrics.ts';

export type GatewayConfig = ConfigOf<'gateway'>;

export interface GatewayOptions {
  config: GatewayConfig;
  nc: NatsConnection;
  nodeId: string;
}

const log = logger('gateway');

export class Gateway implements ConnectionHost {
  readonly connections = new Set<Connection>();
  readonly sessions: SessionHub;
  readonly routes = new HttpRoutes();
  readonly limits: ConnectionLimits;
  links!: GatewayLinks;
  readonly instance: string;
  private actors?: ActorClient;
  private tcpServer?: net.Server;
  private httpServer?: http.Server;
  private ws?: WebSocketEdge;
  private registration?: NodeRegistration;
  private sweep?: NodeJS.Timeout;
  private directory?: NodeDirectory;
  private stopping = false;
  tcpPort = 0;
  httpPort = 0;

  constructor(private readonly opts: GatewayOptions) {
    const c = opts.config;
    this.limits = {
      rateBurst: c.rateBurst, ratePerSecond: c.ratePerSecond, maxInFlight: c.maxInFlight,
      loginTimeoutMs: c.loginTimeoutMs, idleTimeoutMs: c.idleTimeoutMs, maxBufferedBytes: c.maxBufferedBytes,
    };
    // a closed or logged-out connection stops watching: its rooms' watch actors release it
    this.sessions = new SessionHub(opts.nc, (conn, rid) => {
      this.actors?.send('watch', rid, { type: 'leave', conn: conn.key }, { key: `${conn.key}#${conn.logins}:watch-leave:${rid}` })
        .catch((e) => log.warn({ err: (e as Error).message, rid }, 'watch leave report failed'));
    });
    this.instance = `${opts.nodeId}@${Date.now().toString(36)}`;
    this.routes.add('GET', '/healthz', async () => ({ json: { ok: !this.opts.nc.isClosed(), id: this.opts.nodeId, connections: this.connections.size } }));
    this.routes.add('GET', '/metrics', metricsRoute());
    this.routes.add('GET', '/api/gateways', async () => ({ json: { gateways: await this.liveGateways() } }));
    if (c.adminToken) adminRoutes(this.routes, () => this.links, c.adminToken);
  }

  get id(): string {
    return this.opts.nodeId;
  }

  dispatch(conn: Connection, op: string, fields: unknown): Promise<object> {
    const handler = (handlers as Record<string, (ctx: unknown, req: unknown) => Promise<object>>)[op];
    return handler({ conn, gw: this.links }, fields);
  }

  closed(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    m.connections.labels(conn.transport.kind).dec();
    this.sessions.detach(conn, 'disconnect');
  }

  /** Admits a new connection, or refuses it when the gateway is full or stopping. */
  private admit(make: () => Connection): Connection | null {
    const conn = make();
    if (this.stopping || this.connections.size >= this.opts.config.maxConnections) {
      conn.fail(this.stopping ? 'unavailable' : 'too_many_connections', this.stopping ? 'the gateway is shutting down' : `this gateway holds its maximum of ${this.opts.config.maxConnections} connections`);
      return null;
    }
    conn.key = `${this.instance}/${conn.id}`;
    this.connections.add(conn);
    m.accepted.labels(conn.transport.kind).inc();
    m.connections.labels(conn.transport.kind).inc();
    return conn;
  }

  /** Tells the user actor about every login and every goodbye on this gateway. */
  private presenceReports() {
    const report = (uid: number, body: { type: string; [k: string]: unknown }, key: string) => {
      this.actors!.send('user', String(uid), body, { key }).catch((e) => log.warn({ err: (e as Error).message, uid }, 'presence report failed'));
    };
    return {
      loggedIn: (conn: Connection, session: { user: { id: number; name: string }; sessionId: number; device: { type: 'desktop' | 'mobile' | 'web' | 'cli' | 'bot'; name?: string } }, first: boolean) => {
        report(session.user.id, { type: 'connect', conn: conn.key, gateway: this.instance, session: session.sessionId, device: session.device, name: session.user.name }, `${conn.key}#${conn.logins}:connect`);
        if (first) {
          // the user's group rooms: this gateway now relays their events
          callService(this.opts.nc, 'svc.chat.rooms', { user: session.user.id }, this.opts.config.requestTimeoutMs).then(
            ({ rooms }) => { if (this.sessions.connectionsOf(session.user.id).size) for (const rid of rooms) this.sessions.rooms.add(session.user.id, rid); },
            (e) => log.warn({ err: (e as Error).message, uid: session.user.id }, 'could not load the user\'s rooms'),
          );
        }
      },
      loggedOut: (conn: Connection, session: { user: { id: number } }) => {
        report(session.user.id, { type: 'disconnect', conn: conn.key }, `${conn.key}#${conn.logins}:disconnect`);
      },
    };
  }

  async liveGateways(): Promise<unknown[]> {
    const nodes = this.directory?.list('gateway') ?? [];
    return nodes.map((n) => ({ id: n.id, load: n.load, connections: n.connections, tcp: n.tcp, ws: n.ws, http: n.http }));
  }

  async start(): Promise<void> {
    const c = this.opts.config;
    // registered before listening, so no connection exists that the gateway reaper cannot see
    const nodesKv = await openKv(this.opts.nc, buckets.nodes);
    this.directory = await NodeDirectory.open(nodesKv);
    this.registration = new NodeRegistration(nodesKv, 'gateway', this.opts.nodeId, () => ({
      load: this.connections.size,
      connections: this.connections.size,
      users: this.sessions.userCount,
      instance: this.instance,
      tcp: `${c.publicHost}:${this.tcpPort}`,
      ws: `ws://${c.publicHost}:${this.httpPort}/ws`,
      http: `http://${c.publicHost}:${this.httpPort}`,
    }));
    await this.registration.start();
    this.actors = natsActorClient(this.opts.nc, await readPartitionCount(this.opts.nc), `gateway.${this.opts.nodeId}`);
    this.links = { nc: this.opts.nc, nodeId: this.opts.nodeId, instance: this.instance, sessions: this.sessions, actors: this.actors, requestTimeoutMs: c.requestTimeoutMs, loginTimeoutMs: c.loginTimeoutMs };
    this.sessions.on(this.presenceReports());
    const tcpOpts = { maxFrameBytes: c.maxFrameBytes, discardLimitBytes: c.discardLimitBytes };
    this.tcpServer = net.createServer((socket) => {
      this.admit(() => tcpConnection(socket, this, tcpOpts));
    });
    this.tcpServer.maxConnections = c.maxConnections + 64; // refused above maxConnections with an error frame
    this.ws = new WebSocketEdge(this, tcpOpts, (make) => this.admit(make));
    this.httpServer = http.createServer((req, res) => void this.routes.handle(req, res));
    this.httpServer.on('upgrade', (req, socket, head) => {
      if ((req.url ?? '').split('?')[0] !== '/ws') {
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
        return;
      }
      this.ws!.handleUpgrade(req, socket, head);
    });
    this.tcpPort = await listen(this.tcpServer, c.tcpPort, c.bind);
    this.httpPort = await listen(this.httpServer, c.httpPort, c.bind);
    const sweepEvery = Math.max(50, Math.min(1000, Math.floor(Math.min(c.loginTimeoutMs, c.idleTimeoutMs) / 10)));
    this.sweep = setInterval(() => {
      const now = Date.now();
      for (const conn of this.connections) conn.checkDeadlines(now);
    }, sweepEvery);
    this.sweep.unref();
    await this.registration.beat();
    log.info({ id: this.opts.nodeId, tcp: this.tcpPort, http: this.httpPort }, 'gateway listening');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.sweep) clearInterval(this.sweep);
    await this.registration?.stop();
    this.directory?.stop();
    this.tcpServer?.close();
    for (const conn of [...this.connections]) conn.fail('unavailable', 'the gateway is shutting down; reconnect to another');
    this.ws?.close();
    this.sessions.clear();
    this.actors?.close();
    await new Promise<void>((r) => {
      if (!this.httpServer) return r();
      this.httpServer.close(() => r());
      this.httpServer.closeAllConnections();
    });
  }
}

function listen(server: net.Server | http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const gw = new Gateway(opts);
  await gw.start();
  return gw;
}
