// One partition on its lease holder: consume the partition's mailboxes in stream order, plan each
// round of messages (plan.ts: the machines decide), have the host's committer (committer.ts) commit
// the staged batch in its next fenced transaction, then publish replies, events and outbox sends,
// and ack. This is where an actor message changes state.
//
// Pipelined: while the partition's batch is being committed, the worker keeps consuming and plans
// the next messages on top of the staged (not yet committed) states; they go into the next commit.
// When a commit fails, everything staged after it is discarded and planned again from what is
// committed, in stream order. A message whose event loads facts (ActorKind.loads) waits until every
// earlier message to its actor has committed.
import { subjects, parseActorSubject, validate, TroupeError, toWireError } from '../../protocol/mod.ts';
import { logger, type Logger } from '../../lib/mod.ts';
import type { ActorKind, PersistedMachine } from './kind.ts';
import { TIMERS, encodeJson, decodeJson, errorReply } from './messages.ts';
import { actorKey, answerQuery, apartChanged, emptyPlan, isDurable, mergePlan, needsLoad, parseMessage, planBatch, type Parsed, type Plan } from './plan.ts';
import { Committer, isDeterministic, type CommitSource } from './committer.ts';
import { FencedError, VersionConflict, type Bus, type Clock, type CommitPart, type KeyResult, type Mailboxes, type MailboxMessage, type OutboxEntry, type PartitionFeed, type Store, type StoredActor, type Timer } from './ports.ts';
import { runtimeMetrics as m } from './metrics.ts';

/** Hooks for simulation and tests to record what happened. */
export interface RuntimeObserver {
  /**
   * A batch started: its first messages are about to be planned (before their reads). `batch`
   * numbers the partition worker's batches; its commit carries it (`CommitPlan.audit.batch`).
   */
  batchStarted?(host: string, partition: number, epoch: number, actors: string[], batch: number): void;
  /** A batch committed (a partition's batches commit in the order they started): each applied message with the actor version it produced. */
  committed?(host: string, partition: number, epoch: number, applied: { actor: string; version: number; key: string; seq: number }[], batch: number): void;
  /**
   * A message changed an actor: the version and state it produced, before the batch commits (a
   * retried batch reports it again, with the same result). Replay audits capture states with it.
   */
  staged?(host: string, partition: number, epoch: number, change: { actor: string; version: number; seq: number; state: PersistedMachine }): void;
  /** A batch was discarded without committing (its commit failed, or an earlier batch's did). */
  batchFailed?(host: string, partition: number, epoch: number, actors: string[], error: unknown, batch: number): void;
}

export interface WorkerConfig {
  hostId: string;
  partition: number;
  epoch: number;
  partitions: number;
  /** Messages one batch holds at most (what is planned while a commit is in flight included). */
  maxBatch: number;
  passivateAfterMs: number;
}

export interface WorkerDeps {
  kinds: ReadonlyMap<string, ActorKind>;
  store: Store;
  mailboxes: Mailboxes;
  bus: Bus;
  clock: Clock;
  /** The host's committer (a worker of its own makes one). */
  committer?: Committer;
  observer?: RuntimeObserver;
  /** Whether the lease is still ours (checked before every commit and every answer without one). */
  leaseValid(): boolean;
  /** Called once when the worker learns it lost the partition (fenced). */
  onLost(reason: string): void;
}

interface Active {
  kind: string;
  id: string;
  stored: StoredActor;
  lastUsed: number;
}

/** Planned messages waiting for (or in) a commit. */
interface Batch {
  id: number;
  msgs: MailboxMessage[];
  lastSeq: number;
  plan: Plan;
  actors: Set<string>;
  /** Write the applied sequence even if the plan writes nothing (a flush after unchanged answers). */
  persistSeq: boolean;
  startedAt: number;
}

/** Applied sequence of answers that wrote nothing is recorded with the next commit, or after this long. */
const SEQ_FLUSH_MS = 1000;

export class PartitionWorker implements CommitSource {
  /** Committed states of the actors in memory. */
  private readonly cache = new Map<string, Active>();
  /** The latest staged, not yet committed, state of each actor a batch in hand changed. */
  private readonly staged = new Map<string, StoredActor>();
  /** Keys the batches in hand judged (a later message with the key sees that judgement). */
  private readonly stagedKeys = new Map<string, { result: KeyResult; batch: number }>();
  private readonly timers = new Map<string, { at: number; timer: Timer }>();
  private readonly log: Logger;
  private readonly committer: Committer;
  /** Received from the feed, not yet planned, in stream order. */
  private backlog: MailboxMessage[] = [];
  /** The highest stream sequence taken from the feed (a redelivery at or below it is skipped). */
  private receivedSeq = 0;
  private appliedSeq = 0;
  /** Applied in memory by answers that wrote nothing, not yet recorded. */
  private unrecordedSeq = 0;
  private seqFlush?: Timer;
  /** Planned, waiting for the next commit; and the batch in the commit in flight. */
  private open?: Batch;
  private sealed?: Batch;
  /** Bumped when staged work is discarded: a plan that read across it starts over. */
  private generation = 0;
  private batches = 0;
  private failure?: { error: unknown; msgs: number };
  /** Planning waits for a commit to settle (the head message loads facts of a staged actor, or the batch is full). */
  private blocked = false;
  private waiters: (() => void)[] = [];
  /** Answers that wrote nothing left the recorded sequence behind for a while: record it. */
  private flushWanted = false;
  private feed?: PartitionFeed;
  private feedError?: Error;
  private loop?: Promise<void>;
  private pump?: Promise<void>;
  private stopping = false;
  private lost = false;
  private sweeper?: Timer;
  private outboxQueue: OutboxEntry[] = [];
  /** Keys of messages whose domain writes fail every time: applied as errors, not retried forever. */
  private readonly poisoned = new Set<string>();
  /** Read applied keys before the next batch even when its actors are in memory (after a conflict). */
  private verify = false;
  /** After a deterministic failure: commit this many messages one at a time to find the culprit. */
  private oneByOne = 0;
  private attempts = 0;
  private delay = 50;
  private outboxBusy?: Promise<void>;
  private queries?: { stop(): void };

  constructor(private readonly cfg: WorkerConfig, private readonly deps: WorkerDeps) {
    this.log = logger('actor-worker', { p: cfg.partition, epoch: cfg.epoch });
    this.committer = deps.committer ?? new Committer(deps.store, deps.clock);
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
    this.receivedSeq = appliedSeq;
    this.outboxQueue.push(...(await store.outbox(this.cfg.partition)));
    this.kickOutbox();
    for (const t of await store.deadlines(this.cfg.partition)) this.arm(t.kind, t.id, t.deadline);
    this.feed = await mailboxes.open(this.cfg.partition, appliedSeq + 1, this.cfg.epoch);
    this.queries = this.deps.bus.serve?.(subjects.actorQueryPartition(this.cfg.partition), (req) => void this.answer(req));
    this.scheduleSweep();
    this.pump = this.consume();
    this.loop = this.run();
  }

  /** Graceful stop: no more fetching, commit what is planned, flush the outbox. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.queries?.stop();
    this.sweeper?.cancel();
    await this.feed?.stop();
    this.signal();
    await this.pump;
    await this.loop;
    await this.outboxBusy;
    this.seqFlush?.cancel();
    for (const t of this.timers.values()) t.timer.cancel();
    this.timers.clear();
    this.cache.clear();
  }

  /** The lease is gone: stop at once; nothing more will commit (the store's fence guarantees it). */
  abort(): void {
    this.stopping = true;
    this.lost = true;
    this.queries?.stop();
    this.sweeper?.cancel();
    this.seqFlush?.cancel();
    void this.feed?.stop();
    this.committer.withdraw(this);
    this.open = undefined;
    for (const t of this.timers.values()) t.timer.cancel();
    this.timers.clear();
    this.cache.clear();
    this.staged.clear();
    this.stagedKeys.clear();
    this.signal();
  }

  /** Wakes the planning loop and the consuming pump (whichever waits). */
  private signal(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  private signalled(): Promise<void> {
    return new Promise<void>((r) => this.waiters.push(r));
  }

  /** Takes messages from the feed into the backlog as they come, while commits are in flight. */
  private async consume(): Promise<void> {
    while (!this.stopping) {
      if (this.backlog.length >= this.cfg.maxBatch * 2) {
        await this.signalled();
        continue;
      }
      let msgs: MailboxMessage[];
      try {
        msgs = await this.feed!.next(this.cfg.maxBatch);
      } catch (e) {
        if (!this.stopping) this.feedError = e as Error;
        this.signal();
        return;
      }
      for (const msg of msgs) {
        if (msg.seq <= this.receivedSeq) {
          msg.ack(); // a redelivery of something in hand or applied
          continue;
        }
        this.receivedSeq = msg.seq;
        this.backlog.push(msg);
      }
      if (msgs.length) this.signal();
    }
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.lost) return;
      if (this.feedError && !this.stopping) {
        this.log.warn({ err: this.feedError.message }, 'partition feed failed; giving the partition up');
        this.loseLease(`feed failed: ${this.feedError.message}`);
        return;
      }
      if (this.failure) {
        if (!(await this.recover())) return;
        continue;
      }
      if (this.stopping) {
        // finish what is planned; leave the rest to the next holder
        if (!this.open && !this.sealed) return;
        await this.signalled();
        continue;
      }
      if (this.flushWanted && !this.open && !this.sealed) {
        this.flushWanted = false;
        if (this.unrecordedSeq > this.appliedSeq) {
          const id = ++this.batches;
          this.deps.observer?.batchStarted?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, [], id);
          this.open = { id, msgs: [], lastSeq: this.unrecordedSeq, plan: emptyPlan(), actors: new Set(), persistSeq: true, startedAt: performance.now() };
          this.committer.ready(this);
        }
        continue;
      }
      if (this.backlog.length === 0 || this.blocked) {
        await this.signalled();
        continue;
      }
      if (!this.deps.leaseValid()) {
        this.loseLease('lease not renewed in time');
        return;
      }
      await this.planRound();
    }
  }

  private loseLease(reason: string): void {
    if (this.lost) return;
    this.abort();
    this.deps.onLost(reason);
  }

  /** Handles a failed commit (its messages are back at the head of the backlog); false: give up. */
  private async recover(): Promise<boolean> {
    const { error, msgs } = this.failure!;
    this.failure = undefined;
    const attempt = this.attempts++;
    if (error instanceof FencedError) {
      m.fenced.inc();
      this.log.warn({ err: error.message }, 'fenced out: another host holds this partition now');
      this.loseLease(error.message);
      return false;
    }
    if (error instanceof VersionConflict) {
      m.retries.labels('version_conflict').inc();
      this.log.warn({ err: error.message }, 'stale snapshot or applied key; reloading');
      this.cache.clear();
      this.verify = true;
      if (attempt >= 5) {
        // someone else keeps writing these actors: we cannot be the rightful holder
        this.loseLease(`persistent version conflict: ${error.message}`);
        return false;
      }
      await this.backoff();
      return true;
    }
    if (isDeterministic(error) && msgs > 1) {
      // one message's domain write is at fault: commit them one by one so the others pass
      m.retries.labels('split').inc();
      this.oneByOne = msgs;
      this.attempts = 0;
      return true;
    }
    if (isDeterministic(error) && msgs === 1) {
      m.retries.labels('poison').inc();
      const culprit = this.backlog[0];
      this.log.error({ err: error, key: culprit?.key, subject: culprit?.subject }, 'message failed deterministically; answering internal and skipping it');
      if (culprit) this.poisoned.add(culprit.key);
      this.oneByOne = Math.max(this.oneByOne, 1);
      return true;
    }
    // anything else (a batch that only records the sequence cannot be at fault either): retried
    m.retries.labels('transient').inc();
    if (attempt % 10 === 0) this.log.warn({ err: (error as Error).message, attempt }, 'batch failed; retrying');
    await this.backoff();
    // a graceful stop leaves unprocessed messages to the next holder
    return !(this.stopping && !this.lost);
  }

  private async backoff(): Promise<void> {
    await this.deps.clock.sleep(this.delay);
    this.delay = Math.min(this.delay * 2, 2000);
  }

  /** How many backlog messages the next round may plan. */
  private room(): number {
    if (this.oneByOne > 0) return this.open || this.sealed ? 0 : 1;
    return this.cfg.maxBatch - (this.open?.msgs.length ?? 0);
  }

  /**
   * Plans a prefix of the backlog on top of what is staged and adds it to the open batch: all of
   * it that fits, unless a message must read rows its actor's earlier messages are about to write;
   * planning stops before it until those have committed.
   */
  private async planRound(): Promise<void> {
    const { kinds, store, observer, clock } = this.deps;
    const room = this.room();
    const parsed: Parsed[] = [];
    const touched = new Set<string>();
    for (const msg of this.backlog) {
      if (parsed.length >= room) break;
      const p = parseMessage(msg, kinds, this.poisoned);
      const ak = actorKey(p.kind, p.id);
      if (needsLoad(p, kinds) && (this.staged.has(ak) || touched.has(ak))) break;
      touched.add(ak);
      parsed.push(p);
    }
    if (parsed.length === 0) {
      this.blocked = true;
      return;
    }
    const generation = this.generation;
    const actors = [...new Set(parsed.filter((p) => p.event).map((p) => actorKey(p.kind, p.id)))];
    const starting = !this.open;
    const id = this.open?.id ?? ++this.batches;
    if (starting) observer?.batchStarted?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, actors, id);

    // 1. read what the round needs: the actors neither staged nor in memory, which keys were
    // judged before, and the facts events load. With every actor at hand the key read is skipped:
    // a key applied before makes the commit fail its inbox check, and the retry reads (verify)
    // and answers it as a duplicate with the stored reply.
    const missing = new Map<string, { kind: string; id: string }>();
    const now = clock.now();
    for (const p of parsed) {
      if (!p.event) continue;
      const ak = actorKey(p.kind, p.id);
      const cached = this.cache.get(ak);
      if (cached) cached.lastUsed = now;
      else if (!this.staged.has(ak)) missing.set(ak, { kind: p.kind, id: p.id });
    }
    const loading = parsed.filter((p) => needsLoad(p, kinds));
    let seen: Map<string, KeyResult>;
    let loaded: Map<string, StoredActor>;
    let loadedRows: Record<string, unknown>[][];
    try {
      [{ seen, actors: loaded }, loadedRows] = await Promise.all([
        missing.size || this.verify
          ? store.read(parsed.map((p) => p.msg.key), [...missing.values()])
          : { seen: new Map<string, KeyResult>(), actors: new Map<string, StoredActor>() },
        loading.length
          ? store.lookup(loading.map((p) => (db: unknown) => kinds.get(p.kind)!.loads![p.event!.type](p.event!, { kind: p.kind, id: p.id }, db as never)))
          : [],
      ]);
    } catch (e) {
      if (starting) observer?.batchFailed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, actors, e, id);
      if (generation === this.generation && !this.lost) this.failure = { error: e, msgs: parsed.length };
      return;
    }
    if (generation !== this.generation || this.lost) {
      // a commit failed meanwhile: the backlog was rebuilt; plan again from what is committed
      if (starting) observer?.batchFailed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, actors, new Error('superseded'), id);
      return;
    }
    loading.forEach((p, i) => {
      p.event = { ...p.event!, loaded: loadedRows[i] };
    });
    for (const [ak, s] of loaded) {
      const [kind, id] = [ak.slice(0, ak.indexOf('.')), ak.slice(ak.indexOf('.') + 1)];
      this.cache.set(ak, { kind, id, stored: s, lastUsed: now });
    }

    // 2. the machines decide (pure); a key judged by a batch in hand counts as judged
    const plan = planBatch({
      kinds, epoch: this.cfg.epoch, partitions: this.cfg.partitions, parsed, seenOf: (k) => this.stagedKeys.get(k)?.result ?? seen.get(k),
      actorOf: (ak) => this.staged.get(ak) ?? this.cache.get(ak)?.stored,
    });
    this.backlog.splice(0, parsed.length);
    this.signal(); // the pump may wait for room in the backlog
    for (const f of plan.failures) this.log.error({ err: f.error, actor: f.actor, type: f.type }, 'machine threw; message answered with internal and not applied');
    for (const c of plan.counts) m.messages.labels(c.kind, c.outcome).inc();
    for (const s of plan.staged) observer?.staged?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, s);
    for (const [ak, c] of plan.changes) this.staged.set(ak, c.stored);
    const msgs = parsed.map((p) => p.msg);
    if (this.open && this.open.id === id) {
      mergePlan(this.open.plan, plan);
      this.open.msgs.push(...msgs);
      this.open.lastSeq = msgs[msgs.length - 1].seq;
      for (const a of actors) this.open.actors.add(a);
    } else {
      let batch = id;
      if (!starting) {
        // the batch this round was to join went into a commit meanwhile: this one follows it
        batch = ++this.batches;
        observer?.batchStarted?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, actors, batch);
      }
      this.open = { id: batch, msgs, lastSeq: msgs[msgs.length - 1].seq, plan, actors: new Set(actors), persistSeq: false, startedAt: performance.now() };
    }
    for (const [k, e] of plan.inbox) this.stagedKeys.set(k, { result: { reply: e.reply, final: e.final, seq: e.seq }, batch: this.open.id });

    // 3. into the next commit, unless one of ours is in flight (then after it)
    if (!this.sealed) this.submit();
  }

  /**
   * The open batch goes to the committer. One that writes nothing (every message answered without
   * a change) is answered at once, from memory, while the lease is surely ours: no other holder
   * can have committed anything since our last commit. Its sequence is recorded with the next
   * commit, or by a commit of its own a second later.
   */
  private submit(): void {
    const b = this.open;
    if (!b) return;
    if (isDurable(b.plan) || b.persistSeq) {
      this.committer.ready(this);
      return;
    }
    this.open = undefined;
    if (!this.deps.leaseValid()) {
      this.fail(new FencedError('lease expired before answering'), b);
      return;
    }
    this.deps.observer?.committed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, [], b.id);
    this.finish(b, []);
    this.unrecordedSeq = b.lastSeq;
    this.seqFlush ??= this.deps.clock.setTimer(SEQ_FLUSH_MS, () => {
      this.seqFlush = undefined;
      if (this.stopping || this.unrecordedSeq <= this.appliedSeq) return;
      if (this.open) this.open.persistSeq = true; // goes with it
      else this.flushWanted = true;
      this.signal();
    });
  }

  /** CommitSource: messages staged for the next commit. */
  pending(): number {
    return this.open?.msgs.length ?? 0;
  }

  /** CommitSource: the open batch goes into a commit starting now. */
  seal(): CommitPart | null {
    const b = this.open;
    if (!b || this.sealed || this.lost) return null;
    this.open = undefined;
    if (!this.deps.leaseValid()) {
      this.fail(new FencedError('lease expired before commit'), b);
      return null;
    }
    this.sealed = b;
    const saves = [...b.plan.changes.values()].map((c) => {
      const keys = this.deps.kinds.get(c.kind)?.apart;
      return {
        kind: c.kind, id: c.id, baseVersion: c.base, version: c.stored.version, machineVersion: c.stored.machineVersion, state: c.stored.state, deadline: c.stored.deadline,
        ...(keys?.length ? { apart: { keys, changed: c.base === 0 || apartChanged(keys, c.baseState, c.stored.state) } } : {}),
      };
    });
    return {
      partition: this.cfg.partition, epoch: this.cfg.epoch, appliedSeq: b.lastSeq, messages: b.msgs.length,
      plan: { saves, inbox: [...b.plan.inbox.values()], outbox: b.plan.sends, writes: b.plan.writes, audit: { applied: b.plan.applied, refused: b.plan.refused, batch: b.id } },
    };
  }

  /** CommitSource: the sealed batch committed or failed. */
  settle(result: { sent: OutboxEntry[] } | { error: unknown }): void {
    const b = this.sealed;
    this.sealed = undefined;
    if (!b || this.lost) return;
    if ('error' in result) {
      this.fail(result.error, b);
      return;
    }
    this.attempts = 0;
    this.delay = 50;
    if (this.oneByOne > 0) this.oneByOne = Math.max(0, this.oneByOne - b.msgs.length);
    this.verify = false;
    this.deps.observer?.committed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, b.plan.applied, b.id);
    this.appliedSeq = Math.max(this.appliedSeq, b.lastSeq);
    const now = this.deps.clock.now();
    for (const [ak, c] of b.plan.changes) {
      const before = this.cache.get(ak)?.stored.deadline ?? null;
      this.cache.set(ak, { kind: c.kind, id: c.id, stored: c.stored, lastUsed: now });
      if (this.staged.get(ak) === c.stored) this.staged.delete(ak);
      if (c.stored.deadline !== before || (c.stored.deadline !== null && !this.timers.has(ak))) this.arm(c.kind, c.id, c.stored.deadline);
    }
    for (const k of b.plan.inbox.keys()) if (this.stagedKeys.get(k)?.batch === b.id) this.stagedKeys.delete(k);
    this.finish(b, result.sent);
    m.batchSeconds.observe((performance.now() - b.startedAt) / 1000);
    this.blocked = false;
    this.submit();
    this.signal();
  }

  /** After the batch is applied: publish replies and events, hand sends to the outbox publisher, ack. */
  private finish(b: Batch, sent: OutboxEntry[]): void {
    for (const msg of b.msgs) this.poisoned.delete(msg.key);
    // an event to several subjects (a direct message to both of its users) is one body: encoded once
    let body: unknown;
    let bytes: Uint8Array | undefined;
    for (const o of b.plan.outcomes) {
      for (const pub of o.publishes) {
        if (pub.body !== body || !bytes) [body, bytes] = [pub.body, encodeJson(pub.body)];
        this.deps.bus.publish(pub.subject, bytes);
      }
      if (o.reply && o.msg.replyTo) this.deps.bus.publish(o.msg.replyTo, encodeJson(o.reply));
    }
    if (sent.length) {
      this.outboxQueue.push(...sent);
      this.kickOutbox();
    }
    for (const msg of b.msgs) msg.ack();
    m.batchSize.observe(b.msgs.length);
    // a timer message that found nothing due (it came early, or a retry) changed nothing: the
    // actor's deadline stays armed all the same
    for (const o of b.plan.outcomes) {
      if (o.msg.key.startsWith('timer:')) {
        const a = parseActorSubject(o.msg.subject);
        const stored = a && (this.staged.get(actorKey(a.kind, a.id)) ?? this.cache.get(actorKey(a.kind, a.id))?.stored);
        if (a && stored?.deadline != null && !this.timers.has(actorKey(a.kind, a.id))) this.arm(a.kind, a.id, stored.deadline);
      }
    }
  }

  /**
   * A commit failed (or the lease ran out before it): everything staged from `b` on is discarded
   * and its messages go back to the head of the backlog, to be planned again from what is committed.
   */
  private fail(error: unknown, b: Batch): void {
    const later = this.open;
    this.open = undefined;
    this.committer.withdraw(this);
    const err = error;
    for (const x of [b, later]) if (x) this.deps.observer?.batchFailed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, [...x.actors], err, x.id);
    this.backlog = [...b.msgs, ...(later?.msgs ?? []), ...this.backlog];
    this.staged.clear();
    this.stagedKeys.clear();
    this.generation++;
    this.blocked = false;
    this.failure = { error, msgs: b.msgs.length };
    this.signal();
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
      // the key makes the same deadline fire once, whichever host arms it; `at` says which
      // deadline is due, since the stream's timestamp may fall a little before it (a Node timer
      // runs from the loop's cached time and can fire early; another server's clock may lag)
      this.deps.mailboxes.publish(subject, encodeJson({ type: TIMERS, at: deadline }), { key: `timer:${ak}:${deadline}` }).catch((e) => {
        this.log.warn({ err: (e as Error).message, actor: ak }, 'could not publish a timer; retrying soon');
        // unless a commit armed the actor's next deadline meanwhile (that one is the earliest now)
        if (!this.stopping && !this.timers.has(ak)) this.arm(kind, id, deadline + 1000);
      });
    });
    this.timers.set(ak, { at: deadline, timer });
  }

  /** Passivation: actors idle longer than the limit leave memory (their snapshot is already stored). */
  private scheduleSweep(): void {
    const every = Math.max(1000, Math.floor(this.cfg.passivateAfterMs / 2));
    this.sweeper = this.deps.clock.setTimer(every, () => {
      const cutoff = this.deps.clock.now() - this.cfg.passivateAfterMs;
      for (const [k, a] of this.cache) if (a.lastUsed < cutoff && !this.staged.has(k)) this.cache.delete(k);
      if (!this.stopping) this.scheduleSweep();
    });
  }

  /**
   * Answers a query (ActorKind.queries) from the committed state in memory (read from the store
   * when the actor is not in memory), never from what a batch in hand staged. A holder not sure of
   * its lease stays silent: the asker then goes through the mailbox.
   */
  private async answer(req: { subject: string; data: Uint8Array; respond(data: Uint8Array): void }): Promise<void> {
    if (this.stopping || !this.deps.leaseValid()) return;
    const respond = (r: ReturnType<typeof errorReply>) => req.respond(encodeJson(r));
    const addr = parseActorSubject(req.subject, 'actq');
    const kind = addr && this.deps.kinds.get(addr.kind);
    if (!addr || !kind || addr.partition !== this.cfg.partition) return respond(errorReply('not_found', `no actor kind for ${req.subject}`));
    let body: { type: string; [k: string]: unknown };
    try {
      body = decodeJson(req.data);
      validate(kind.messages, body, 'bad_request', `${addr.kind} query`);
      if (!kind.queries?.includes(body.type)) throw new TroupeError('bad_request', `${addr.kind} "${body.type}" is not a query; send it as a message`);
    } catch (e) {
      const err = toWireError(e);
      m.queries.labels(addr.kind, err.code).inc();
      return respond({ ok: false, error: err });
    }
    const ak = actorKey(addr.kind, addr.id);
    let stored = this.cache.get(ak)?.stored;
    if (!stored) {
      try {
        stored = (await this.deps.store.load(addr.kind, addr.id)) ?? undefined;
      } catch (e) {
        this.log.warn({ err: (e as Error).message, actor: ak }, 'could not read an actor for a query');
        return;
      }
      if (this.lost || this.stopping || !this.deps.leaseValid()) return;
      if (stored && !this.cache.has(ak)) this.cache.set(ak, { kind: addr.kind, id: addr.id, stored, lastUsed: this.deps.clock.now() });
    }
    const reply = answerQuery(kind, addr.id, stored, { ...body, meta: { at: this.deps.clock.now(), key: 'query', asked: true } });
    m.queries.labels(addr.kind, reply.ok ? 'ok' : reply.error.code).inc();
    respond(reply);
  }

  /** For operators and queries: an actor's committed state as this holder sees it (memory first). */
  peek(kind: string, id: string): StoredActor | undefined {
    return this.cache.get(actorKey(kind, id))?.stored;
  }
}
