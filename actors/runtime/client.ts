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

export interface AskOptions {
  key?: string;
  timeoutMs?: number;
}

export class ActorClient {
  private nextToken = 1;
  private readonly waiting = new Map<string, (data: Uint8Array) => void>();

  constructor(private readonly deps: ActorClientDeps) {
    deps.replies.listen((token, data) => {
      const w = this.waiting.get(token);
      if (w) {
        this.waiting.delete(token);
        w(data);
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

  /** Sends and waits for the actor's reply. A timeout is TroupeError('timeout'); retrying with the same key is safe. */
  async ask<T = Record<string, unknown>>(kind: string, id: string, body: { type: string; [k: string]: unknown }, opts: AskOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const key = opts.key ?? this.deps.newKey();
    const token = String(this.nextToken++);
    const { clock } = this.deps;
    let timer: { cancel(): void } | undefined;
    const answered = new Promise<Reply | 'timeout'>((resolve) => {
      this.waiting.set(token, (data) => resolve(decodeJson<Reply>(data)));
      timer = clock.setTimer(timeoutMs, () => resolve('timeout'));
    });
    const deadline = clock.now() + timeoutMs;
    let result: Reply | 'timeout';
    try {
      const { duplicate } = await this.deps.mailboxes.publish(this.subjectOf(kind, id), encodeJson(body), { key, replyTo: this.deps.replies.subject(token), from: this.deps.from });
      if (duplicate) {
        // the first attempt was accepted: its reply went to the first asker; read the stored one
        this.waiting.delete(token);
        timer?.cancel();
        return unwrapReply<T>(await this.awaitStored(key, deadline, kind, id));
      }
      result = await answered;
    } catch (e) {
      this.waiting.delete(token);
      timer?.cancel();
      if (e instanceof TroupeError) throw e;
      throw new TroupeError('unavailable', `could not reach ${kind} ${id}: ${(e as Error).message}`);
    }
    timer?.cancel();
    this.waiting.delete(token);
    if (result === 'timeout') throw new TroupeError('timeout', `${kind} ${id} did not answer in ${timeoutMs} ms (retrying with the same key is safe)`);
    return unwrapReply<T>(result);
  }

  private async awaitStored(key: string, deadline: number, kind: string, id: string): Promise<Reply> {
    let delay = 20;
    while (this.deps.clock.now() < deadline) {
      const r = await this.deps.results.result(key).catch(() => undefined);
      if (r) return (r.reply as Reply | null) ?? { ok: true };
      await this.deps.clock.sleep(delay);
      delay = Math.min(delay * 2, 500);
    }
    throw new TroupeError('timeout', `${kind} ${id} has not applied ${key} yet (retrying with the same key is safe)`);
  }

  close(): void {
    this.deps.replies.close();
  }
}
