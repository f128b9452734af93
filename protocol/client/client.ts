// The Troupe client library (used by the CLI, the tests, the benchmarks and the web client):
// requests correlated by rid, pushes to handlers, heartbeats, and reconnect with session resume.
// It runs in Node and in the browser: the transport comes from #client-transport (see transport.ts).
import type { OpName, RequestOf, ResponseOf, PushOf } from '../ops.ts';
import { TroupeError, fromWireError, type ErrorCode } from '../errors.ts';
import type { ClientTransport } from './transport.ts';
import { openTransport } from '#client-transport';
import { Emitter, unref } from './emitter.ts';
import { failoverOrder, gatewayUrl, isHttpEndpoint, spread, viaOf, type Gateway, type Via } from './gateways.ts';

export interface ClientOptions {
  /** Reconnect after an unexpected close (default true). */
  reconnect?: boolean;
  /** Heartbeat interval; 0 disables (default 30 s). */
  heartbeatMs?: number;
  /** Default request timeout (default 15 s). */
  timeoutMs?: number;
  /** Longest wait between reconnect attempts (default 5 s); waits double up to it, with jitter. */
  maxReconnectDelayMs?: number;
  /** Device to log in as. */
  device?: { type: 'desktop' | 'mobile' | 'web' | 'cli' | 'bot'; name?: string };
  /**
   * Move to another live gateway when this one drops or says it is draining, resume the session
   * there and catch up. On by default for an http(s):// endpoint (it lists the live gateways); a
   * tcp:// or ws:// URL stays with that gateway unless this is set.
   */
  failover?: boolean;
  /** The transport for gateways taken from a list (default: the URL's own; tcp for http). */
  via?: Via;
  /** With failover: refresh the list of live gateways this often while connected (default 30 s). */
  refreshGatewaysMs?: number;
  /** Live gateways known from before (a profile remembers them): tried when the endpoint does not answer. */
  gateways?: Gateway[];
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
  /** The connection the request went out on (a request does not outlive it). */
  on: ClientTransport;
}

export interface PushMessage {
  op: string;
  [k: string]: unknown;
}

export interface ClientEvents {
  [name: string]: unknown[];
  push: [PushMessage];
  /** An error without a rid (a kick, a limit). */
  'error-frame': [{ code: string; message: string }];
  disconnected: [reason: string];
  /** The next reconnect attempt is due in `delayMs`. */
  reconnecting: [{ attempt: number; delayMs: number }];
  /** Connected again (after a drop or a move), the session resumed: time to catch up. */
  reconnected: [];
  /** Now on another gateway (failover after a drop, or a move away from a draining one). */
  moved: [{ from: string; to: string }];
  closed: [];
}

/**
 * Events: 'push' (PushMessage), 'error-frame' ({code, message}) for errors without a rid,
 * 'disconnected' (reason), 'reconnecting' ({attempt, delayMs}), 'reconnected' (), 'moved'
 * ({from, to}), 'closed' ().
 */
export class TroupeClient extends Emitter<ClientEvents> {
  private transport?: ClientTransport;
  /** URL of the gateway in use. */
  private current = '';
  /** Live gateways as last heard (least-loaded first), for failover. */
  private known: Gateway[] = [];
  private readonly via: Via;
  private readonly failover: boolean;
  private nextRid = 1;
  private readonly pending = new Map<number, Pending>();
  private heartbeat?: ReturnType<typeof setInterval>;
  private refresher?: ReturnType<typeof setInterval>;
  private closedByUser = false;
  /** Kicked by a newer login: do not reconnect. */
  private kicked = false;
  private reconnecting = false;
  private moving = false;
  /** Ends the wait before the next reconnect attempt (reconnectNow). */
  private wake?: () => void;
  /** The session token once logged in (resumed after a reconnect). */
  token?: string;
  user?: { id: number; name: string };

  /** `endpoint`: the URL first given (tcp://, ws://, or an http(s):// endpoint that lists gateways). */
  private constructor(readonly endpoint: string, private readonly opts: ClientOptions) {
    super();
    this.via = opts.via ?? viaOf(endpoint);
    this.failover = opts.failover ?? isHttpEndpoint(endpoint);
    this.known = [...(opts.gateways ?? [])];
  }

  /**
   * Connects to `tcp://…`, `ws://…/ws`, or `http://…` (asks /api/gateways for the live gateways and
   * takes the least-loaded one; with failover, the others when it goes).
   */
  static async connect(url: string, opts: ClientOptions = {}): Promise<TroupeClient> {
    const client = new TroupeClient(url, opts);
    // an http endpoint is asked first (the least-loaded gateway now); remembered ones if it is down
    if (isHttpEndpoint(url)) await client.refresh();
    if (!(await client.tryGateways())) throw new TroupeError('unavailable', `no gateway answered at ${url}${client.lastError ? ` (${client.lastError})` : ''}`);
    return client;
  }

  /** The gateway in use. */
  get url(): string {
    return this.current;
  }

  /** The live gateways this client knows of (with failover), least-loaded first. */
  get gateways(): readonly Gateway[] {
    return this.known;
  }

  private lastError = '';

  /** Asks the http endpoint for the live gateways; false when it does not answer. */
  private async refresh(): Promise<boolean> {
    if (!isHttpEndpoint(this.endpoint)) return false;
    try {
      this.known = await fetchGateways(this.endpoint);
      return true;
    } catch (e) {
      this.lastError = (e as Error).message;
      return false;
    }
  }

  /**
   * Connects to the first gateway that answers and resumes the session there. Without failover:
   * the one it was on (first: the endpoint, or the least-loaded one an http endpoint lists). With
   * failover: the other live gateways it knows, then the endpoint first given (an http one is asked
   * for a fresh list), then `failed` itself, which may be back.
   */
  private async tryGateways(failed?: string): Promise<boolean> {
    const tried = new Set<string>();
    const attempt = async (urls: string[]) => {
      for (const u of urls) {
        if (tried.has(u) || this.closedByUser) continue;
        tried.add(u);
        if (await this.tryOne(u)) return true;
      }
      return false;
    };
    const urls = () => this.known.map((g) => gatewayUrl(g, this.via));
    if (!this.failover) {
      if (this.current) return attempt([this.current]);
      return attempt(isHttpEndpoint(this.endpoint) ? urls().slice(0, 1) : [this.endpoint]);
    }
    if (await attempt(failoverOrder(this.known, this.via, this.endpoint, failed).filter((u) => u !== failed))) return true;
    if (await this.refresh() && await attempt(urls().filter((u) => u !== failed))) return true;
    return failed !== undefined && !this.moving && attempt([failed]);
  }

  /** Opens `url` and resumes the session there; on failure the previous connection stays in use. */
  private async tryOne(url: string): Promise<boolean> {
    let t: ClientTransport | undefined;
    try {
      t = await openTransport(url, {
        onText: (text) => this.onText(text, t!),
        onClose: (reason) => this.onClose(reason, t!),
      });
    } catch (e) {
      this.lastError = (e as Error).message;
      return false;
    }
    // the session resumes on the new connection before the application's requests may use it
    try {
      if (this.token) {
        const r = await this.requestOn(t, 'auth.resume', { token: this.token, device: this.opts.device });
        this.user = r.user;
      }
    } catch (e) {
      if (!(e instanceof TroupeError && e.code === 'session_expired')) {
        this.lastError = (e as Error).message;
        t.close();
        return false;
      }
      this.token = undefined; // connected, but the session is gone: the application logs in again
    }
    this.transport = t;
    this.current = url;
    this.startTimers();
    return true;
  }

  private startTimers(): void {
    this.stopTimers();
    const every = this.opts.heartbeatMs ?? 30_000;
    if (every > 0) {
      this.heartbeat = setInterval(() => {
        this.request('ping', {}).catch(() => {});
      }, every);
      unref(this.heartbeat);
    }
    if (this.failover) {
      const refresh = () => {
        this.request('gateways.list', {}).then((r) => { if (r.gateways.length) this.known = r.gateways; }, () => {});
      };
      refresh();
      this.refresher = setInterval(refresh, this.opts.refreshGatewaysMs ?? 30_000);
      unref(this.refresher);
    }
  }

  private stopTimers(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.refresher) clearInterval(this.refresher);
    this.heartbeat = this.refresher = undefined;
  }

  private onText(text: string, from: ClientTransport): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const rid = msg.rid;
    if (typeof rid === 'number' && this.pending.has(rid)) {
      const p = this.pending.get(rid)!;
      this.pending.delete(rid);
      clearTimeout(p.timer);
      if (msg.ok) {
        const { rid: _r, ok: _o, ...fields } = msg;
        p.resolve(fields);
      } else {
        p.reject(fromWireError(msg.error, 'request failed'));
      }
      return;
    }
    // a connection we moved away from: our own resume elsewhere replaced it (a "kick" of it), and
    // its pushes come again on the new one
    if (from !== this.transport) return;
    if (msg.ok === false) {
      // a newer login of this device type took over: coming back would only kick it in turn
      if ((msg.error as { code?: string } | undefined)?.code === 'kicked') this.kicked = true;
      this.emit('error-frame', msg.error as { code: string; message: string });
      return;
    }
    if (typeof msg.op !== 'string') return;
    if (msg.op === 'gateway.draining') this.onDraining(msg as unknown as PushOf<'gateway.draining'>);
    this.emit('push', msg as PushMessage);
  }

  /** The gateway is going away: with failover, move to another in good time (spread over retryAfterMs). */
  private onDraining(p: PushOf<'gateway.draining'>): void {
    if (p.gateways.length) this.known = p.gateways;
    if (!this.failover) return;
    const from = this.transport;
    const t = setTimeout(() => {
      if (this.transport === from) void this.move();
    }, spread(Math.min(p.retryAfterMs, p.closeInMs)));
    unref(t);
  }

  /** Moves to another gateway while this one still answers; stays if none takes us. */
  private async move(): Promise<void> {
    if (this.moving || this.reconnecting || this.closedByUser || this.kicked || !this.transport) return;
    this.moving = true;
    const old = this.transport;
    const from = this.current;
    try {
      if (await this.tryGateways(from)) {
        this.emit('moved', { from, to: this.current });
        this.emit('reconnected');
        old.close();
      }
    } finally {
      this.moving = false;
    }
  }

  private onClose(reason: string, from: ClientTransport): void {
    for (const [rid, p] of this.pending) {
      if (p.on !== from) continue;
      clearTimeout(p.timer);
      p.reject(new TroupeError('unavailable', `connection closed (${reason}) before the answer arrived`));
      this.pending.delete(rid);
    }
    if (from !== this.transport) return; // one we moved away from
    this.stopTimers();
    this.transport = undefined;
    if (this.closedByUser) {
      this.emit('closed');
      return;
    }
    this.emit('disconnected', reason);
    if (this.opts.reconnect !== false && !this.kicked) void this.reconnectLoop();
    else this.emit('closed');
  }

  private async reconnectLoop(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    const failed = this.current;
    let delay = 100;
    for (let attempt = 1; !this.closedByUser; attempt++) {
      // jitter: clients cut off together (a gateway restart) do not all come back at the same instant
      const wait = Math.round(delay / 2 + Math.random() * (delay / 2));
      this.emit('reconnecting', { attempt, delayMs: wait });
      await new Promise<void>((r) => {
        const t = setTimeout(r, wait);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
      this.wake = undefined;
      if (this.closedByUser) break;
      delay = Math.min(delay * 2, this.opts.maxReconnectDelayMs ?? 5000);
      if (await this.tryGateways(failed)) {
        this.reconnecting = false;
        if (this.closedByUser) {
          this.transport?.close();
          return;
        }
        if (this.current !== failed) this.emit('moved', { from: failed, to: this.current });
        this.emit('reconnected');
        return;
      }
    }
    this.reconnecting = false;
  }

  /** Skips the wait before the next reconnect attempt (a user's "retry now", the browser back online). */
  reconnectNow(): void {
    this.wake?.();
  }

  get connected(): boolean {
    return this.transport !== undefined;
  }

  /** Sends a request and waits for its response; a failed response rejects with TroupeError. */
  request<N extends OpName>(op: N, fields: RequestOf<N>, opts: { timeoutMs?: number } = {}): Promise<ResponseOf<N>> {
    const transport = this.transport;
    if (!transport) return Promise.reject(new TroupeError('unavailable', 'not connected'));
    return this.requestOn(transport, op, fields, opts);
  }

  /** A request on a given connection (a new one is logged in before the application may use it). */
  private requestOn<N extends OpName>(transport: ClientTransport, op: N, fields: RequestOf<N>, opts: { timeoutMs?: number } = {}): Promise<ResponseOf<N>> {
    const rid = this.nextRid++;
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(new TroupeError('timeout', `${op} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(rid, { resolve: resolve as (v: unknown) => void, reject, timer, on: transport });
      transport.send(JSON.stringify({ ...fields, op, rid }));
    });
  }

  /** Sends raw text as one frame (tests use it to send malformed input). */
  sendRaw(text: string): void {
    this.transport?.send(text);
  }

  async register(name: string, password: string): Promise<{ id: number; name: string }> {
    return (await this.request('auth.register', { name, password })).user;
  }

  async login(name: string, password: string): Promise<{ id: number; name: string }> {
    const r = await this.request('auth.login', { name, password, device: this.opts.device });
    this.token = r.token;
    this.user = r.user;
    return r.user;
  }

  async resume(token: string): Promise<{ id: number; name: string }> {
    const r = await this.request('auth.resume', { token, device: this.opts.device });
    this.token = r.token;
    this.user = r.user;
    return r.user;
  }

  async logout(): Promise<void> {
    await this.request('auth.logout', {});
    this.token = undefined;
    this.user = undefined;
  }

  /** Resolves with the next push of this op (optionally matching a predicate). */
  nextPush<T extends PushMessage = PushMessage>(op: string, match: (p: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('push', on);
        reject(new TroupeError('timeout', `no ${op} push within ${timeoutMs} ms`));
      }, timeoutMs);
      const on = (p: PushMessage) => {
        if (p.op === op && match(p as T)) {
          clearTimeout(timer);
          this.off('push', on);
          resolve(p as T);
        }
      };
      this.on('push', on);
    });
  }

  get bufferedBytes(): number {
    return this.transport?.buffered() ?? 0;
  }

  /** Closes for good (no reconnect). */
  close(): Promise<void> {
    this.closedByUser = true;
    this.stopTimers();
    this.wake?.();
    if (!this.transport) return Promise.resolve();
    return new Promise((resolve) => {
      this.once('closed', () => resolve());
      this.transport!.close();
    });
  }
}

/** The live gateways an http(s) endpoint lists (/api/gateways), least-loaded first. */
export async function fetchGateways(httpUrl: string): Promise<Gateway[]> {
  const res = await fetch(new URL('/api/gateways', httpUrl));
  if (!res.ok) throw new Error(`${httpUrl}/api/gateways answered ${res.status}`);
  const { gateways } = (await res.json()) as { gateways: Gateway[] };
  if (!gateways.length) throw new Error(`${httpUrl} lists no live gateway`);
  return gateways;
}

/** The least-loaded live gateway an http(s) endpoint lists, as a URL for `via`. */
export async function discoverGateway(httpUrl: string, via: Via): Promise<string> {
  return gatewayUrl((await fetchGateways(httpUrl))[0], via);
}

export type { ErrorCode };
