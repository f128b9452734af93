// The Troupe client library (used by the CLI, the tests, the benchmarks and the web client):
// requests correlated by rid, pushes to handlers, heartbeats, and reconnect with session resume.
// It runs in Node and in the browser: the transport comes from #client-transport (see transport.ts).
import type { OpName, RequestOf, ResponseOf } from '../ops.ts';
import { TroupeError, isErrorCode, type ErrorCode } from '../errors.ts';
import type { ClientTransport } from './transport.ts';
import { openTransport } from '#client-transport';
import { Emitter, unref } from './emitter.ts';

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
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
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
  reconnected: [];
  closed: [];
}

/**
 * Events: 'push' (PushMessage), 'error-frame' ({code, message}) for errors without a rid,
 * 'disconnected' (reason), 'reconnecting' ({attempt, delayMs}), 'reconnected' (), 'closed' ().
 */
export class TroupeClient extends Emitter<ClientEvents> {
  private transport?: ClientTransport;
  private nextRid = 1;
  private readonly pending = new Map<number, Pending>();
  private heartbeat?: ReturnType<typeof setInterval>;
  private closedByUser = false;
  /** Kicked by a newer login: do not reconnect. */
  private kicked = false;
  private reconnecting = false;
  /** Ends the wait before the next reconnect attempt (reconnectNow). */
  private wake?: () => void;
  /** The session token once logged in (resumed after a reconnect). */
  token?: string;
  user?: { id: number; name: string };

  private constructor(readonly url: string, private readonly opts: ClientOptions) {
    super();
  }

  /** Connects to `tcp://…`, `ws://…/ws`, or `http://…` (asks /api/gateways for the least-loaded gateway). */
  static async connect(url: string, opts: ClientOptions & { via?: 'tcp' | 'ws' } = {}): Promise<TroupeClient> {
    const target = url.startsWith('http') ? await discoverGateway(url, opts.via ?? 'tcp') : url;
    const client = new TroupeClient(target, opts);
    await client.open();
    return client;
  }

  private async open(): Promise<void> {
    this.transport = await openTransport(this.url, {
      onText: (text) => this.onText(text),
      onClose: (reason) => this.onClose(reason),
    });
    const every = this.opts.heartbeatMs ?? 30_000;
    if (every > 0) {
      this.heartbeat = setInterval(() => {
        this.request('ping', {}).catch(() => {});
      }, every);
      unref(this.heartbeat);
    }
  }

  private onText(text: string): void {
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
        const err = msg.error as { code: string; message: string } | undefined;
        p.reject(new TroupeError(isErrorCode(err?.code) ? err!.code : 'internal', err?.message ?? 'request failed'));
      }
      return;
    }
    if (msg.ok === false) {
      // a newer login of this device type took over: coming back would only kick it in turn
      if ((msg.error as { code?: string } | undefined)?.code === 'kicked') this.kicked = true;
      this.emit('error-frame', msg.error as { code: string; message: string });
      return;
    }
    if (typeof msg.op === 'string') this.emit('push', msg as PushMessage);
  }

  private onClose(reason: string): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.transport = undefined;
    for (const [rid, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new TroupeError('unavailable', `connection closed (${reason}) before the answer arrived`));
      this.pending.delete(rid);
    }
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
      try {
        await this.open();
        if (this.closedByUser) {
          this.transport?.close();
          break;
        }
        if (this.token) {
          const r = await this.request('auth.resume', { token: this.token, device: this.opts.device });
          this.user = r.user;
        }
        this.reconnecting = false;
        this.emit('reconnected');
        return;
      } catch (e) {
        if (e instanceof TroupeError && e.code === 'session_expired') {
          this.token = undefined;
          this.reconnecting = false;
          this.emit('reconnected');
          return;
        }
        this.transport?.close();
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
    const rid = this.nextRid++;
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(new TroupeError('timeout', `${op} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(rid, { resolve: resolve as (v: unknown) => void, reject, timer });
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
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.wake?.();
    if (!this.transport) return Promise.resolve();
    return new Promise((resolve) => {
      this.once('closed', () => resolve());
      this.transport!.close();
    });
  }
}

/** Asks a gateway's /api/gateways for the least-loaded live gateway and returns its address. */
export async function discoverGateway(httpUrl: string, via: 'tcp' | 'ws'): Promise<string> {
  const res = await fetch(new URL('/api/gateways', httpUrl));
  if (!res.ok) throw new Error(`${httpUrl}/api/gateways answered ${res.status}`);
  const { gateways } = (await res.json()) as { gateways: { tcp: string; ws: string }[] };
  if (!gateways.length) throw new Error('no live gateway is registered');
  return via === 'tcp' ? `tcp://${gateways[0].tcp}` : gateways[0].ws;
}

export type { ErrorCode };
