// One simulated run, driven by a seed: hosts running the real runtime over the in-memory world,
// clients asking counters to add, forward and arm timers, and injected faults (drops, delays,
// duplicates, redeliveries, lost acks, store errors, host crashes, a paused stale host, lease
// expiry). After the faults heal and the system goes quiet, invariants are checked over the
// recorded history. The same seed replays the same history.
import { createHash } from 'node:crypto';
import { configureLogging } from '../../../lib/mod.ts';
import { ActorHost, leaseKey, type HostObserver } from '../host.ts';
import { ActorClient } from '../client.ts';
import { partitionOf } from '../partition.ts';
import { counterKind } from './counter.ts';
import { SimScheduler } from './scheduler.ts';
import { World, Gate, SimJetStream, SimCore, SimKv, SimDirectory, SimDatabase, noFaults, type Faults, type PlantedBugs } from './world.ts';

export interface SimOptions {
  hosts: number;
  partitions: number;
  actors: number;
  commands: number;
  /** Virtual time during which commands are issued and faults injected. */
  chaosMs: number;
  faults: boolean;
  leaseTtlMs: number;
  /** Plant a known bug in the store (to prove the invariants catch it). */
  bugs?: PlantedBugs;
}

export const defaultSimOptions: SimOptions = { hosts: 3, partitions: 8, actors: 10, commands: 120, chaosMs: 40_000, faults: true, leaseTtlMs: 10_000 };

export interface SimResult {
  seed: number;
  ok: boolean;
  violations: string[];
  /** Digest of the committed history: equal for equal seeds. */
  digest: string;
  stats: { events: number; virtualMs: number; commits: number; accepted: number; crashes: number; pauses: number; fenced: number; claims: number; refused: number; rejudged: number; multiPart: number; halfFenced: number; keptCommitted: number };
}

const chaos: Faults = { publishLost: 0.02, publishAckLost: 0.03, ackLost: 0.05, coreDrop: 0.05, coreDup: 0.05, storeError: 0.03, kvError: 0.03, maxLatency: 20 };

interface Commit {
  host: string;
  p: number;
  epoch: number;
  actor: string;
  version: number;
  key: string;
  seq: number;
  start: number;
  end: number;
}

let logsSilenced = false;

export async function runSeed(seed: number, options: Partial<SimOptions> = {}): Promise<SimResult> {
  const o = { ...defaultSimOptions, ...options };
  if (!logsSilenced) {
    configureLogging(process.env.TROUPE_SIM_LOG ?? 'silent');
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
  const starts = new Map<object, number>();
  // a worker plans its partition's next batch while the last one commits: each commit names its batch
  db.onCommit = (c) => starts.set(c, batchStarts.get(`${c.host}/${c.partition}/${c.epoch}/${(c.result as { batch: number }).batch}`) ?? c.at);

  const claims: { host: string; p: number; epoch: number; at: number }[] = [];
  const commits: Commit[] = [];
  const batchStarts = new Map<string, number>();
  const ended = (host: string, p: number, epoch: number, ...rest: unknown[]) => batchStarts.delete(`${host}/${p}/${epoch}/${rest[rest.length - 1]}`);
  let fenced = 0;
  const observer: HostObserver = {
    claimed: (host, p, epoch) => claims.push({ host, p, epoch, at: sched.now }),
    batchStarted: (host, p, epoch, _actors, batch) => batchStarts.set(`${host}/${p}/${epoch}/${batch}`, sched.now),
    committed: ended,
    batchFailed: ended,
    released: (_h, _p, _e, why) => { if (why === 'lost') fenced++; },
  };

  // the committer's shape varies by seed: one or two commits in flight, waiting for more or not
  const commitShape = { concurrency: sched.int(1, 2), lingerMs: sched.int(0, 2) };
  const hosts = new Map<string, { host: ActorHost; gate: Gate }>();
  let hostSeq = 0;
  const startHost = async () => {
    const id = `h${++hostSeq}`;
    const gate = new Gate(id);
    const host = new ActorHost(
      { hostId: id, partitions: o.partitions, leaseTtlMs: o.leaseTtlMs, tickMs: 1000, maxBatch: 16, passivateAfterMs: 15_000, commitConcurrency: commitShape.concurrency, commitLingerMs: commitShape.lingerMs },
      { kinds: [counterKind], store: db.port(gate), mailboxes: stream.port(gate), bus: core.bus(gate), clock: sched.clock(gate.run), leases: kv.port(gate), directory: directory.port(id, gate), observer },
    );
    hosts.set(id, { host, gate });
    void host.start();
    return id;
  };
  for (let i = 0; i < o.hosts; i++) await startHost();

  let keySeq = 0;
  const client = new ActorClient({
    mailboxes: stream.port(undefined), replies: core.inbox('_INBOX.sim'), results: db.results(), clock: sched.clock(),
    partitions: o.partitions, newKey: () => `auto-${++keySeq}`,
  });

  // client commands, retried with the same key until answered (or given up)
  // signed amounts of adds (+) and takes (-): what the totals must add up to once applied
  const amounts = new Map<string, number>();
  const bodies = new Map<string, { type: string }>();
  let outstanding = 0;
  // some commands come in bursts, so partitions' batches meet in one commit (and pipeline behind it)
  const bursts = [sched.int(0, o.chaosMs), sched.int(0, o.chaosMs), sched.int(0, o.chaosMs)];
  for (let i = 0; i < o.commands; i++) {
    const at = sched.chance(0.3) ? bursts[sched.int(0, bursts.length - 1)] : sched.int(0, o.chaosMs);
    const key = `cmd-${i}`;
    const actor = `a${sched.int(1, o.actors)}`;
    const r = sched.rng();
    // a take is refused until adds cover it: its retries (same key) must be judged afresh
    const body = r < 0.5 ? { type: 'add', n: sched.int(1, 100) } : r < 0.6 ? { type: 'take', n: sched.int(20, 150) } : r < 0.85 ? { type: 'forward', to: `a${sched.int(1, o.actors)}`, n: sched.int(1, 50) } : { type: 'arm', in: sched.int(0, 20_000) };
    if (body.type === 'add') amounts.set(key, (body as { n: number }).n);
    if (body.type === 'take') amounts.set(key, -(body as { n: number }).n);
    bodies.set(key, body);
    outstanding++;
    sched.schedule(at, () => {
      void (async () => {
        for (let attempt = 0; attempt < 6; attempt++) {
          try {
            await client.ask('counter', actor, body as { type: string }, { key, timeoutMs: 3000 });
            break;
          } catch {
            await new Promise<void>((res) => sched.schedule(500 * (attempt + 1), res));
          }
        }
        outstanding--;
      })();
    });
  }

  // late duplicates: the same command sent again long after the JetStream duplicate window
  for (let i = 0; i < o.commands; i++) {
    if (!sched.chance(0.1)) continue;
    const key = `cmd-${i}`;
    outstanding++;
    sched.schedule(sched.int(125_000, 200_000), () => {
      const first = stream.accepted.find((a) => a.key === key);
      if (!first) {
        outstanding--;
        return;
      }
      const actor = first.subject.split('.')[3];
      void client.send('counter', actor, bodies.get(key)!, { key }).catch(() => {}).finally(() => outstanding--);
    });
  }

  // faults
  let crashes = 0;
  let pauses = 0;
  const halfFenced: { host: string; at: number; taken: number[]; kept: number[] }[] = [];
  const liveHosts = () => [...hosts.values()].filter((h) => !h.gate.dead && !h.gate.paused);
  if (o.faults) {
    sched.schedule(sched.int(0, 2000), () => { world.faults = { ...chaos }; });
    // a host frozen in the middle of a transaction, past its lease: it must not commit when it wakes
    let txPauses = sched.int(0, 2);
    // a commit that half its partitions lost the lease for: another host took their leases over
    // (and fenced them) and died; the other half must still commit, and the taken half nothing
    let takeovers = sched.int(1, 3);
    const takeover = (host: string, partitions: number[]) => {
      if (takeovers <= 0 || partitions.length < 2 || world.faults === noFaults || !sched.chance(0.2)) return;
      takeovers--;
      const taken = [...partitions].sort(() => sched.rng() - 0.5).slice(0, Math.floor(partitions.length / 2));
      for (const p of taken) {
        const epoch = kv.steal(leaseKey(p), JSON.stringify({ host: 'phantom', at: sched.now }));
        claims.push({ host: 'phantom', p, epoch, at: sched.now });
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
    // a host that dies right after its transaction commits, before it publishes anything
    let commitCrashes = sched.int(0, 2);
    db.crashAfterCommit = (host) => {
      if (commitCrashes <= 0 || world.faults === noFaults || !sched.chance(0.02)) return false;
      const h = hosts.get(host);
      if (!h || h.gate.dead || liveHosts().length < 2) return false;
      commitCrashes--;
      h.gate.kill();
      h.host.crash();
      crashes++;
      sched.schedule(sched.int(1000, 15_000), () => void startHost());
      return true;
    };
    for (let i = sched.int(0, 2); i > 0; i--) {
      sched.schedule(sched.int(3_000, o.chaosMs - 3_000), () => {
        const live = liveHosts();
        if (live.length < 2) return;
        const victim = live[sched.int(0, live.length - 1)];
        victim.gate.kill();
        victim.host.crash();
        crashes++;
        sched.schedule(sched.int(1000, 15_000), () => void startHost());
      });
    }
    for (let i = sched.int(1, 3); i > 0; i--) {
      sched.schedule(sched.int(2_000, o.chaosMs - 5_000), () => {
        const live = liveHosts();
        if (live.length < 2) return;
        const victim = live[sched.int(0, live.length - 1)];
        victim.gate.pause();
        pauses++;
        // mostly past the lease TTL: it comes back as a stale owner that must not write
        sched.schedule(sched.int(o.leaseTtlMs / 2, o.leaseTtlMs * 2), () => victim.gate.resume());
      });
    }
    if (sched.chance(0.5)) {
      // another host joins mid-run (rebalancing with graceful hand-over)
      sched.schedule(sched.int(1000, o.chaosMs), () => void startHost());
    }
    if (sched.chance(0.3)) {
      // a graceful stop (SIGTERM)
      sched.schedule(sched.int(1000, o.chaosMs), () => {
        const live = liveHosts();
        if (live.length >= 2) void live[0].host.stop();
      });
    }
  }

  await sched.run(sched.now + o.chaosMs);
  // heal: no more faults, paused hosts resume
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
  // never end with fewer hosts than we started with
  while (liveHosts().length < o.hosts) await startHost();
  const limit = sched.now + 600_000;
  await sched.run(limit, quiet);

  // a refusal is not final: a refused take asked again (same key) once its total covers it is
  // applied. One per counter, so two takes cannot both count on the same total.
  const notJudgedAfresh: string[] = [];
  if (quiet()) {
    const everRefused = new Set(db.commits.flatMap((c) => (c.result as { refused: { key: string }[] }).refused.map((r) => r.key)));
    const everApplied = new Set(db.commits.flatMap((c) => (c.result as { applied: { key: string }[] }).applied.map((a) => a.key)));
    const retried = new Set<string>();
    for (const k of everRefused) {
      const first = stream.accepted.find((a) => a.key === k);
      const body = bodies.get(k) as { type: string; n: number } | undefined;
      if (!first || !body || everApplied.has(k)) continue;
      const actor = first.subject.split('.')[3];
      const ctx = db.actors.get(`counter.${actor}`)?.state.context as { total: number } | undefined;
      if (retried.has(actor) || !ctx || ctx.total < body.n) continue;
      retried.add(actor);
      outstanding++;
      void client.ask('counter', actor, body, { key: k, timeoutMs: 5000 })
        .catch((e) => notJudgedAfresh.push(`${k} (total ${ctx.total} covers ${body.n}) was answered ${(e as { code?: string }).code ?? (e as Error).message} when asked again`))
        .finally(() => outstanding--);
    }
    await sched.run(sched.now + 600_000, quiet);
  }

  // the committed history, as the store recorded it at the instant of each commit
  const refusedKeys = new Set<string>();
  for (const c of db.commits) {
    const { applied, refused } = c.result as { applied: { actor: string; version: number; key: string; seq: number }[]; refused: { key: string }[] };
    const start = starts.get(c) ?? c.at;
    for (const a of applied) commits.push({ host: c.host, p: c.partition, epoch: c.epoch, ...a, start, end: c.at });
    for (const r of refused) refusedKeys.add(r.key);
  }
  const violations: string[] = [...notJudgedAfresh];
  if (!quiet()) violations.push(`did not converge within 600 s of virtual time after healing (outstanding ${outstanding}, outbox ${db.outbox.size})`);

  // 1. at most one holder per partition per epoch
  const holderOf = new Map<string, string>();
  for (const c of claims) {
    const k = `${c.p}/${c.epoch}`;
    if (holderOf.has(k) && holderOf.get(k) !== c.host) violations.push(`partition ${c.p} epoch ${c.epoch} claimed by ${holderOf.get(k)} and ${c.host}`);
    holderOf.set(k, c.host);
  }
  // 2. per-actor versions gapless, each version once; 3. no two hosts' committed work on an actor overlapping in time
  const byActor = new Map<string, Commit[]>();
  for (const c of commits) byActor.set(c.actor, [...(byActor.get(c.actor) ?? []), c]);
  for (const [actor, cs] of byActor) {
    const versions = cs.map((c) => c.version).sort((a, b) => a - b);
    versions.forEach((v, i) => { if (v !== i + 1) violations.push(`${actor}: versions not gapless: ${versions.slice(Math.max(0, i - 2), i + 3).join(',')}`); });
    const stored = db.actors.get(actor);
    if (stored && stored.version !== versions.length) violations.push(`${actor}: stored version ${stored.version} but ${versions.length} commits`);
    const ordered = [...cs].sort((a, b) => a.end - b.end || a.version - b.version);
    for (let i = 1; i < ordered.length; i++) {
      const prev = ordered[i - 1];
      const cur = ordered[i];
      if (prev.host !== cur.host && cur.start < prev.end) violations.push(`${actor}: ${prev.host} (v${prev.version}, ${prev.start}-${prev.end}) and ${cur.host} (v${cur.version}, ${cur.start}-${cur.end}) ran it at once`);
    }
  }
  // 4. every accepted command applied exactly once, or refused (only refusals leave it unapplied)
  const appliedCount = new Map<string, number>();
  for (const c of commits) appliedCount.set(c.key, (appliedCount.get(c.key) ?? 0) + 1);
  const acceptedKeys = new Set(stream.accepted.map((a) => a.key));
  let rejudged = 0;
  for (const k of acceptedKeys) {
    const n = appliedCount.get(k) ?? 0;
    if (n === 1 && refusedKeys.has(k)) rejudged++;
    if (n !== 1 && !(n === 0 && (k.startsWith('timer:') || refusedKeys.has(k)))) violations.push(`accepted ${k} applied ${n} times`);
  }
  for (const k of refusedKeys) if (!k.startsWith('cmd-') || bodies.get(k)?.type !== 'take') violations.push(`${k} was refused, but only takes refuse`);
  for (const [k, n] of appliedCount) if (!acceptedKeys.has(k)) violations.push(`applied ${k} (${n}x) that the stream never accepted`);
  // 5. conservation: the totals add up to the client adds and takes that were applied; 6. every armed deadline fired once
  let expected = 0;
  for (const [k, n] of amounts) if (appliedCount.get(k) === 1) expected += n;
  let total = 0;
  for (const [actor, r] of db.actors) {
    const ctx = r.state.context as { total: number; armed: number; fired: number };
    total += ctx.total;
    if (ctx.armed !== ctx.fired) violations.push(`${actor}: armed ${ctx.armed} deadlines but ${ctx.fired} fired`);
  }
  if (total !== expected) violations.push(`totals add up to ${total}, applied client adds and takes to ${expected}`);

  // a commit that half its partitions lost: the taken half commits nothing under the old epoch
  // (invariants 1-3 catch it if it did); counted here: parts of the kept half its host committed
  // within a lease TTL (on their own, after the shared commit failed)
  let keptCommitted = 0;
  for (const h of halfFenced) {
    for (const p of h.kept) if (db.commits.some((c) => c.host === h.host && c.partition === p && c.at >= h.at && c.at <= h.at + o.leaseTtlMs)) keptCommitted++;
  }
  const multiPart = db.transactions.filter((t) => t.parts > 1).length;

  const digest = createHash('sha256').update(JSON.stringify(commits.map((c) => [c.host, c.p, c.epoch, c.actor, c.version, c.key, c.end]))).digest('hex').slice(0, 16);
  client.close();
  for (const h of hosts.values()) { h.gate.kill(); h.host.crash(); }
  return {
    seed, ok: violations.length === 0, violations: [...new Set(violations)].slice(0, 20), digest,
    stats: { events: sched.events, virtualMs: sched.now - 1_700_000_000_000, commits: commits.length, accepted: acceptedKeys.size, crashes, pauses, fenced, claims: claims.length, refused: refusedKeys.size, rejudged, multiPart, halfFenced: halfFenced.length, keptCommitted },
  };
}
