import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  ActorClient,
  ActorHost,
  FencedError,
  VersionConflict,
  assign,
  defineKind,
  effects,
  emit,
  enqueueActions,
  leaseKey,
  partitionOf,
  setup
} from "./chunk-S47W34VH.js";
import {
  Obj,
  Type,
  configureLogging,
  parseActorSubject
} from "./chunk-DBBPO6IK.js";

// actors/runtime/sim/scenario.ts
import { createHash } from "node:crypto";

// actors/runtime/sim/counter.ts
var CounterMessage = Type.Union([
  Obj({ type: Type.Literal("add"), n: Type.Integer() }),
  Obj({ type: Type.Literal("forward"), to: Type.String({ minLength: 1, maxLength: 64 }), n: Type.Integer() }),
  Obj({ type: Type.Literal("arm"), in: Type.Integer({ minimum: 0 }) }),
  Obj({ type: Type.Literal("take"), n: Type.Integer({ minimum: 1 }) }),
  Obj({ type: Type.Literal("get") })
]);
var counterMachine = setup({
  types: { context: {}, events: {}, emitted: {} }
}).createMachine({
  id: "counter",
  context: { total: 0, applied: 0, armed: 0, fired: 0, deadlines: {} },
  on: {
    add: {
      actions: [
        assign({ total: ({ context, event }) => context.total + event.n, applied: ({ context }) => context.applied + 1 }),
        emit(({ context }) => effects.reply({ total: context.total }))
      ]
    },
    forward: {
      actions: [
        assign({ total: ({ context, event }) => context.total - event.n, applied: ({ context }) => context.applied + 1 }),
        enqueueActions(({ enqueue, context, event }) => {
          enqueue.emit(effects.send("counter", event.to, { type: "add", n: event.n }));
          enqueue.emit(effects.reply({ total: context.total }));
        })
      ]
    },
    arm: {
      actions: [
        assign(({ context, event }) => ({
          armed: context.armed + 1,
          applied: context.applied + 1,
          deadlines: { ...context.deadlines, [`t${context.armed + 1}`]: event.meta.at + event.in }
        })),
        emit(({ context }) => effects.reply({ armed: context.armed }))
      ]
    },
    // refused (and so judged afresh when the same key comes again) until the total covers it
    take: [
      {
        guard: ({ context, event }) => context.total >= event.n,
        actions: [
          assign({ total: ({ context, event }) => context.total - event.n, applied: ({ context }) => context.applied + 1 }),
          emit(({ context }) => effects.reply({ total: context.total }))
        ]
      },
      { actions: emit(({ context, event }) => effects.fail("conflict", `the total ${context.total} does not cover ${event.n}`)) }
    ],
    get: { actions: emit(({ context }) => effects.reply({ total: context.total, applied: context.applied, armed: context.armed, fired: context.fired })) },
    timer: {
      actions: assign(({ context, event }) => {
        const { [event.name]: _done, ...rest } = context.deadlines;
        return { fired: context.fired + 1, deadlines: rest };
      })
    }
  }
});
var counterKind = defineKind({
  kind: "counter",
  machine: counterMachine,
  version: 1,
  messages: CounterMessage,
  queries: ["get"]
});

// actors/runtime/sim/scheduler.ts
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
var Queue = class {
  heap = [];
  get size() {
    return this.heap.length;
  }
  peek() {
    return this.heap[0];
  }
  push(e) {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = i - 1 >> 1;
      if (less(h[parent], h[i])) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }
  pop() {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
};
function less(a, b) {
  return a.at < b.at || a.at === b.at && a.seq < b.seq;
}
var flushMicrotasks = () => new Promise((r) => setImmediate(r));
var SimScheduler = class {
  constructor(seed) {
    this.seed = seed;
    this.rng = seededRandom(seed);
  }
  seed;
  now = 17e11;
  rng;
  seq = 0;
  queue = new Queue();
  events = 0;
  /** A random whole number in [lo, hi]. */
  int(lo, hi) {
    return lo + Math.floor(this.rng() * (hi - lo + 1));
  }
  chance(p) {
    return this.rng() < p;
  }
  schedule(delayMs, fn) {
    const e = { at: this.now + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.queue.push(e);
    return { cancel: () => {
      e.cancelled = true;
    } };
  }
  /** A clock whose callbacks pass through `gate` (so a paused or dead host sees nothing happen). */
  clock(gate) {
    const run = gate ?? ((fn) => fn());
    return {
      now: () => this.now,
      setTimer: (ms, fn) => this.schedule(ms, () => run(fn)),
      sleep: (ms) => new Promise((r) => this.schedule(ms, () => run(r)))
    };
  }
  /** Runs events until `until` (virtual ms) or until `done()` holds between events. */
  async run(until, done = () => false, maxEvents = 5e6) {
    await flushMicrotasks();
    while (this.queue.size && !done()) {
      const next = this.queue.peek();
      if (next.at > until) break;
      this.queue.pop();
      if (next.cancelled) continue;
      this.now = next.at;
      next.fn();
      this.events++;
      await flushMicrotasks();
      if (this.events > maxEvents) throw new Error(`simulation exceeded ${maxEvents} events`);
    }
    if (!done() && (!this.queue.size || this.queue.peek().at > until)) this.now = Math.max(this.now, until);
  }
};

// actors/runtime/sim/world.ts
var noFaults = { publishLost: 0, publishAckLost: 0, ackLost: 0, coreDrop: 0, coreDup: 0, storeError: 0, kvError: 0, maxLatency: 2 };
var Gate = class {
  constructor(name) {
    this.name = name;
  }
  name;
  paused = false;
  dead = false;
  waiting = [];
  /** Runs `fn` now, after resume, or never. */
  run = (fn) => {
    if (this.dead) return;
    if (this.paused) this.waiting.push(fn);
    else fn();
  };
  pass() {
    if (this.dead) return new Promise(() => {
    });
    if (!this.paused) return Promise.resolve();
    return new Promise((r) => this.waiting.push(r));
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
    const w = this.waiting;
    this.waiting = [];
    for (const f of w) if (!this.dead) f();
  }
  kill() {
    this.dead = true;
    this.waiting = [];
  }
};
var SimError = class extends Error {
};
var World = class {
  constructor(sched, partitions) {
    this.sched = sched;
    this.partitions = partitions;
  }
  sched;
  partitions;
  faults = { ...noFaults };
  latency() {
    return this.sched.int(0, this.faults.maxLatency);
  }
  /** Awaits simulated latency through the gate, both ways. */
  async hop(gate) {
    await new Promise((r) => this.sched.schedule(this.latency(), r));
    if (gate) await gate.pass();
  }
};
var SimJetStream = class {
  constructor(world) {
    this.world = world;
  }
  world;
  messages = [];
  dedupe = /* @__PURE__ */ new Map();
  consumers = /* @__PURE__ */ new Map();
  ackWaitMs = 3e4;
  duplicateWindowMs = 12e4;
  /** Keys accepted into the stream (the "accepted commands"). */
  accepted = [];
  append(subject, data, o) {
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
  port(gate) {
    const world = this.world;
    return {
      publish: async (subject, data, o) => {
        await world.hop(void 0);
        if (world.sched.chance(world.faults.publishLost)) {
          await gate?.pass();
          throw new SimError("publish timed out (lost)");
        }
        const r = this.append(subject, data, o);
        await world.hop(gate);
        if (world.sched.chance(world.faults.publishAckLost)) throw new SimError("publish timed out (ack lost)");
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
        const consumer = { name, partition, cursor: Math.max(1, startSeq), pending: /* @__PURE__ */ new Map(), deleted: false };
        this.consumers.set(name, consumer);
        return this.feed(consumer, gate);
      }
    };
  }
  feed(c, gate) {
    const world = this.world;
    let stopped = false;
    const take = (max) => {
      const now = world.sched.now;
      const out = [];
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
    const nextRedelivery = () => {
      let min = null;
      for (const at of c.pending.values()) if (min === null || at < min) min = at;
      return min === null ? null : min + this.ackWaitMs;
    };
    return {
      next: async (max) => {
        for (; ; ) {
          if (stopped) return [];
          if (c.deleted) {
            await gate?.pass();
            throw new SimError("consumer deleted");
          }
          const got = take(max);
          if (got.length) {
            await world.hop(gate);
            if (stopped) return [];
            return got.map((m) => this.toMessage(c, m, gate));
          }
          await new Promise((resolve) => {
            c.wake = resolve;
            const due = nextRedelivery();
            if (due !== null) world.sched.schedule(due - world.sched.now, resolve);
          });
          c.wake = void 0;
        }
      },
      stop: async () => {
        stopped = true;
        c.wake?.();
      }
    };
  }
  toMessage(c, m, gate) {
    const world = this.world;
    return {
      subject: m.subject,
      seq: m.seq,
      key: m.key,
      time: m.time,
      replyTo: m.replyTo,
      from: m.from,
      data: m.data,
      ack: () => {
        if (gate?.dead) return;
        world.sched.schedule(world.latency(), () => {
          if (!world.sched.chance(world.faults.ackLost)) c.pending.delete(m.seq);
        });
      }
    };
  }
  /** Last stream sequence per partition (to know when everything has been applied). */
  lastSeqOf(partition) {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i].partition === partition) return this.messages[i].seq;
    return 0;
  }
};
var SimCore = class {
  constructor(world) {
    this.world = world;
  }
  world;
  subs = /* @__PURE__ */ new Map();
  published = 0;
  bus(gate) {
    return {
      publish: (subject, data) => {
        if (gate?.dead) return;
        this.published++;
        const deliver = () => {
          const prefix = subject.slice(0, subject.lastIndexOf("."));
          this.subs.get(prefix)?.(subject, data);
        };
        const w = this.world;
        if (w.sched.chance(w.faults.coreDrop)) return;
        w.sched.schedule(w.latency(), deliver);
        if (w.sched.chance(w.faults.coreDup)) w.sched.schedule(w.latency() + 1, deliver);
      }
    };
  }
  inbox(prefix) {
    let handler;
    this.subs.set(prefix, (subject, data) => handler?.(subject.slice(prefix.length + 1), data));
    return {
      subject: (token) => `${prefix}.${token}`,
      listen: (fn) => {
        handler = fn;
      },
      close: () => {
        this.subs.delete(prefix);
      }
    };
  }
};
var SimKv = class {
  constructor(world, ttlMs) {
    this.world = world;
    this.ttlMs = ttlMs;
  }
  world;
  ttlMs;
  entries = /* @__PURE__ */ new Map();
  revision = 0;
  live(key) {
    const e = this.entries.get(key);
    if (e && this.world.sched.now - e.writtenAt >= this.ttlMs) {
      this.entries.delete(key);
      return void 0;
    }
    return e;
  }
  /**
   * Fault: another host takes the key over at once (as if the holder's lease had run out and the
   * other one claimed it); returns the new revision. Nobody renews it: it expires by the TTL.
   */
  steal(key, value) {
    const r = ++this.revision;
    this.entries.set(key, { value, revision: r, writtenAt: this.world.sched.now });
    return r;
  }
  port(gate) {
    const w = this.world;
    const fault = async () => {
      await w.hop(void 0);
      if (w.sched.chance(w.faults.kvError)) {
        await gate?.pass();
        throw new SimError("kv request timed out");
      }
    };
    return {
      create: async (key, value) => {
        await fault();
        let r = null;
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
        let r = null;
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
      list: async () => [...this.entries.keys()].map((k) => this.live(k)).filter(Boolean).map((e, i) => ({ key: String(i), value: e.value, revision: e.revision }))
    };
  }
};
var SimDirectory = class {
  constructor(world, liveMs) {
    this.world = world;
    this.liveMs = liveMs;
  }
  world;
  liveMs;
  seen = /* @__PURE__ */ new Map();
  port(hostId, gate) {
    return {
      announce: async () => {
        await this.world.hop(gate);
        if (!gate?.dead) this.seen.set(hostId, this.world.sched.now);
      },
      withdraw: async () => {
        this.seen.delete(hostId);
      },
      liveHosts: () => [...this.seen.entries()].filter(([, at]) => this.world.sched.now - at < this.liveMs).map(([h]) => h).sort()
    };
  }
};
var SimDatabase = class {
  constructor(world, partitionOf2) {
    this.world = world;
    this.partitionOf = partitionOf2;
  }
  world;
  partitionOf;
  bugs = {};
  fences = /* @__PURE__ */ new Map();
  actors = /* @__PURE__ */ new Map();
  inbox = /* @__PURE__ */ new Map();
  outbox = /* @__PURE__ */ new Map();
  writes = [];
  /** Every commit, recorded atomically with it: who, which partition and epoch, and what the batch returned. */
  commits = [];
  outboxId = 0;
  onCommit;
  /** Every commit transaction: who, and how many partitions' batches it carried. */
  transactions = [];
  /**
   * Fault hook, before a commit's checks: may freeze the host between its last statement and its
   * commit, or take the leases (and fences) of some of the partitions in it away.
   */
  beforeCommit;
  /** Fault hook: may kill the committing host right after its commit. */
  crashAfterCommit;
  port(gate) {
    const w = this.world;
    const db = this;
    return {
      async fence(partition, epoch) {
        await w.hop(void 0);
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
          const dot = k.indexOf(".");
          return { kind: k.slice(0, dot), id: k.slice(dot + 1), deadline: r.deadline };
        });
      },
      async outbox(partition) {
        await w.hop(gate);
        return [...db.outbox.values()].filter((e) => e.partition === partition).sort((a, b) => a.id - b.id);
      },
      async deleteOutbox(ids) {
        await w.hop(void 0);
        for (const id of ids) db.outbox.delete(id);
        await w.hop(gate);
      },
      async result(key) {
        await w.hop(gate);
        return db.keyResult(key);
      },
      async lookup() {
        throw new SimError("domain lookups are not simulated");
      },
      async pruneInbox() {
        return 0;
      },
      async read(keys, actors) {
        await w.hop(void 0);
        if (w.sched.chance(w.faults.storeError)) {
          await gate?.pass();
          throw new SimError("store connection reset");
        }
        const seen = /* @__PURE__ */ new Map();
        if (!db.bugs.noDedupe) {
          for (const k of keys) if (db.inbox.has(k)) seen.set(k, db.keyResult(k));
        }
        const out = /* @__PURE__ */ new Map();
        for (const a of actors) {
          const r = db.actors.get(`${a.kind}.${a.id}`);
          if (r) out.set(`${a.kind}.${a.id}`, structuredClone(r));
        }
        await w.hop(gate);
        return { seen, actors: out };
      },
      async commit(parts) {
        await w.hop(void 0);
        if (w.sched.chance(w.faults.storeError)) {
          await gate?.pass();
          throw new SimError("store connection reset");
        }
        const host = gate?.name ?? "?";
        db.beforeCommit?.(host, parts.map((x) => x.partition));
        await w.hop(gate);
        for (const { partition, epoch, plan } of parts) {
          const f = db.fences.get(partition);
          if (!f || f.epoch !== epoch && !db.bugs.noFence) {
            await gate?.pass();
            throw new FencedError(`partition ${partition}: epoch ${epoch} is not the fence (${f?.epoch})`);
          }
          for (const s of plan.saves) {
            const cur = db.actors.get(`${s.kind}.${s.id}`);
            const ok = db.bugs.noFence || (s.baseVersion === 0 ? !cur : cur !== void 0 && cur.version === s.baseVersion && cur.epoch <= epoch);
            if (!ok) {
              await gate?.pass();
              throw new VersionConflict(`${s.kind}.${s.id} v${s.version} epoch ${epoch}; stored v${cur?.version} epoch ${cur?.epoch}`);
            }
          }
          if (!db.bugs.noDedupe && plan.inbox.some((e) => db.inbox.get(e.key)?.final)) {
            await gate?.pass();
            throw new VersionConflict("a key of this batch was applied meanwhile");
          }
        }
        const out = [];
        for (const { partition, epoch, appliedSeq, plan } of parts) {
          for (const s of plan.saves) db.actors.set(`${s.kind}.${s.id}`, { version: s.version, epoch, machineVersion: s.machineVersion, state: structuredClone(s.state), deadline: s.deadline, partition: db.partitionOf(s.kind, s.id) });
          for (const e of plan.inbox) db.inbox.set(e.key, db.bugs.refusalsFinal ? { ...e, final: true } : e);
          const sent = plan.outbox.map((e) => ({ ...e, id: ++db.outboxId, partition }));
          if (!db.bugs.noOutbox) for (const e of sent) db.outbox.set(e.id, e);
          for (const wr of plan.writes) db.writes.push({ actor: `${wr.actor.kind}.${wr.actor.id}`, op: wr.op, data: wr.data });
          const f = db.fences.get(partition);
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
      }
    };
  }
  keyResult(key) {
    const e = this.inbox.get(key);
    return e ? { reply: e.reply, final: e.final, seq: e.seq } : void 0;
  }
  results() {
    return { result: async (key) => this.keyResult(key) };
  }
};

// actors/runtime/sim/scenario.ts
var defaultSimOptions = { hosts: 3, partitions: 8, actors: 10, commands: 120, chaosMs: 4e4, faults: true, leaseTtlMs: 1e4 };
var chaos = { publishLost: 0.02, publishAckLost: 0.03, ackLost: 0.05, coreDrop: 0.05, coreDup: 0.05, storeError: 0.03, kvError: 0.03, maxLatency: 20 };
var logsSilenced = false;
async function runSeed(seed, options = {}) {
  const o = { ...defaultSimOptions, ...options };
  if (!logsSilenced) {
    configureLogging(process.env.TROUPE_SIM_LOG ?? "silent");
    logsSilenced = true;
  }
  const sched = new SimScheduler(seed);
  const world = new World(sched, o.partitions);
  const stream = new SimJetStream(world);
  const core = new SimCore(world);
  const kv = new SimKv(world, o.leaseTtlMs);
  const directory = new SimDirectory(world, Math.floor(o.leaseTtlMs / 2));
  const db = new SimDatabase(world, (kind, id) => partitionOf(kind, id, o.partitions));
  db.bugs = o.bugs ?? {};
  const starts = /* @__PURE__ */ new Map();
  db.onCommit = (c) => starts.set(c, batchStarts.get(`${c.host}/${c.partition}/${c.epoch}/${c.result.batch}`) ?? c.at);
  const claims = [];
  const commits = [];
  const batchStarts = /* @__PURE__ */ new Map();
  const ended = (host, p, epoch, ...rest) => batchStarts.delete(`${host}/${p}/${epoch}/${rest[rest.length - 1]}`);
  let fenced = 0;
  const observer = {
    claimed: (host, p, epoch) => claims.push({ host, p, epoch, at: sched.now }),
    batchStarted: (host, p, epoch, _actors, batch) => batchStarts.set(`${host}/${p}/${epoch}/${batch}`, sched.now),
    committed: ended,
    batchFailed: ended,
    released: (_h, _p, _e, why) => {
      if (why === "lost") fenced++;
    }
  };
  const commitShape = { concurrency: sched.int(1, 2), lingerMs: sched.int(0, 2) };
  const hosts = /* @__PURE__ */ new Map();
  let hostSeq = 0;
  const startHost = async () => {
    const id = `h${++hostSeq}`;
    const gate = new Gate(id);
    const host = new ActorHost(
      { hostId: id, partitions: o.partitions, leaseTtlMs: o.leaseTtlMs, tickMs: 1e3, maxBatch: 16, passivateAfterMs: 15e3, commitConcurrency: commitShape.concurrency, commitLingerMs: commitShape.lingerMs },
      { kinds: [counterKind], store: db.port(gate), mailboxes: stream.port(gate), bus: core.bus(gate), clock: sched.clock(gate.run), leases: kv.port(gate), directory: directory.port(id, gate), observer }
    );
    hosts.set(id, { host, gate });
    void host.start();
    return id;
  };
  for (let i = 0; i < o.hosts; i++) await startHost();
  let keySeq = 0;
  const client = new ActorClient({
    mailboxes: stream.port(void 0),
    replies: core.inbox("_INBOX.sim"),
    results: db.results(),
    clock: sched.clock(),
    partitions: o.partitions,
    newKey: () => `auto-${++keySeq}`
  });
  const amounts = /* @__PURE__ */ new Map();
  const bodies = /* @__PURE__ */ new Map();
  let outstanding = 0;
  const bursts = [sched.int(0, o.chaosMs), sched.int(0, o.chaosMs), sched.int(0, o.chaosMs)];
  for (let i = 0; i < o.commands; i++) {
    const at = sched.chance(0.3) ? bursts[sched.int(0, bursts.length - 1)] : sched.int(0, o.chaosMs);
    const key = `cmd-${i}`;
    const actor = `a${sched.int(1, o.actors)}`;
    const r = sched.rng();
    const body = r < 0.5 ? { type: "add", n: sched.int(1, 100) } : r < 0.6 ? { type: "take", n: sched.int(20, 150) } : r < 0.85 ? { type: "forward", to: `a${sched.int(1, o.actors)}`, n: sched.int(1, 50) } : { type: "arm", in: sched.int(0, 2e4) };
    if (body.type === "add") amounts.set(key, body.n);
    if (body.type === "take") amounts.set(key, -body.n);
    bodies.set(key, body);
    outstanding++;
    sched.schedule(at, () => {
      void (async () => {
        for (let attempt = 0; attempt < 6; attempt++) {
          try {
            await client.ask("counter", actor, body, { key, timeoutMs: 3e3 });
            break;
          } catch {
            await new Promise((res) => sched.schedule(500 * (attempt + 1), res));
          }
        }
        outstanding--;
      })();
    });
  }
  for (let i = 0; i < o.commands; i++) {
    if (!sched.chance(0.1)) continue;
    const key = `cmd-${i}`;
    outstanding++;
    sched.schedule(sched.int(125e3, 2e5), () => {
      const first = stream.accepted.find((a) => a.key === key);
      if (!first) {
        outstanding--;
        return;
      }
      const actor = first.subject.split(".")[3];
      void client.send("counter", actor, bodies.get(key), { key }).catch(() => {
      }).finally(() => outstanding--);
    });
  }
  let crashes = 0;
  let pauses = 0;
  const halfFenced = [];
  const liveHosts = () => [...hosts.values()].filter((h) => !h.gate.dead && !h.gate.paused);
  if (o.faults) {
    sched.schedule(sched.int(0, 2e3), () => {
      world.faults = { ...chaos };
    });
    let txPauses = sched.int(0, 2);
    let takeovers = sched.int(1, 3);
    const takeover = (host, partitions) => {
      if (takeovers <= 0 || partitions.length < 2 || world.faults === noFaults || !sched.chance(0.2)) return;
      takeovers--;
      const taken = [...partitions].sort(() => sched.rng() - 0.5).slice(0, Math.floor(partitions.length / 2));
      for (const p of taken) {
        const epoch = kv.steal(leaseKey(p), JSON.stringify({ host: "phantom", at: sched.now }));
        claims.push({ host: "phantom", p, epoch, at: sched.now });
        db.fences.set(p, { epoch, appliedSeq: db.fences.get(p)?.appliedSeq ?? 0 });
      }
      halfFenced.push({ host, at: sched.now, taken, kept: partitions.filter((p) => !taken.includes(p)) });
    };
    db.beforeCommit = (host, partitions) => {
      takeover(host, partitions);
      if (txPauses <= 0 || world.faults === noFaults || !sched.chance(0.02)) return;
      const h = hosts.get(host);
      if (!h || h.gate.dead || h.gate.paused || liveHosts().length < 2) return;
      txPauses--;
      pauses++;
      h.gate.pause();
      sched.schedule(sched.int(o.leaseTtlMs, o.leaseTtlMs * 2), () => h.gate.resume());
    };
    let commitCrashes = sched.int(0, 2);
    db.crashAfterCommit = (host) => {
      if (commitCrashes <= 0 || world.faults === noFaults || !sched.chance(0.02)) return false;
      const h = hosts.get(host);
      if (!h || h.gate.dead || liveHosts().length < 2) return false;
      commitCrashes--;
      h.gate.kill();
      h.host.crash();
      crashes++;
      sched.schedule(sched.int(1e3, 15e3), () => void startHost());
      return true;
    };
    for (let i = sched.int(0, 2); i > 0; i--) {
      sched.schedule(sched.int(3e3, o.chaosMs - 3e3), () => {
        const live = liveHosts();
        if (live.length < 2) return;
        const victim = live[sched.int(0, live.length - 1)];
        victim.gate.kill();
        victim.host.crash();
        crashes++;
        sched.schedule(sched.int(1e3, 15e3), () => void startHost());
      });
    }
    for (let i = sched.int(1, 3); i > 0; i--) {
      sched.schedule(sched.int(2e3, o.chaosMs - 5e3), () => {
        const live = liveHosts();
        if (live.length < 2) return;
        const victim = live[sched.int(0, live.length - 1)];
        victim.gate.pause();
        pauses++;
        sched.schedule(sched.int(o.leaseTtlMs / 2, o.leaseTtlMs * 2), () => victim.gate.resume());
      });
    }
    if (sched.chance(0.5)) {
      sched.schedule(sched.int(1e3, o.chaosMs), () => void startHost());
    }
    if (sched.chance(0.3)) {
      sched.schedule(sched.int(1e3, o.chaosMs), () => {
        const live = liveHosts();
        if (live.length >= 2) void live[0].host.stop();
      });
    }
  }
  await sched.run(sched.now + o.chaosMs);
  world.faults = noFaults;
  for (const h of hosts.values()) if (h.gate.paused) h.gate.resume();
  const quiet = () => {
    if (outstanding > 0) return false;
    for (let p = 0; p < o.partitions; p++) {
      const last = stream.lastSeqOf(p);
      if (last > 0 && (db.fences.get(p)?.appliedSeq ?? 0) < last) return false;
    }
    if (db.outbox.size > 0) return false;
    for (const r of db.actors.values()) if (r.deadline !== null) return false;
    return true;
  };
  while (liveHosts().length < o.hosts) await startHost();
  const limit = sched.now + 6e5;
  await sched.run(limit, quiet);
  const notJudgedAfresh = [];
  if (quiet()) {
    const everRefused = new Set(db.commits.flatMap((c) => c.result.refused.map((r) => r.key)));
    const everApplied = new Set(db.commits.flatMap((c) => c.result.applied.map((a) => a.key)));
    const retried = /* @__PURE__ */ new Set();
    for (const k of everRefused) {
      const first = stream.accepted.find((a) => a.key === k);
      const body = bodies.get(k);
      if (!first || !body || everApplied.has(k)) continue;
      const actor = first.subject.split(".")[3];
      const ctx = db.actors.get(`counter.${actor}`)?.state.context;
      if (retried.has(actor) || !ctx || ctx.total < body.n) continue;
      retried.add(actor);
      outstanding++;
      void client.ask("counter", actor, body, { key: k, timeoutMs: 5e3 }).catch((e) => notJudgedAfresh.push(`${k} (total ${ctx.total} covers ${body.n}) was answered ${e.code ?? e.message} when asked again`)).finally(() => outstanding--);
    }
    await sched.run(sched.now + 6e5, quiet);
  }
  const refusedKeys = /* @__PURE__ */ new Set();
  for (const c of db.commits) {
    const { applied, refused } = c.result;
    const start = starts.get(c) ?? c.at;
    for (const a of applied) commits.push({ host: c.host, p: c.partition, epoch: c.epoch, ...a, start, end: c.at });
    for (const r of refused) refusedKeys.add(r.key);
  }
  const violations = [...notJudgedAfresh];
  if (!quiet()) violations.push(`did not converge within 600 s of virtual time after healing (outstanding ${outstanding}, outbox ${db.outbox.size})`);
  const holderOf = /* @__PURE__ */ new Map();
  for (const c of claims) {
    const k = `${c.p}/${c.epoch}`;
    if (holderOf.has(k) && holderOf.get(k) !== c.host) violations.push(`partition ${c.p} epoch ${c.epoch} claimed by ${holderOf.get(k)} and ${c.host}`);
    holderOf.set(k, c.host);
  }
  const byActor = /* @__PURE__ */ new Map();
  for (const c of commits) byActor.set(c.actor, [...byActor.get(c.actor) ?? [], c]);
  for (const [actor, cs] of byActor) {
    const versions = cs.map((c) => c.version).sort((a, b) => a - b);
    versions.forEach((v, i) => {
      if (v !== i + 1) violations.push(`${actor}: versions not gapless: ${versions.slice(Math.max(0, i - 2), i + 3).join(",")}`);
    });
    const stored = db.actors.get(actor);
    if (stored && stored.version !== versions.length) violations.push(`${actor}: stored version ${stored.version} but ${versions.length} commits`);
    const ordered = [...cs].sort((a, b) => a.end - b.end || a.version - b.version);
    for (let i = 1; i < ordered.length; i++) {
      const prev = ordered[i - 1];
      const cur = ordered[i];
      if (prev.host !== cur.host && cur.start < prev.end) violations.push(`${actor}: ${prev.host} (v${prev.version}, ${prev.start}-${prev.end}) and ${cur.host} (v${cur.version}, ${cur.start}-${cur.end}) ran it at once`);
    }
  }
  const appliedCount = /* @__PURE__ */ new Map();
  for (const c of commits) appliedCount.set(c.key, (appliedCount.get(c.key) ?? 0) + 1);
  const acceptedKeys = new Set(stream.accepted.map((a) => a.key));
  let rejudged = 0;
  for (const k of acceptedKeys) {
    const n = appliedCount.get(k) ?? 0;
    if (n === 1 && refusedKeys.has(k)) rejudged++;
    if (n !== 1 && !(n === 0 && (k.startsWith("timer:") || refusedKeys.has(k)))) violations.push(`accepted ${k} applied ${n} times`);
  }
  for (const k of refusedKeys) if (!k.startsWith("cmd-") || bodies.get(k)?.type !== "take") violations.push(`${k} was refused, but only takes refuse`);
  for (const [k, n] of appliedCount) if (!acceptedKeys.has(k)) violations.push(`applied ${k} (${n}x) that the stream never accepted`);
  let expected = 0;
  for (const [k, n] of amounts) if (appliedCount.get(k) === 1) expected += n;
  let total = 0;
  for (const [actor, r] of db.actors) {
    const ctx = r.state.context;
    total += ctx.total;
    if (ctx.armed !== ctx.fired) violations.push(`${actor}: armed ${ctx.armed} deadlines but ${ctx.fired} fired`);
  }
  if (total !== expected) violations.push(`totals add up to ${total}, applied client adds and takes to ${expected}`);
  let keptCommitted = 0;
  for (const h of halfFenced) {
    for (const p of h.kept) if (db.commits.some((c) => c.host === h.host && c.partition === p && c.at >= h.at && c.at <= h.at + o.leaseTtlMs)) keptCommitted++;
  }
  const multiPart = db.transactions.filter((t) => t.parts > 1).length;
  const digest = createHash("sha256").update(JSON.stringify(commits.map((c) => [c.host, c.p, c.epoch, c.actor, c.version, c.key, c.end]))).digest("hex").slice(0, 16);
  client.close();
  for (const h of hosts.values()) {
    h.gate.kill();
    h.host.crash();
  }
  return {
    seed,
    ok: violations.length === 0,
    violations: [...new Set(violations)].slice(0, 20),
    digest,
    stats: { events: sched.events, virtualMs: sched.now - 17e11, commits: commits.length, accepted: acceptedKeys.size, crashes, pauses, fenced, claims: claims.length, refused: refusedKeys.size, rejudged, multiPart, halfFenced: halfFenced.length, keptCommitted }
  };
}

export {
  counterKind,
  defaultSimOptions,
  runSeed
};
