// Sending to actors: `send` (durable, idempotent by key) and `ask` (send, then wait for the reply the
// actor publishes after its transaction commits). Gateways, services and operators use this.
import { subjects, TroupeError } from '../../protocol/mod.ts';
import { partitionOf } from './partition.ts';
import { encodeJson, decodeJson, unwrapReply, type Reply } from './messages.ts';
import type { Clock, Mailboxes } from './ports.ts';

/** Where replies come back: one subscription, a token per ask. */
export interface ReplyInbox {
  subject(token: string): string;
  listen(fn: (token: string, data: Uint8Array) => void): void;
  close(): void;
}

/** The stored reply of an applied message (for a retried ask whose first attempt got the reply). */
export interface ResultLookup {
  result(key: string): Promise<{ reply: unknown } | undefined>;
}

export interface ActorClientDeps {
  mailboxes: Mailboxes;
  replies: ReplyInbox;
  results: ResultLookup;
  clock: Clock;
  partitions: number;
  newKey(): string;
  /** Sender identity put on messages (`kind.id` of an actor, or a service name). */
  from?: string;
}

/** Publish failures that a retry cannot cure (everything else is waited out until the deadline). */
const PERMANENT = /connection closed|closed connection|payload|permission|invalid subject/i;

/** A stored result as a reply (a message applied without a reply is a plain ok). */
const storedReply = (r: { reply: unknown }): Reply => (r.reply as Reply | null) ?? { ok: true };

export interface AskOptions {
  key?: string;
  timeoutMs?: number;
}

export class ActorClient {
  private nextToken = 1;
  private readonly waiting = new Map<string, { key: string; settle(r: Reply): void }>();

  constructor(private readonly deps: ActorClientDeps) {
    deps.replies.listen((token, data) => {
      const w = this.waiting.get(token);
      if (w) {
        this.waiting.delete(token);
        w.settle(decodeJson<Reply>(data));
      }
    });
  }

  get partitions(): number {
    return this.deps.partitions;
  }

  subjectOf(kind: string, id: string): string {
    return subjects.actor(kind, partitionOf(kind, id, this.deps.partitions), id);
  }

  /** Durable send; the same key within the duplicate window (and after, through the inbox) applies once. */
  async send(kind: string, id: string, body: { type: string; [k: string]: unknown }, opts: { key?: string } = {}): Promise<{ seq: number; duplicate: boolean }> {
    return this.deps.mailboxes.publish(this.subjectOf(kind, id), encodeJson(body), { key: opts.key ?? this.deps.newKey(), from: this.deps.from });
  }

  /**
   * Sends and waits for the actor's reply. A timeout is TroupeError('timeout'); retrying with the
   * same key is safe. Within the timeout it rides out a cluster hiccup on its own: a publish that
   * fails (stream leader election, a reconnect) is retried under the same key, which JetStream
   * dedupes, and a reply lost while our connection was away is read back from the stored results.
   */
  async ask<T = Record<string, unknown>>(kind: string, id: string, body: { type: string; [k: string]: unknown }, opts: AskOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const key = opts.key ?? this.deps.newKey();
    const token = String(this.nextToken++);
    const { clock } = this.deps;
    const deadline = clock.now() + timeoutMs;
    let answer!: (r: Reply | 'timeout') => void;
    const answered = new Promise<Reply | 'timeout'>((resolve) => (answer = resolve));
    this.waiting.set(token, { key, settle: answer });
    const timer = clock.setTimer(timeoutMs, () => answer('timeout'));
    try {
      const { duplicate } = await this.publishUntil(deadline, kind, id, body, key, token);
      // a duplicate: an earlier attempt was accepted. If it was ours (its ack was lost), the reply
      // still comes to this token; if it was another asker's, only the stored result will
      const result = duplicate ? await Promise.race([answered, this.awaitStored(key, deadline, token)]) : await answered;
      if (result === 'timeout') throw new TroupeError('timeout', `${kind} ${id} did not answer in ${timeoutMs} ms (retrying with the same key is safe)`);
      return unwrapReply<T>(result);
    } finally {
      this.waiting.delete(token);
      timer.cancel();
    }
  }

  /**
   * Our connection came back: replies published while it was away are lost, so every pending ask
   * looks for its stored result (one whose message is not applied yet gets its reply as usual).
   */
  reconnected(): void {
    for (const w of this.waiting.values()) {
      this.deps.results.result(w.key).then((r) => r && w.settle(storedReply(r)), () => {});
    }
  }

  private async publishUntil(deadline: number, kind: string, id: string, body: object, key: string, token: string): Promise<{ duplicate: boolean }> {
    let delay = 50;
    for (;;) {
      try {
        return await this.deps.mailboxes.publish(this.subjectOf(kind, id), encodeJson(body), { key, replyTo: this.deps.replies.subject(token), from: this.deps.from });
      } catch (e) {
        if (e instanceof TroupeError) throw e;
        if (PERMANENT.test((e as Error).message) || this.deps.clock.now() + delay >= deadline) throw new TroupeError('unavailable', `could not reach ${kind} ${id}: ${(e as Error).message} (retrying with the same key is safe)`);
        await this.deps.clock.sleep(delay);
        delay = Math.min(delay * 2, 1000);
      }
    }
  }

  /** Polls the stored result until it is there, the deadline passes, or the ask is answered otherwise. */
  private async awaitStored(key: string, deadline: number, token: string): Promise<Reply | 'timeout'> {
    let delay = 20;
    while (this.deps.clock.now() < deadline && this.waiting.has(token)) {
      const r = await this.deps.results.result(key).catch(() => undefined);
      if (r) return storedReply(r);
      await this.deps.clock.sleep(delay);
      delay = Math.min(delay * 2, 500);
    }
    return 'timeout';
  }

  close(): void {
    this.deps.replies.close();
  }
}
