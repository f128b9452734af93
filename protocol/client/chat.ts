// Client-side chat delivery: every room entry reaches the application once, in sequence order,
// whether it came as a push, after a reconnect, or while this user was offline. The session keeps
// a cursor per room (the last seq handed to the application); pushes that skip ahead are held
// while chat.sync fills the gap; every (re)connect syncs from the cursors; delivery is confirmed
// to the server (chat.delivered) so offline delivery on other logins starts after it.
import type { Static } from '@sinclair/typebox';
import type { Entry } from '../chat.ts';
import type { TroupeClient, PushMessage } from './client.ts';
import { Emitter, unref } from './emitter.ts';

export type ChatEntry = Static<typeof Entry>;

export interface ChatSessionOptions {
  /** Sync this often even without a gap, to catch entries whose pushes were lost (default 20 s; 0: never). */
  resyncMs?: number;
  /** Confirm delivery to the server (default true). */
  confirmDelivery?: boolean;
  /** Cursors remembered from an earlier run (room -> last seq seen). */
  cursors?: Record<string, number>;
  /** How long to wait before confirming delivery, to batch confirmations (ms). */
  confirmDelayMs?: number;
}

export interface ChatSessionEvents {
  [name: string]: unknown[];
  entry: [ChatEntry];
  error: [Error];
}

/** Events: 'entry' (ChatEntry), 'error' (Error). */
export class ChatSession extends Emitter<ChatSessionEvents> {
  readonly cursors = new Map<string, number>();
  private readonly held = new Map<string, Map<number, ChatEntry>>();
  private syncing?: Promise<void>;
  private again = false;
  private readonly unconfirmed = new Map<string, number>();
  private confirmTimer?: ReturnType<typeof setTimeout>;
  private readonly onPush = (p: PushMessage) => this.push(p);
  private readonly onReconnect = () => void this.sync();
  private resync?: ReturnType<typeof setInterval>;

  constructor(private readonly client: TroupeClient, private readonly opts: ChatSessionOptions = {}) {
    super();
    for (const [room, seq] of Object.entries(opts.cursors ?? {})) this.cursors.set(room, seq);
  }

  /** Starts listening and fetches what was missed. */
  async start(): Promise<void> {
    this.client.on('push', this.onPush);
    this.client.on('reconnected', this.onReconnect);
    await this.sync();
    const every = this.opts.resyncMs ?? 20_000;
    if (every > 0) {
      // pushes are the fast path and may be lost: the last entries of a quiet room show no gap
      this.resync = setInterval(() => void this.sync(), every);
      unref(this.resync);
    }
  }

  stop(): void {
    this.client.off('push', this.onPush);
    this.client.off('reconnected', this.onReconnect);
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    if (this.resync) clearInterval(this.resync);
  }

  /**
   * Sends a message. The sending connection gets no push of its own message: the answer's seq puts
   * it in sequence here. Retry with the same clientMsgId after an error; it is never sent twice.
   */
  async send(target: { room?: string; to?: number }, clientMsgId: string, body: string, opts: { file?: string; timeoutMs?: number } = {}): Promise<{ room: string; seq: number; at: number }> {
    const r = await this.client.request('chat.send', { ...target, clientMsgId, body, ...(opts.file ? { file: opts.file } : {}) }, { timeoutMs: opts.timeoutMs });
    const from = this.client.user?.id ?? 0;
    this.offer({ room: r.room, seq: r.seq, kind: 'text', from, body, at: r.at, clientMsgId, ...(opts.file ? { file: opts.file } : {}) }, false);
    return r;
  }

  private push(p: PushMessage): void {
    if (p.op === 'chat.message') {
      const { op: _op, ...entry } = p;
      this.offer(entry as unknown as ChatEntry, false);
    } else if (p.op === 'rooms.joined') {
      // a new room: its first entries may have been published before our gateway listened
      void this.sync();
    }
  }

  /** One entry, from a push or a sync. */
  private offer(e: ChatEntry, fromSync: boolean): void {
    let cur = this.cursors.get(e.room);
    if (cur === undefined) {
      if (!fromSync) {
        this.hold(e);
        void this.sync();
        return;
      }
      // the server starts a room we had no cursor for right after our delivered cursor
      cur = e.seq - 1;
    }
    if (e.seq <= cur) return;
    if (e.seq > cur + 1) {
      this.hold(e);
      if (!fromSync) void this.sync();
      return;
    }
    this.deliver(e);
    const held = this.held.get(e.room);
    let next = held?.get(e.seq + 1);
    while (held && next) {
      held.delete(next.seq);
      this.deliver(next);
      next = held.get(next.seq + 1);
    }
  }

  private hold(e: ChatEntry): void {
    let held = this.held.get(e.room);
    if (!held) this.held.set(e.room, (held = new Map()));
    held.set(e.seq, e);
  }

  private deliver(e: ChatEntry): void {
    this.cursors.set(e.room, e.seq);
    this.emit('entry', e);
    if (this.opts.confirmDelivery !== false) {
      this.unconfirmed.set(e.room, e.seq);
      this.confirmTimer ??= setTimeout(() => void this.confirm(), this.opts.confirmDelayMs ?? 200);
    }
  }

  /** Edits your message; the edit is an entry of its own, fetched at once (no push comes back to this connection). */
  async edit(room: string, seq: number, body: string): Promise<{ seq: number }> {
    const r = await this.client.request('chat.edit', { room, seq, body });
    await this.sync();
    return r;
  }

  /** Recalls your message (see edit). */
  async recall(room: string, seq: number): Promise<{ seq: number }> {
    const r = await this.client.request('chat.recall', { room, seq });
    await this.sync();
    return r;
  }

  /** Confirms every delivery so far now (instead of after the batching delay). */
  async flush(): Promise<void> {
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    await this.confirm();
  }

  private async confirm(): Promise<void> {
    this.confirmTimer = undefined;
    const batch = [...this.unconfirmed];
    this.unconfirmed.clear();
    for (const [room, seq] of batch) {
      await this.client.request('chat.delivered', { room, seq }).catch(() => {
        // not lost: the next sync starts from our cursor anyway
      });
    }
  }

  /** Asks for everything after the cursors (and after the server's delivered cursor elsewhere). */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        let more = true;
        while (more && this.client.connected) {
          const r = await this.client.request('chat.sync', { rooms: Object.fromEntries(this.cursors), limit: 200 });
          more = false;
          for (const room of r.rooms) {
            for (const e of room.messages) this.offer(e, true);
            if (room.more) more = true;
          }
        }
      } while (this.again && this.client.connected);
    })().catch((e) => {
      // a sync that fails (say, the connection dropped) is redone on the next reconnect
      if (this.listenerCount('error')) this.emit('error', e as Error);
    }).finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }
}
