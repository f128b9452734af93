// One partition on its lease holder: consume the partition's mailboxes in stream order, run each
// message through its actor's machine, commit the batch in one fenced transaction, then publish
// replies, events and outbox sends, and ack. This is where an actor message changes state.
import { subjects, parseActorSubject, validate, TroupeError, toWireError } from '../../protocol/mod.ts';
import { logger, type Logger } from '../../lib/mod.ts';
import type { ActorKind, Effect, EventMeta, PersistedMachine } from './kind.ts';
import { initialState, restore, step, dueDeadlines, earliestDeadline } from './step.ts';
import { partitionOf } from './partition.ts';
import { TIMERS, encodeJson, decodeJson, okReply, errorReply, isFinalReply, type Reply } from './messages.ts';
import { FencedError, VersionConflict, type Bus, type Clock, type KeyResult, type Mailboxes, type MailboxMessage, type PartitionFeed, type Store, type StoredActor, type Timer, type SaveActor, type InboxEntry, type OutboxEntry, type PlannedWrite } from './ports.ts';
import { runtimeMetrics as m } from './metrics.ts';

/** Hooks for simulation and tests to record what happened. */
export interface RuntimeObserver {
  /** A batch is about to run its machines (before the transaction). */
  batchStarted?(host: string, partition: number, epoch: number, actors: string[]): void;
  /** A batch committed: each applied message with the actor version it produced. */
  committed?(host: string, partition: number, epoch: number, applied: { actor: string; version: number; key: string; seq: number }[]): void;
  /**
   * A message changed an actor: the version and state it produced, before the batch commits (a
   * retried batch reports it again, with the same result). Replay audits capture states with it.
   */
  staged?(host: string, partition: number, epoch: number, change: { actor: string; version: number; seq: number; state: PersistedMachine }): void;
  /** A batch's transaction ended without committing. */
  batchFailed?(host: string, partition: number, epoch: number, actors: string[], error: unknown): void;
}

export interface WorkerConfig {
  hostId: string;
  partition: number;
  epoch: number;
  partitions: number;
  maxBatch: number;
  passivateAfterMs: number;
}

export interface WorkerDeps {
  kinds: ReadonlyMap<string, ActorKind>;
  store: Store;
  mailboxes: Mailboxes;
  bus: Bus;
  clock: Clock;
  observer?: RuntimeObserver;
  /** Whether the lease is still ours (checked before every commit). */
  leaseValid(): boolean;
  /** Called once when the worker learns it lost the partition (fenced). */
  onLost(reason: string): void;
}

interface Active {
  kind: string;
  id: string;
  stored: StoredActor;
  lastUsed: number;
  /** Version when the current batch first touched it. */
  baseVersion?: number;
}

interface Parsed {
  msg: MailboxMessage;
  kind: string;
  id: string;
  /** The event for the machine, or why the message cannot be applied. */
  event?: { type: string; [k: string]: unknown };
  error?: TroupeError;
}

interface Outcome {
  msg: MailboxMessage;
  reply?: Reply;
  publishes: { subject: string; body: unknown }[];
}

const actorKey = (kind: string, id: string) => `${kind}.${id}`;

/** Postgres error classes that will fail the same way on retry (data, integrity, syntax). */
function isDeterministic(e: unknown): boolean {
  const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
  return typeof code === 'string' && /^(22|23|42)/.test(code);
}

export class PartitionWorker {
  private readonly cache = new Map<string, Active>();
  private readonly timers = new Map<string, { at: number; timer: Timer }>();
  private readonly log: Logger;
  private appliedSeq = 0;
  private feed?: PartitionFeed;
  private loop?: Promise<void>;
  private stopping = false;
  private lost = false;
  private sweeper?: Timer;
  private outboxQueue: OutboxEntry[] = [];
  /** Keys of messages whose domain writes fail every time: applied as errors, not retried forever. */
  private readonly poisoned = new Set<string>();
  /** Read applied keys before the next batch even when its actors are in memory (after a conflict). */
  private verify = false;
  private outboxBusy?: Promise<void>;

  constructor(private readonly cfg: WorkerConfig, private readonly deps: WorkerDeps) {
    this.log = logger('actor-worker', { p: cfg.partition, epoch: cfg.epoch });
  }

  get partition(): number {
    return this.cfg.partition;
  }

  get activeCount(): number {
    return this.cache.size;
  }

  /** Fences the partition, republishes its outbox, re-arms its timers and starts consuming. */
  async start(): Promise<void> {
    const { store, mailboxes } = this.deps;
    const { appliedSeq } = await store.fence(this.cfg.partition, this.cfg.epoch, this.cfg.hostId);
    this.appliedSeq = appliedSeq;
    this.outboxQueue.push(...(await store.outbox(this.cfg.partition)));
    this.kickOutbox();
    for (const t of await store.deadlines(this.cfg.partition)) this.arm(t.kind, t.id, t.deadline);
    this.feed = await mailboxes.open(this.cfg.partition, appliedSeq + 1, this.cfg.epoch);
    this.scheduleSweep();
    this.loop = this.run();
  }

  /** Graceful stop: no more fetching, finish the batch in hand, flush the outbox. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sweeper?.cancel();
    await this.feed?.stop();
    await this.loop;
    await this.outboxBusy;
    for (const t of this.timers.values()) t.timer.cancel();
    this.timers.clear();
    this.cache.clear();
  }

  /** The lease is gone: stop at once; nothing more will commit (the store's fence guarantees it). */
  abort(): void {
    this.stopping = true;
    this.lost = true;
    this.sweeper?.cancel();
    void this.feed?.stop();
    for (const t of this.timers.values()) t.timer.cancel();
    this.timers.clear();
    this.cache.clear();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let msgs: MailboxMessage[];
      try {
        msgs = await this.feed!.next(this.cfg.maxBatch);
      } catch (e) {
        if (this.stopping) break;
        this.log.warn({ err: (e as Error).message }, 'partition feed failed; giving the partition up');
        this.loseLease(`feed failed: ${(e as Error).message}`);
        break;
      }
      if (msgs.length === 0) continue;
      await this.processWithRetry(msgs);
    }
  }

  private loseLease(reason: string): void {
    if (this.lost) return;
    this.abort();
    this.deps.onLost(reason);
  }

  private async processWithRetry(msgs: MailboxMessage[]): Promise<void> {
    let delay = 50;
    for (let attempt = 0; ; attempt++) {
      if (this.lost) return;
      if (!this.deps.leaseValid()) {
        this.loseLease('lease not renewed in time');
        return;
      }
      try {
        const done = await this.process(msgs);
        if (done >= msgs.length) return;
        // the batch was cut before a message that must read what the first part writes
        msgs = msgs.slice(done);
        attempt = -1;
        delay = 50;
        continue;
      } catch (e) {
        if (e instanceof FencedError) {
          m.fenced.inc();
          this.log.warn({ err: e.message }, 'fenced out: another host holds this partition now');
          this.loseLease(e.message);
          return;
        }
        if (e instanceof VersionConflict) {
          m.retries.labels('version_conflict').inc();
          this.log.warn({ err: e.message }, 'stale snapshot or applied key; reloading');
          this.cache.clear();
          this.verify = true;
          if (attempt >= 5) {
            // someone else keeps writing these actors: we cannot be the rightful holder
            this.loseLease(`persistent version conflict: ${e.message}`);
            return;
          }
          await this.deps.clock.sleep(delay);
          delay = Math.min(delay * 2, 2000);
          continue;
        }
        if (isDeterministic(e) && msgs.length > 1) {
          // one message's domain write is at fault: apply the batch one by one so the others pass
          m.retries.labels('split').inc();
          for (const one of msgs) await this.processWithRetry([one]);
          return;
        }
        if (isDeterministic(e)) {
          m.retries.labels('poison').inc();
          this.log.error({ err: e, key: msgs[0].key, subject: msgs[0].subject }, 'message failed deterministically; answering internal and skipping it');
          this.poisoned.add(msgs[0].key);
          continue;
        }
        m.retries.labels('transient').inc();
        if (attempt % 10 === 0) this.log.warn({ err: (e as Error).message, attempt }, 'batch failed; retrying');
        await this.deps.clock.sleep(delay);
        delay = Math.min(delay * 2, 2000);
        if (this.stopping && !this.lost) {
          // a graceful stop leaves unprocessed messages to the next holder
          return;
        }
      }
    }
  }

  private parse(msg: MailboxMessage): Parsed {
    const addr = parseActorSubject(msg.subject);
    if (!addr) return { msg, kind: '?', id: '?', error: new TroupeError('bad_request', `not an actor subject: ${msg.subject}`) };
    const kind = this.deps.kinds.get(addr.kind);
    if (!kind) return { msg, kind: addr.kind, id: addr.id, error: new TroupeError('not_found', `no actor kind "${addr.kind}"`) };
    if (this.poisoned.has(msg.key)) return { msg, kind: addr.kind, id: addr.id, error: new TroupeError('internal', 'the message could not be applied (logged)') };
    let body: unknown;
    try {
      body = decodeJson(msg.data);
    } catch {
      return { msg, kind: addr.kind, id: addr.id, error: new TroupeError('bad_json', 'message body is not JSON') };
    }
    const meta: EventMeta = { at: msg.time, key: msg.key, from: msg.from, asked: msg.replyTo !== undefined };
    if ((body as { type?: unknown })?.type === TIMERS) return { msg, kind: addr.kind, id: addr.id, event: { type: TIMERS, meta } };
    try {
      validate(kind.messages, body, 'bad_request', `${addr.kind} message`);
    } catch (e) {
      return { msg, kind: addr.kind, id: addr.id, error: e as TroupeError };
    }
    return { msg, kind: addr.kind, id: addr.id, event: { ...(body as object), meta } as unknown as Parsed['event'] };
  }

  /** Whether the kind reads facts from the record for this event (ActorKind.loads). */
  private needsLoad(p: Parsed): boolean {
    return p.event !== undefined && p.event.type !== TIMERS && this.deps.kinds.get(p.kind)?.loads?.[p.event.type] !== undefined;
  }

  /**
   * Applies a prefix of `msgs` in one fenced transaction and returns its length: all of them, unless
   * a message must read rows an earlier message of the batch to the same actor is about to write;
   * the batch is cut before it, so its read runs after that commit.
   */
  private async process(msgs: MailboxMessage[]): Promise<number> {
    const { store, observer, clock } = this.deps;
    const started = performance.now();
    let count = msgs.length;
    const fresh: MailboxMessage[] = [];
    const parsed: Parsed[] = [];
    const touched = new Set<string>();
    for (let i = 0; i < msgs.length; i++) {
      const msg = msgs[i];
      if (msg.seq <= this.appliedSeq) {
        msg.ack(); // a redelivery of something already committed
        continue;
      }
      const p = this.parse(msg);
      const ak = actorKey(p.kind, p.id);
      if (fresh.length > 0 && touched.has(ak) && this.needsLoad(p)) {
        count = i;
        break;
      }
      touched.add(ak);
      fresh.push(msg);
      parsed.push(p);
    }
    if (fresh.length === 0) return count;
    const lastSeq = fresh[fresh.length - 1].seq;
    const actorsTouched = [...new Set(parsed.filter((p) => p.event).map((p) => actorKey(p.kind, p.id)))];
    observer?.batchStarted?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, actorsTouched);

    // 1. read what the batch needs: the actors not in memory, which keys were judged before, and
    // the facts events load. With every actor in memory the key read is skipped: a key applied
    // before makes the commit fail its inbox check, and the retry reads (verify) and answers it as
    // a duplicate with the stored reply.
    const missing = new Map<string, { kind: string; id: string }>();
    for (const p of parsed) if (p.event && !this.cache.has(actorKey(p.kind, p.id))) missing.set(actorKey(p.kind, p.id), { kind: p.kind, id: p.id });
    const loading = parsed.filter((p) => this.needsLoad(p));
    const [{ seen, actors: loaded }, loadedRows] = await Promise.all([
      missing.size || this.verify
        ? store.read(parsed.map((p) => p.msg.key), [...missing.values()])
        : { seen: new Map<string, KeyResult>(), actors: new Map<string, StoredActor>() },
      loading.length
        ? store.lookup(loading.map((p) => (db: unknown) => this.deps.kinds.get(p.kind)!.loads![p.event!.type](p.event!, { kind: p.kind, id: p.id }, db as never)))
        : [],
    ]);
    loading.forEach((p, i) => {
      p.event = { ...p.event!, loaded: loadedRows[i] };
    });

    // 2. run the machines (pure)
    const staged = new Map<string, Active>();
    const outcomes: Outcome[] = [];
    /** One entry per key: a key judged twice in a batch (a refusal, then a fresh retry) keeps the last. */
    const inbox = new Map<string, InboxEntry>();
    const sends: Omit<OutboxEntry, 'id'>[] = [];
    const writes: PlannedWrite[] = [];
    const applied: { actor: string; version: number; key: string; seq: number }[] = [];
    const refused: { actor: string; key: string; seq: number }[] = [];
    const judge = (p: Parsed, reply: Reply | undefined, final: boolean) => {
      const { msg } = p;
      const stored = msg.replyTo ? reply ?? null : null;
      inbox.set(msg.key, { key: msg.key, kind: p.kind, id: p.id, seq: msg.seq, reply: stored, final });
      seen.set(msg.key, { reply: stored, final, seq: msg.seq });
    };
    for (const p of parsed) {
      const { msg } = p;
      const prior = seen.get(msg.key);
      if (prior?.final) {
        // applied before (a retry after the duplicate window): answer again, change nothing
        outcomes.push({ msg, reply: (prior.reply as Reply | null) ?? undefined, publishes: [] });
        continue;
      }
      // new, or refused before: judged (afresh)
      if (!p.event) {
        const reply = errorReply(p.error!.code, p.error!.message);
        outcomes.push({ msg, reply, publishes: [] });
        judge(p, reply, isFinalReply(reply));
        m.messages.labels(p.kind, p.error!.code).inc();
        continue;
      }
      const kind = this.deps.kinds.get(p.kind)!;
      const ak = actorKey(p.kind, p.id);
      const current: Active = staged.get(ak) ?? this.cache.get(ak) ?? { kind: p.kind, id: p.id, lastUsed: clock.now(), stored: loaded.get(ak) ?? { version: 0, epoch: this.cfg.epoch, machineVersion: kind.version, state: null as unknown as PersistedMachine, deadline: null } };
      const effects: Effect[] = [];
      let before: PersistedMachine | null = null;
      let state: PersistedMachine;
      let reply: Reply | undefined;
      try {
        if (current.stored.version === 0 && current.stored.state === null) {
          const init = initialState(kind, p.id);
          state = init.state;
          effects.push(...init.effects);
          // an actor that would be refused its first message is never created
          if (init.effects.length === 0) before = state;
        } else {
          state = restore(kind, current.stored.state, current.stored.machineVersion);
          before = state;
        }
        if (p.event.type === TIMERS) {
          for (const due of dueDeadlines(state, msg.time)) {
            const r = step(kind, state, { type: 'timer', name: due.name, meta: p.event.meta } as { type: string });
            state = r.state;
            effects.push(...r.effects);
          }
        } else {
          const r = step(kind, state, p.event);
          state = r.state;
          effects.push(...r.effects);
        }
        for (const eff of effects) if (eff.type === 'write' && !kind.writers?.[eff.op]) throw new Error(`${p.kind} has no writer for "${eff.op}"`);
      } catch (e) {
        this.log.error({ err: e, actor: ak, type: p.event.type }, 'machine threw; message answered with internal and not applied');
        reply = errorReply('internal', 'the actor failed to handle this message (logged)');
        outcomes.push({ msg, reply, publishes: [] });
        judge(p, reply, false);
        m.messages.labels(p.kind, 'machine_error').inc();
        continue;
      }
      for (const eff of effects) {
        if (eff.type === 'reply') reply ??= okReply(eff.body);
        else if (eff.type === 'fail') reply ??= errorReply(eff.code, eff.message);
      }
      if (!isFinalReply(reply) && before !== null && effects.every((e) => e.type === 'reply' || e.type === 'fail') && JSON.stringify(state) === JSON.stringify(before)) {
        // a refusal: answered, nothing stored but the answer (not final), no new version
        outcomes.push({ msg, reply, publishes: [] });
        judge(p, reply, false);
        refused.push({ actor: ak, key: msg.key, seq: msg.seq });
        m.messages.labels(p.kind, (reply as { error: { code: string } }).error.code).inc();
        continue;
      }
      const publishes: Outcome['publishes'] = [];
      let sendIndex = 0;
      for (const eff of effects) {
        switch (eff.type) {
          case 'publish': publishes.push({ subject: eff.subject, body: eff.body }); break;
          case 'send': {
            const target = subjects.actor(eff.kind, partitionOf(eff.kind, eff.id, this.cfg.partitions), eff.id);
            sends.push({ subject: target, key: eff.key ?? `${msg.key}/${sendIndex++}`, body: eff.body, origin: ak });
            break;
          }
          case 'write':
            writes.push({ writer: kind.writers![eff.op] as PlannedWrite['writer'], op: eff.op, data: eff.data, actor: { kind: p.kind, id: p.id } });
            break;
          default: break;
        }
      }
      if (!reply && msg.replyTo) reply = okReply();
      const version = current.stored.version + 1;
      staged.set(ak, {
        kind: p.kind, id: p.id, lastUsed: clock.now(), baseVersion: current.baseVersion ?? current.stored.version,
        stored: { version, epoch: this.cfg.epoch, machineVersion: kind.version, state, deadline: earliestDeadline(state) },
      });
      outcomes.push({ msg, reply, publishes });
      judge(p, reply, true);
      applied.push({ actor: ak, version, key: msg.key, seq: msg.seq });
      observer?.staged?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, { actor: ak, version, seq: msg.seq, state });
      m.messages.labels(p.kind, reply && !reply.ok ? (reply as { error: { code: string } }).error.code : 'ok').inc();
    }

    // 3. commit, fenced
    if (!this.deps.leaseValid()) throw new FencedError('lease expired before commit');
    const saves: SaveActor[] = [...staged.values()].map((a) => ({ kind: a.kind, id: a.id, baseVersion: a.baseVersion!, version: a.stored.version, machineVersion: a.stored.machineVersion, state: a.stored.state, deadline: a.stored.deadline }));
    let sent: OutboxEntry[];
    try {
      sent = await store.commit(this.cfg.partition, this.cfg.epoch, lastSeq, { saves, inbox: [...inbox.values()], outbox: sends, writes, audit: { applied, refused } });
    } catch (e) {
      observer?.batchFailed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, actorsTouched, e);
      throw e;
    }

    // 4. committed: publish replies and events, hand sends to the outbox publisher, ack
    this.verify = false;
    for (const msg of fresh) this.poisoned.delete(msg.key);
    observer?.committed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, applied);
    this.appliedSeq = lastSeq;
    for (const [ak, a] of staged) {
      a.baseVersion = undefined;
      const before = this.cache.get(ak)?.stored.deadline ?? null;
      this.cache.set(ak, a);
      if (a.stored.deadline !== before || (a.stored.deadline !== null && !this.timers.has(ak))) this.arm(a.kind, a.id, a.stored.deadline);
    }
    for (const o of outcomes) {
      for (const pub of o.publishes) this.deps.bus.publish(pub.subject, encodeJson(pub.body));
      if (o.reply && o.msg.replyTo) this.deps.bus.publish(o.msg.replyTo, encodeJson(o.reply));
    }
    if (sent.length) {
      this.outboxQueue.push(...sent);
      this.kickOutbox();
    }
    for (const msg of fresh) msg.ack();
    m.batchSize.observe(fresh.length);
    m.commitMessages.observe(fresh.length);
    m.batchSeconds.observe((performance.now() - started) / 1000);
    return count;
  }

  /** Publishes queued outbox entries in order, then deletes them; retried until they go out. */
  private kickOutbox(): void {
    if (this.outboxBusy || this.outboxQueue.length === 0) return;
    this.outboxBusy = (async () => {
      let delay = 100;
      while (this.outboxQueue.length && !this.lost) {
        const batch = this.outboxQueue.slice(0, 256);
        try {
          for (const e of batch) await this.deps.mailboxes.publish(e.subject, encodeJson(e.body), { key: e.key, from: e.origin });
          await this.deps.store.deleteOutbox(batch.map((e) => e.id));
          this.outboxQueue.splice(0, batch.length);
          delay = 100;
        } catch (e) {
          this.log.warn({ err: (e as Error).message }, 'outbox publish failed; retrying');
          await this.deps.clock.sleep(delay);
          delay = Math.min(delay * 2, 5000);
        }
      }
    })().finally(() => {
      this.outboxBusy = undefined;
      if (this.outboxQueue.length && !this.lost) this.kickOutbox();
    });
  }

  /** Arms the actor's timer for its earliest deadline; when due, a $timers message goes to its mailbox. */
  private arm(kind: string, id: string, deadline: number | null): void {
    const ak = actorKey(kind, id);
    const prev = this.timers.get(ak);
    if (prev && prev.at === deadline) return;
    prev?.timer.cancel();
    this.timers.delete(ak);
    if (deadline === null || this.stopping) return;
    const delay = Math.max(0, deadline - this.deps.clock.now());
    const timer = this.deps.clock.setTimer(delay, () => {
      this.timers.delete(ak);
      if (this.stopping) return;
      const subject = subjects.actor(kind, this.cfg.partition, id);
      // the key makes the same deadline fire once, whichever host arms it
      this.deps.mailboxes.publish(subject, encodeJson({ type: TIMERS }), { key: `timer:${ak}:${deadline}` }).catch((e) => {
        this.log.warn({ err: (e as Error).message, actor: ak }, 'could not publish a timer; retrying soon');
        if (!this.stopping) this.arm(kind, id, deadline + 1000);
      });
    });
    this.timers.set(ak, { at: deadline, timer });
  }

  /** Passivation: actors idle longer than the limit leave memory (their snapshot is already stored). */
  private scheduleSweep(): void {
    const every = Math.max(1000, Math.floor(this.cfg.passivateAfterMs / 2));
    this.sweeper = this.deps.clock.setTimer(every, () => {
      const cutoff = this.deps.clock.now() - this.cfg.passivateAfterMs;
      for (const [k, a] of this.cache) if (a.lastUsed < cutoff) this.cache.delete(k);
      if (!this.stopping) this.scheduleSweep();
    });
  }

  /** For operators: an actor's state as this holder sees it (memory first). */
  peek(kind: string, id: string): StoredActor | undefined {
    return this.cache.get(actorKey(kind, id))?.stored;
  }
}

export { toWireError };
