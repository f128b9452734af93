// A gateway: TCP, WebSocket and HTTP edges in front of the system, registered in KV nodes with its
// load so the login endpoint (/api/gateways) can send clients to the least-loaded one. On SIGTERM
// it drains (drain.ts): no new connections, every client told to move, the rest closed after a
// grace period.
import net from 'node:net';
import http from 'node:http';
import { createActor, waitFor, type Actor } from 'xstate';
import type { NatsConnection } from '@nats-io/transport-node';
import { buckets, type Static, type GatewayAddress } from '../protocol/mod.ts';
import { logger, openKv, NodeRegistration, NodeDirectory, callService, type ConfigOf, type NodeEntry } from '../lib/mod.ts';
import { Connection, type ConnectionHost, type ConnectionLimits } from './connection.ts';
import { tcpConnection } from './tcp.ts';
import { WebSocketEdge, GatewayOrigins, originAllowed, parseOrigins } from './websocket.ts';
import { webClientRoutes } from './web/mod.ts';
import { HttpRoutes, metricsRoute } from './http.ts';
import { adminRoutes } from './admin.ts';
import { SessionHub } from './sessions.ts';
import { handlers, type GatewayLinks } from './handlers/mod.ts';
import { readPartitionCount, natsActorClient, type ActorClient } from '../actors/runtime/mod.ts';
import { gatewayMetrics as m } from './metrics.ts';
import { gatewayPhases, type DrainEffect, type DrainReason } from './drain.ts';

export type GatewayConfig = ConfigOf<'gateway'>;

export interface GatewayOptions {
  config: GatewayConfig;
  nc: NatsConnection;
  nodeId: string;
}

const log = logger('gateway');

/** A gateway clients may be sent to: listening (it advertises its addresses) and not draining. */
const reachable = (n: NodeEntry) => !n.draining && typeof n.ws === 'string';

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
  /** serving, draining or stopped (drain.ts); it emits what to do. */
  private readonly phase: Actor<typeof gatewayPhases>;
  tcpPort = 0;
  private readonly gatewayOrigins = new GatewayOrigins();
  httpPort = 0;
  /** Both listeners are bound (the registry carries the addresses from then on). */
  private listening = false;

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
    this.phase = createActor(gatewayPhases, { input: { graceMs: c.drainGraceMs } });
    this.phase.on('*', (effect) => this.perform(effect));
    this.phase.start();
    // a draining gateway answers 503, so load balancers stop sending clients here
    this.routes.add('GET', '/healthz', async () => ({
      status: this.serving ? 200 : 503,
      json: { ok: this.serving && !this.opts.nc.isClosed(), id: this.opts.nodeId, connections: this.connections.size, ...(this.serving ? {} : { draining: true }) },
    }));
    this.routes.add('GET', '/metrics', metricsRoute());
    this.routes.add('GET', '/api/gateways', async () => ({ json: { gateways: await this.liveGateways() } }));
    if (c.adminToken) adminRoutes(this.routes, () => this.links, c.adminToken);
    webClientRoutes(this.routes, {
      storageOrigins: () => (this.directory?.list('storage') ?? []).map((n) => String(n.url ?? '')),
      gatewayWsUrls: () => (this.directory?.list('gateway') ?? []).filter(reachable).map((n) => String(n.ws)),
    });
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
    if (this.phase.getSnapshot().status === 'active') this.phase.send({ type: 'connections', count: this.connections.size });
  }

  /** Accepting new connections (not draining or stopped). */
  get serving(): boolean {
    return this.phase.getSnapshot().value === 'serving';
  }

  /** Admits a new connection, or refuses it when the gateway is full or going away. */
  private admit(make: () => Connection): Connection | null {
    const conn = make();
    if (!this.serving || this.connections.size >= this.opts.config.maxConnections) {
      conn.fail(!this.serving ? 'unavailable' : 'too_many_connections', !this.serving ? 'the gateway is shutting down; connect to another' : `this gateway holds its maximum of ${this.opts.config.maxConnections} connections`);
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

  /** Live gateways that take clients (not draining ones, nor this one while it drains), least-loaded first. */
  async liveGateways(): Promise<(Static<typeof GatewayAddress> & { connections: unknown })[]> {
    const nodes = (this.directory?.list('gateway') ?? []).filter((n) => reachable(n) && (this.serving || n.id !== this.opts.nodeId));
    return nodes.map((n) => ({ id: n.id, load: n.load, connections: n.connections, tcp: String(n.tcp), ws: String(n.ws), http: String(n.http) }));
  }

  /** What the phase machine says to do. */
  private perform(effect: DrainEffect): void {
    switch (effect.type) {
      case 'stopAccepting':
        // TCP: the listener closes (new connections are refused); WebSocket upgrades get a 503;
        // HTTP keeps answering, /api/gateways naming the others
        if (this.tcpServer?.listening) this.tcpServer.close();
        void this.registration?.beat();
        break;
      case 'announce': {
        void this.links.gateways().then((gateways) => {
          for (const conn of this.connections) conn.push('gateway.draining', { reason: effect.reason, closeInMs: effect.closeInMs, retryAfterMs: effect.retryAfterMs, gateways });
          const n = this.connections.size;
          log.info({ connections: n, graceMs: effect.closeInMs, others: gateways.length }, `draining: ${n} connection${n === 1 ? '' : 's'} told to move; what is left closes in ${effect.closeInMs / 1000} s (a second signal stops at once)`);
        });
        break;
      }
      case 'closeAll':
        for (const conn of [...this.connections]) conn.fail('unavailable', 'the gateway is shutting down; reconnect to another');
        break;
    }
  }

  /**
   * Drains (SIGTERM): refuses new connections, leaves /api/gateways, pushes gateway.draining to
   * every client and resolves once they have all gone or the grace period closed the rest.
   */
  async drain(reason: DrainReason = 'shutdown'): Promise<void> {
    if (this.phase.getSnapshot().status === 'active') this.phase.send({ type: 'drain', reason, connections: this.connections.size });
    await waitFor(this.phase, (s) => s.status === 'done', { timeout: Infinity });
  }

  async start(): Promise<void> {
    const c = this.opts.config;
    // registered before listening, so no connection exists that the gateway reaper cannot see
    const nodesKv = await openKv(this.opts.nc, buckets.nodes);
    this.directory = await NodeDirectory.open(nodesKv);
    this.registration = new NodeRegistration(nodesKv, 'gateway', this.opts.nodeId, () => ({
      ...(this.serving ? {} : { draining: true }),
      load: this.connections.size,
      connections: this.connections.size,
      users: this.sessions.userCount,
      instance: this.instance,
      // addresses only once both listeners are bound: before that the ports are not known, and a
      // client that read /api/gateways then would be sent to port 0
      ...(this.listening ? {
        tcp: `${c.publicHost}:${this.tcpPort}`,
        ws: `ws://${c.publicHost}:${this.httpPort}/ws`,
        http: `http://${c.publicHost}:${this.httpPort}`,
      } : {}),
    }));
    await this.registration.start();
    this.actors = natsActorClient(this.opts.nc, await readPartitionCount(this.opts.nc), `gateway.${this.opts.nodeId}`);
    this.links = { nc: this.opts.nc, nodeId: this.opts.nodeId, instance: this.instance, sessions: this.sessions, actors: this.actors, requestTimeoutMs: c.requestTimeoutMs, loginTimeoutMs: c.loginTimeoutMs,
      gateways: async () => (await this.liveGateways()).map(({ id, load, tcp, ws, http: h }) => ({ id, load, tcp, ws, http: h })),
    };
    this.sessions.on(this.presenceReports());
    const tcpOpts = { maxFrameBytes: c.maxFrameBytes, discardLimitBytes: c.discardLimitBytes };
    this.tcpServer = net.createServer((socket) => {
      this.admit(() => tcpConnection(socket, this, tcpOpts));
    });
    this.tcpServer.maxConnections = c.maxConnections + 64; // refused above maxConnections with an error frame
    this.ws = new WebSocketEdge(this, tcpOpts, (make) => this.admit(make));
    this.httpServer = http.createServer((req, res) => void this.routes.handle(req, res));
    const wsOrigins = parseOrigins(c.wsOrigins);
    this.httpServer.on('upgrade', (req, socket, head) => {
      if ((req.url ?? '').split('?')[0] !== '/ws') {
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
        return;
      }
      if (!this.serving) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-type: text/plain\r\n\r\nthe gateway is shutting down; connect to another (/api/gateways)\n');
        return;
      }
      this.gatewayOrigins.note((this.directory?.list('gateway') ?? []).map((n) => String(n.http ?? '')));
      if (!originAllowed(req.headers.origin, req.headers.host, [...wsOrigins, ...this.gatewayOrigins.list()])) {
        m.refusedOrigins.inc();
        socket.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nthis origin may not open /ws (see --ws-origins)\n');
        return;
      }
      this.ws!.handleUpgrade(req, socket, head);
    });
    this.tcpPort = await listen(this.tcpServer, c.tcpPort, c.bind);
    this.httpPort = await listen(this.httpServer, c.httpPort, c.bind);
    this.listening = true;
    await this.registration.beat();
    const sweepEvery = Math.max(50, Math.min(1000, Math.floor(Math.min(c.loginTimeoutMs, c.idleTimeoutMs) / 10)));
    this.sweep = setInterval(() => {
      const now = Date.now();
      for (const conn of this.connections) conn.checkDeadlines(now);
      // remember every gateway seen, so pages they served may move here after they are gone
      this.gatewayOrigins.note((this.directory?.list('gateway') ?? []).map((n) => String(n.http ?? '')));
    }, sweepEvery);
    this.sweep.unref();
    await this.registration.beat();
    log.info({ id: this.opts.nodeId, tcp: this.tcpPort, http: this.httpPort }, 'gateway listening');
  }

  /** Stops at once (after drain(), what is left): the remaining connections are closed. */
  async stop(): Promise<void> {
    if (this.phase.getSnapshot().status === 'active') this.phase.send({ type: 'stop' });
    if (this.sweep) clearInterval(this.sweep);
    await this.registration?.stop();
    this.directory?.stop();
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
