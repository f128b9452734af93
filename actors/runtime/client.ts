// Sending to actors: `send` (durable, idempotent by key) and `ask` (send, then wait for the reply the
// actor publishes after its transaction commits). Gateways, services and operators use this.
import { subjects, TroupeError } from '../../protocol/mod.ts';
import { partitionOf } from './partition.ts';
import { encodeJson, decodeJson, unwrapReply, type Reply } from './messages.ts';
import { PublishRefused, type Clock, type KeyResult, type Mailboxes } from './ports.ts';

/** Where replies come back: one subscription, a token per ask. */
export interface ReplyInbox {
  subject(token: string): string;
  listen(fn: (token: string, data: Uint8Array) => void): void;
  close(): void;
}

/** The stored judgement of a key (for a retried ask whose first attempt got the reply). */
export interface ResultLookup {
  result(key: string): Promise<KeyResult | undefined>;
}

/** Core request/reply to a partition's lease holder (queries); null when nobody answered in time. */
export interface QueryPort {
  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array | null>;
}

export interface ActorClientDeps {
  mailboxes: Mailboxes;
  /** Where queries go; without it a query is asked through the mailbox. */
  queries?: QueryPort;
  replies: ReplyInbox;
  results: ResultLookup;
  clock: Clock;
  partitions: number;
  newKey(): string;
  /** Sender identity put on messages (`kind.id` of an actor, or a service name). */
  from?: string;
}


/** How long a query waits for the lease holder before it goes through the mailbox instead. */
const QUERY_WAIT_MS = 2000;

/** A stored result as a reply (a message applied without a reply is a plain ok). */
const storedReply = (r: { reply: unknown }): Reply => (r.reply as Reply | null) ?? { ok: true };

export interface AskOptions {
  key?: string;
  timeoutMs?: number;
}

export class ActorClient {
  private nextToken = 1;
  /** Pending asks by token; `seq` is the stream sequence of the ask's own message once known. */
  private readonly waiting = new Map<string, { key: string; seq?: number; settle(r: Reply): void }>();

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

  /**
   * Asks a query (a message type the kind declares in `queries`): answered by the partition's
   * lease holder from the committed state in its memory, without the mailbox or a transaction. It
   * sees every message whose commit completed before it arrived (every ask answered before it was
   * sent), none still queued. When no holder answers in time (the partition is moving, nobody
   * holds it yet), it is asked through the mailbox like any message.
   */
  async query<T = Record<string, unknown>>(kind: string, id: string, body: { type: string; [k: string]: unknown }, opts: AskOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    if (this.deps.queries) {
      const started = this.deps.clock.now();
      const subject = subjects.actorQuery(kind, partitionOf(kind, id, this.deps.partitions), id);
      const data = await this.deps.queries.request(subject, encodeJson(body), Math.min(timeoutMs, QUERY_WAIT_MS));
      if (data) return unwrapReply<T>(decodeJson<Reply>(data));
      return this.ask<T>(kind, id, body, { ...opts, timeoutMs: Math.max(1, timeoutMs - (this.deps.clock.now() - started)) });
    }
    return this.ask<T>(kind, id, body, opts);
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
   * A key that was refused before is judged afresh: a refusal is never the key's final answer.
   */
  async ask<T = Record<string, unknown>>(kind: string, id: string, body: { type: string; [k: string]: unknown }, opts: AskOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const key = opts.key ?? this.deps.newKey();
    const deadline = this.deps.clock.now() + timeoutMs;
    let result = await this.attempt(kind, id, body, key, key, deadline);
    if (result === 'refused') {
      // the key was refused before, and a refusal is not final: ask under a fresh JetStream id so
      // the actor judges the key afresh (the reason may be gone) instead of repeating the refusal
      result = await this.attempt(kind, id, body, key, `${key}#${this.deps.newKey()}`, deadline);
    }
    if (result === 'timeout' || result === 'refused') throw new TroupeError('timeout', `${kind} ${id} did not answer in ${timeoutMs} ms (retrying with the same key is safe)`);
    return unwrapReply<T>(result);
  }

  /** One publish under `msgId` (JetStream's dedupe id) and the wait for its answer. */
  private async attempt(kind: string, id: string, body: object, key: string, msgId: string, deadline: number): Promise<Reply | 'timeout' | 'refused'> {
    const { clock } = this.deps;
    const token = String(this.nextToken++);
    let answer!: (r: Reply | 'timeout') => void;
    const answered = new Promise<Reply | 'timeout'>((resolve) => (answer = resolve));
    const waiting: { key: string; seq?: number; settle(r: Reply): void } = { key, settle: answer };
    this.waiting.set(token, waiting);
    const timer = clock.setTimer(Math.max(0, deadline - clock.now()), () => answer('timeout'));
    try {
      const { seq, duplicate } = await this.publishUntil(deadline, kind, id, body, key, msgId, token);
      waiting.seq = seq;
      if (!duplicate) return await answered;
      // an earlier message with this id was accepted. If it was ours (its ack was lost), the reply
      // still comes to this token; if it was another asker's, only the stored result will. Under
      // a fresh id the earlier message can only be ours, so a refusal of it is our answer.
      return await Promise.race([answered, this.awaitStored(key, deadline, token, msgId === key ? undefined : seq)]);
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
      // a refusal answers only if it judged our own message (or a later one): an older refusal of
      // the key is not the answer to this ask
      this.deps.results.result(w.key).then((r) => {
        if (r && (r.final || (w.seq !== undefined && r.seq >= w.seq))) w.settle(storedReply(r));
      }, () => {});
    }
  }

  private async publishUntil(deadline: number, kind: string, id: string, body: object, key: string, msgId: string, token: string): Promise<{ seq: number; duplicate: boolean }> {
    let delay = 50;
    for (;;) {
      try {
        return await this.deps.mailboxes.publish(this.subjectOf(kind, id), encodeJson(body), { key, msgId, replyTo: this.deps.replies.subject(token), from: this.deps.from });
      } catch (e) {
        if (e instanceof TroupeError) throw e;
        // a refused publish cannot be cured by retrying; everything else is waited out until the deadline
        if (e instanceof PublishRefused || this.deps.clock.now() + delay >= deadline) throw new TroupeError('unavailable', `could not reach ${kind} ${id}: ${(e as Error).message} (retrying with the same key is safe)`);
        await this.deps.clock.sleep(delay);
        delay = Math.min(delay * 2, 1000);
      }
    }
  }

  /**
   * Polls the stored result until it is there, the deadline passes, or the ask is answered
   * otherwise. A refusal (not final) answers when it judged message `ownSeq` or a later one; with
   * no `ownSeq` it comes back as 'refused'.
   */
  private async awaitStored(key: string, deadline: number, token: string, ownSeq?: number): Promise<Reply | 'timeout' | 'refused'> {
    let delay = 20;
    while (this.deps.clock.now() < deadline && this.waiting.has(token)) {
      const r = await this.deps.results.result(key).catch(() => undefined);
      if (r?.final || (r && ownSeq !== undefined && r.seq >= ownSeq)) return storedReply(r);
      if (r && ownSeq === undefined) return 'refused';
      await this.deps.clock.sleep(delay);
      delay = Math.min(delay * 2, 500);
    }
    return 'timeout';
  }

  close(): void {
    this.deps.replies.close();
  }
}
