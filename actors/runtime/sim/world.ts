// In-memory stand-ins for NATS (JetStream mailboxes, core publishing, KV leases and nodes) and for
// Postgres (fence, snapshots, inbox, outbox), with fault injection driven by the scheduler's seed.
// Each host sees them through a `Gate`: pausing a gate freezes everything that host awaits, like
// SIGSTOP; killing it makes them never resolve, like SIGKILL.
import { FencedError, VersionConflict, type Bus, type HostDirectory, type InboxEntry, type KeyResult, type Leases, type MailboxMessage, type Mailboxes, type OutboxEntry, type PartitionFeed, type PublishOptions, type Store, type StoredActor } from '../ports.ts';
import { parseActorSubject } from '../../../protocol/mod.ts';
import type { ReplyInbox, ResultLookup } from '../client.ts';
import type { SimScheduler } from './scheduler.ts';

export interface Faults {
  /** Probability that a publish fails before reaching the stream. */
  publishLost: number;
  /** Probability that a publish reaches the stream but its ack is lost (the caller sees an error). */
  publishAckLost: number;
  /** Probability that a message's ack is lost (it is redelivered after the ack wait). */
  ackLost: number;
  /** Probability that a core message (reply, event) is dropped, or delivered twice. */
  coreDrop: number;
  coreDup: number;
  /** Probability that a store transaction fails transiently. */
  storeError: number;
  /** Probability that a lease operation fails transiently. */
  kvError: number;
  /** Extra latency range for every operation (ms). */
  maxLatency: number;
}

export const noFaults: Faults = { publishLost: 0, publishAckLost: 0, ackLost: 0, coreDrop: 0, coreDup: 0, storeError: 0, kvError: 0, maxLatency: 2 };

/** Controls one simulated host process. */
export class Gate {
  paused = false;
  dead = false;
  private waiting: (() => void)[] = [];

  constructor(readonly name: string) {}

  /** Runs `fn` now, after resume, or never. */
  run = (fn: () => void): void => {
    if (this.dead) return;
    if (this.paused) this.waiting.push(fn);
    else fn();
  };

  pass(): Promise<void> {
    if (this.dead) return new Promise(() => {});
    if (!this.paused) return Promise.resolve();
    return new Promise((r) => this.waiting.push(r));
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const w = this.waiting;
    this.waiting = [];
    for (const f of w) if (!this.dead) f();
  }

  kill(): void {
    this.dead = true;
    this.waiting = [];
  }
}

export class SimError extends Error {}

export class World {
  faults: Faults = { ...noFaults };
  constructor(readonly sched: SimScheduler, readonly partitions: number) {}

  latency(): number {
    return this.sched.int(0, this.faults.maxLatency);
  }

  /** Awaits simulated latency through the gate, both ways. */
  async hop(gate: Gate | undefined): Promise<void> {
    await new Promise<void>((r) => this.sched.schedule(this.latency(), r));
    if (gate) await gate.pass();
  }
}

// ---------- JetStream ----------

interface StreamMsg {
  seq: number;
  subject: string;
  partition: number;
  key: string;
  time: number;
  replyTo?: string;
  from?: string;
  data: Uint8Array;
}

interface Consumer {
  name: string;
  partition: number;
  cursor: number;
  pending: Map<number, number>;
  deleted: boolean;
  wake?: () => void;
}

export class SimJetStream {
  readonly messages: StreamMsg[] = [];
  private readonly dedupe = new Map<string, { seq: number; at: number }>();
  private readonly consumers = new Map<string, Consumer>();
  readonly ackWaitMs = 30_000;
  readonly duplicateWindowMs = 120_000;
  /** Keys accepted into the stream (the "accepted commands"). */
  readonly accepted: { key: string; seq: number; subject: string }[] = [];

  constructor(private readonly world: World) {}

  private append(subject: string, data: Uint8Array, o: PublishOptions): { seq: number; duplicate: boolean } {
    const now = this.world.sched.now;
    const msgId = o.msgId ?? o.key;
    const prior = this.dedupe.get(msgId);
    if (prior && now - prior.at < this.duplicateWindowMs) return { seq: prior.seq, duplicate: true };
    const addr = parseActorSubject(subject);
    if (!addr) throw new SimError(`bad subject ${subject}`);
    const seq = this.messages.length + 1;
    this.messages.push({ seq, subject, partition: addr.partition, key: o.key, time: now, replyTo: o.replyTo, from: o.from, data });
    this.dedupe.set(msgId, { seq, at: now });
    this.accepted.push({ key: o.key, seq, subject });
    for (const c of this.consumers.values()) if (c.partition === addr.partition) c.wake?.();
    return { seq, duplicate: false };
  }

  port(gate: Gate | undefined): Mailboxes {
    const world = this.world;
    return {
      publish: async (subject, data, o) => {
        await world.hop(undefined);
        if (world.sched.chance(world.faults.publishLost)) {
          await gate?.pass();
          throw new SimError('publish timed out (lost)');
        }
        const r = this.append(subject, data, o);
        await world.hop(gate);
        if (world.sched.chance(world.faults.publishAckLost)) throw new SimError('publish timed out (ack lost)');
        return r;
      },
      open: async (partition, startSeq, epoch) => {
        await world.hop(gate);
        const name = `p${partition}-e${epoch}`;
        for (const c of this.consumers.values()) {
          if (c.partition === partition && c.name !== name) {
            c.deleted = true;
            c.wake?.();
            this.consumers.delete(c.name);
          }
        }
        const consumer: Consumer = { name, partition, cursor: Math.max(1, startSeq), pending: new Map(), deleted: false };
        this.consumers.set(name, consumer);
        return this.feed(consumer, gate);
      },
    };
  }

  private feed(c: Consumer, gate: Gate | undefined): PartitionFeed {
    const world = this.world;
    let stopped = false;
    const take = (max: number): StreamMsg[] => {
      const now = world.sched.now;
      const out: StreamMsg[] = [];
      // redeliveries first, in order, as JetStream does
      for (const [seq, at] of [...c.pending.entries()].sort((a, b) => a[0] - b[0])) {
        if (out.length >= max) break;
        if (now - at >= this.ackWaitMs) {
          out.push(this.messages[seq - 1]);
          c.pending.set(seq, now);
        }
      }
      while (out.length < max && c.cursor <= this.messages.length) {
        const m = this.messages[c.cursor - 1];
        c.cursor++;
        if (m.partition !== c.partition) continue;
        out.push(m);
        c.pending.set(m.seq, now);
      }
      return out;
    };
    const nextRedelivery = (): number | null => {
      let min: number | null = null;
      for (const at of c.pending.values()) if (min === null || at < min) min = at;
      return min === null ? null : min + this.ackWaitMs;
    };
    return {
      next: async (max) => {
        for (;;) {
          if (stopped) return [];
          if (c.deleted) {
            await gate?.pass();
            throw new SimError('consumer deleted');
          }
          const got = take(max);
          if (got.length) {
            await world.hop(gate);
            if (stopped) return [];
            return got.map((m) => this.toMessage(c, m, gate));
          }
          await new Promise<void>((resolve) => {
            c.wake = resolve;
            const due = nextRedelivery();
            if (due !== null) world.sched.schedule(due - world.sched.now, resolve);
          });
          c.wake = undefined;
        }
      },
      stop: async () => {
        stopped = true;
        c.wake?.();
      },
    };
  }

  private toMessage(c: Consumer, m: StreamMsg, gate: Gate | undefined): MailboxMessage {
    const world = this.world;
    return {
      subject: m.subject, seq: m.seq, key: m.key, time: m.time, replyTo: m.replyTo, from: m.from, data: m.data,
      ack: () => {
        if (gate?.dead) return;
        world.sched.schedule(world.latency(), () => {
          if (!world.sched.chance(world.faults.ackLost)) c.pending.delete(m.seq);
        });
      },
    };
  }

  /** Last stream sequence per partition (to know when everything has been applied). */
  lastSeqOf(partition: number): number {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i].partition === partition) return this.messages[i].seq;
    return 0;
  }
}

// ---------- core publishing (replies, events) ----------

export class SimCore {
  private readonly subs = new Map<string, (subject: string, data: Uint8Array) => void>();
  published = 0;

  constructor(private readonly world: World) {}

  bus(gate: Gate | undefined): Bus {
    return {
      publish: (subject, data) => {
        if (gate?.dead) return;
        this.published++;
        const deliver = () => {
          const prefix = subject.slice(0, subject.lastIndexOf('.'));
          this.subs.get(prefix)?.(subject, data);
        };
        const w = this.world;
        if (w.sched.chance(w.faults.coreDrop)) return;
        w.sched.schedule(w.latency(), deliver);
        if (w.sched.chance(w.faults.coreDup)) w.sched.schedule(w.latency() + 1, deliver);
      },
    };
  }

  inbox(prefix: string): ReplyInbox {
    let handler: ((token: string, data: Uint8Array) => void) | undefined;
    this.subs.set(prefix, (subject, data) => handler?.(subject.slice(prefix.length + 1), data));
    return {
      subject: (token) => `${prefix}.${token}`,
      listen: (fn) => { handler = fn; },
      close: () => { this.subs.delete(prefix); },
    };
  }
}

// ---------- KV leases and the host directory ----------

interface KvEntry {
  value: string;
  revision: number;
  writtenAt: number;
}

export class SimKv {
  private readonly entries = new Map<string, KvEntry>();
  private revision = 0;

  constructor(private readonly world: World, private readonly ttlMs: number) {}

  private live(key: string): KvEntry | undefined {
    const e = this.entries.get(key);
    if (e && this.world.sched.now - e.writtenAt >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /**
   * Fault: another host takes the key over at once (as if the holder's lease had run out and the
   * other one claimed it); returns the new revision. Nobody renews it: it expires by the TTL.
   */
  steal(key: string, value: string): number {
    const r = ++this.revision;
    this.entries.set(key, { value, revision: r, writtenAt: this.world.sched.now });
    return r;
  }

  port(gate: Gate | undefined): Leases {
    const w = this.world;
    const fault = async () => {
      await w.hop(undefined);
      if (w.sched.chance(w.faults.kvError)) {
        await gate?.pass();
        throw new SimError('kv request timed out');
      }
    };
    return {
      create: async (key, value) => {
        await fault();
        let r: number | null = null;
        if (!this.live(key)) {
          r = ++this.revision;
          this.entries.set(key, { value, revision: r, writtenAt: w.sched.now });
        }
        await w.hop(gate);
        return r;
      },
      update: async (key, value, revision) => {
        await fault();
        const e = this.live(key);
        let r: number | null = null;
        if (e && e.revision === revision) {
          r = ++this.revision;
          this.entries.set(key, { value, revision: r, writtenAt: w.sched.now });
        }
        await w.hop(gate);
        return r;
      },
      release: async (key, revision) => {
        await fault();
        const e = this.live(key);
        if (e && e.revision === revision) this.entries.delete(key);
        await w.hop(gate);
      },
      list: async () => [...this.entries.keys()].map((k) => this.live(k)).filter(Boolean).map((e, i) => ({ key: String(i), value: e!.value, revision: e!.revision })),
    };
  }
}

export class SimDirectory {
  private readonly seen = new Map<string, number>();

  constructor(private readonly world: World, private readonly liveMs: number) {}

  port(hostId: string, gate: Gate | undefined): HostDirectory {
    return {
      announce: async () => {
        await this.world.hop(gate);
        if (!gate?.dead) this.seen.set(hostId, this.world.sched.now);
      },
      withdraw: async () => {
        this.seen.delete(hostId);
      },
      liveHosts: () => [...this.seen.entries()].filter(([, at]) => this.world.sched.now - at < this.liveMs).map(([h]) => h).sort(),
    };
  }
}

// ---------- the store ----------

interface Row extends StoredActor {
  partition: number;
}

/** Known bugs the simulation can plant in the store, to show that the invariants catch them. */
export interface PlantedBugs {
  /** Commit even when another host has fenced the partition. */
  noFence?: boolean;
  /** Forget which messages were applied (no idempotency inbox). */
  noDedupe?: boolean;
  /** Drop outbox entries instead of keeping them for publishing. */
  noOutbox?: boolean;
  /** Keep refusals as a key's final result (a retry would repeat the refusal forever). */
  refusalsFinal?: boolean;
}

export class SimDatabase {
  bugs: PlantedBugs = {};
  readonly fences = new Map<number, { epoch: number; appliedSeq: number }>();
  readonly actors = new Map<string, Row>();
  readonly inbox = new Map<string, InboxEntry>();
  readonly outbox = new Map<number, OutboxEntry & { partition: number }>();
  readonly writes: { actor: string; op: string; data: unknown }[] = [];
  /** Every commit, recorded atomically with it: who, which partition and epoch, and what the batch returned. */
  readonly commits: { host: string; partition: number; epoch: number; at: number; result: unknown }[] = [];
  private outboxId = 0;
  onCommit?: (record: SimDatabase['commits'][number]) => void;
  /** Every commit transaction: who, and how many partitions' batches it carried. */
  readonly transactions: { host: string; parts: number }[] = [];
  /**
   * Fault hook, before a commit's checks: may freeze the host between its last statement and its
   * commit, or take the leases (and fences) of some of the partitions in it away.
   */
  beforeCommit?: (host: string, partitions: number[]) => void;
  /** Fault hook: may kill the committing host right after its commit. */
  crashAfterCommit?: (host: string) => boolean;

  constructor(private readonly world: World, private readonly partitionOf: (kind: string, id: string) => number) {}

  port(gate: Gate | undefined): Store {
    const w = this.world;
    const db = this;
    return {
      async fence(partition, epoch) {
        await w.hop(undefined);
        const f = db.fences.get(partition);
        if (f && f.epoch > epoch) {
          await w.hop(gate);
          throw new FencedError(`partition ${partition} fenced by ${f.epoch}`);
        }
        db.fences.set(partition, { epoch, appliedSeq: f?.appliedSeq ?? 0 });
        await w.hop(gate);
        return { appliedSeq: f?.appliedSeq ?? 0 };
      },
      async load(kind, id) {
        await w.hop(gate);
        const r = db.actors.get(`${kind}.${id}`);
        return r ? structuredClone(r) : null;
      },
      async deadlines(partition) {
        await w.hop(gate);
        return [...db.actors.entries()].filter(([, r]) => r.partition === partition && r.deadline !== null).map(([k, r]) => {
          const dot = k.indexOf('.');
          return { kind: k.slice(0, dot), id: k.slice(dot + 1), deadline: r.deadline! };
        });
      },
      async outbox(partition) {
        await w.hop(gate);
        return [...db.outbox.values()].filter((e) => e.partition === partition).sort((a, b) => a.id - b.id);
      },
      async deleteOutbox(ids) {
        await w.hop(undefined);
        for (const id of ids) db.outbox.delete(id);
        await w.hop(gate);
      },
      async result(key) {
        await w.hop(gate);
        return db.keyResult(key);
      },
      async lookup() {
        // the simulated kinds keep everything in their state; domain reads are not simulated
        throw new SimError('domain lookups are not simulated');
      },
      async pruneInbox() {
        return 0;
      },
      async read(keys, actors) {
        await w.hop(undefined);
        if (w.sched.chance(w.faults.storeError)) {
          await gate?.pass();
          throw new SimError('store connection reset');
        }
        const seen = new Map<string, KeyResult>();
        if (!db.bugs.noDedupe) for (const k of keys) if (db.inbox.has(k)) seen.set(k, db.keyResult(k)!);
        const out = new Map<string, StoredActor>();
        for (const a of actors) {
          const r = db.actors.get(`${a.kind}.${a.id}`);
          if (r) out.set(`${a.kind}.${a.id}`, structuredClone(r));
        }
        await w.hop(gate);
        return { seen, actors: out };
      },
      async commit(parts) {
        await w.hop(undefined);
        if (w.sched.chance(w.faults.storeError)) {
          await gate?.pass();
          throw new SimError('store connection reset');
        }
        const host = gate?.name ?? '?';
        db.beforeCommit?.(host, parts.map((x) => x.partition));
        // commit latency: the window in which a new holder may fence us out (a frozen host waits here)
        await w.hop(gate);
        // one transaction for every part: any part that does not hold fails all of them
        for (const { partition, epoch, plan } of parts) {
          const f = db.fences.get(partition);
          if (!f || (f.epoch !== epoch && !db.bugs.noFence)) {
            await gate?.pass();
            throw new FencedError(`partition ${partition}: epoch ${epoch} is not the fence (${f?.epoch})`);
          }
          for (const s of plan.saves) {
            const cur = db.actors.get(`${s.kind}.${s.id}`);
            const ok = db.bugs.noFence || (s.baseVersion === 0 ? !cur : cur !== undefined && cur.version === s.baseVersion && cur.epoch <= epoch);
            if (!ok) {
              await gate?.pass();
              throw new VersionConflict(`${s.kind}.${s.id} v${s.version} epoch ${epoch}; stored v${cur?.version} epoch ${cur?.epoch}`);
            }
          }
          if (!db.bugs.noDedupe && plan.inbox.some((e) => db.inbox.get(e.key)?.final)) {
            await gate?.pass();
            throw new VersionConflict('a key of this batch was applied meanwhile');
          }
        }
        // atomic apply (no awaits from here on)
        const out: OutboxEntry[][] = [];
        for (const { partition, epoch, appliedSeq, plan } of parts) {
          for (const s of plan.saves) db.actors.set(`${s.kind}.${s.id}`, { version: s.version, epoch, machineVersion: s.machineVersion, state: structuredClone(s.state), deadline: s.deadline, partition: db.partitionOf(s.kind, s.id) });
          for (const e of plan.inbox) db.inbox.set(e.key, db.bugs.refusalsFinal ? { ...e, final: true } : e);
          const sent = plan.outbox.map((e) => ({ ...e, id: ++db.outboxId, partition }));
          if (!db.bugs.noOutbox) for (const e of sent) db.outbox.set(e.id, e);
          for (const wr of plan.writes) db.writes.push({ actor: `${wr.actor.kind}.${wr.actor.id}`, op: wr.op, data: wr.data });
          const f = db.fences.get(partition)!;
          f.appliedSeq = Math.max(f.appliedSeq, appliedSeq);
          const record = { host, partition, epoch, at: w.sched.now, result: plan.audit };
          db.commits.push(record);
          db.onCommit?.(record);
          out.push(sent);
        }
        db.transactions.push({ host, parts: parts.length });
        db.crashAfterCommit?.(host);
        await gate?.pass();
        return out;
      },
    };
  }

  keyResult(key: string): KeyResult | undefined {
    const e = this.inbox.get(key);
    return e ? { reply: e.reply, final: e.final, seq: e.seq } : undefined;
  }

  results(): ResultLookup {
    return { result: async (key) => this.keyResult(key) };
  }
}
