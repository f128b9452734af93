// An actor host: announces itself, places partitions on the live hosts by rendezvous hashing,
// claims its share with lease `create` (the revision is the fencing epoch), renews with
// `update(revision)`, hands partitions over gracefully and runs a PartitionWorker for each one held.
import { logger, RepeatGate, type Logger } from '../../lib/mod.ts';
import type { ActorKind } from './kind.ts';
import { ownerOf } from './partition.ts';
import { PartitionWorker, type RuntimeObserver } from './worker.ts';
import { Committer } from './committer.ts';
import type { Bus, Clock, HostDirectory, Leases, Mailboxes, Store, Timer, StoredActor } from './ports.ts';
import { FencedError } from './ports.ts';
import { runtimeMetrics as m } from './metrics.ts';

export interface HostConfig {
  hostId: string;
  partitions: number;
  leaseTtlMs: number;
  /** How often placement is re-evaluated and the host re-announced. */
  tickMs: number;
  maxBatch: number;
  passivateAfterMs: number;
  /** Commit transactions in flight at once (different partitions in each). */
  commitConcurrency?: number;
  /** Under steady load, how long a small commit waits for more messages (ms). */
  commitLingerMs?: number;
}

export interface HostDeps {
  kinds: ActorKind[];
  store: Store;
  mailboxes: Mailboxes;
  bus: Bus;
  clock: Clock;
  leases: Leases;
  directory: HostDirectory;
  observer?: HostObserver;
}

export interface HostObserver extends RuntimeObserver {
  claimed?(host: string, partition: number, epoch: number): void;
  released?(host: string, partition: number, epoch: number, why: 'handover' | 'lost' | 'stop'): void;
}

interface Held {
  epoch: number;
  revision: number;
  /** Until when the lease is surely ours (last successful renewal + TTL - margin). */
  validUntil: number;
  worker?: PartitionWorker;
  state: 'starting' | 'running' | 'handing-over';
}

export const leaseKey = (p: number) => `p.${p}`;

export class ActorHost {
  private readonly held = new Map<number, Held>();
  private readonly kinds: Map<string, ActorKind>;
  private readonly log: Logger;
  private readonly quiet = new RepeatGate();
  private ticker?: Timer;
  private running = false;
  private ticking?: Promise<void>;
  private lastRenew = new Map<number, number>();
  /** Partitions with a claim or hand-over under way (they run beside the ticks, never blocking renewals). */
  private readonly busy = new Map<number, Promise<void>>();
  /** One committer for every partition held here: their batches share transactions. */
  private readonly committer: Committer;

  constructor(private readonly cfg: HostConfig, private readonly deps: HostDeps) {
    this.kinds = new Map(deps.kinds.map((k) => [k.kind, k]));
    this.committer = new Committer(deps.store, deps.clock, { concurrency: cfg.commitConcurrency ?? 1, lingerMs: cfg.commitLingerMs ?? 0 });
    this.log = logger('actor-host', { host: cfg.hostId });
  }

  get id(): string {
    return this.cfg.hostId;
  }

  /** Partitions held and their epochs. */
  holdings(): { partition: number; epoch: number; state: string; active: number }[] {
    return [...this.held.entries()].map(([partition, h]) => ({ partition, epoch: h.epoch, state: h.state, active: h.worker?.activeCount ?? 0 })).sort((a, b) => a.partition - b.partition);
  }

  async start(): Promise<void> {
    this.running = true;
    await this.deps.directory.announce(this.describe());
    this.scheduleTick(0);
  }

  private describe(): Record<string, unknown> {
    return { load: this.held.size, partitions: this.held.size };
  }

  private scheduleTick(delay: number): void {
    if (!this.running) return;
    this.ticker = this.deps.clock.setTimer(delay, () => {
      this.ticking = this.tick().catch((e) => this.log.error({ err: e }, 'placement tick failed')).finally(() => {
        this.ticking = undefined;
        this.scheduleTick(this.cfg.tickMs);
      });
    });
  }

  /** One placement round: renew, hand over what belongs elsewhere, claim what is ours and free. */
  async tick(): Promise<void> {
    if (!this.running) return;
    const { directory, clock } = this.deps;
    await directory.announce(this.describe()).catch((e) => this.log.warn({ err: (e as Error).message }, 'announce failed'));
    const hosts = directory.liveHosts();
    if (!hosts.includes(this.cfg.hostId)) hosts.push(this.cfg.hostId);
    const renewEvery = this.cfg.leaseTtlMs / 3;
    const now = clock.now();
    const renewals: Promise<void>[] = [];
    for (let p = 0; p < this.cfg.partitions; p++) {
      const h = this.held.get(p);
      const mine = ownerOf(p, hosts) === this.cfg.hostId;
      if (h) {
        if (h.state === 'handing-over') continue;
        if (now - (this.lastRenew.get(p) ?? 0) >= renewEvery) renewals.push(this.renew(p, h));
        if (!mine && h.state === 'running') this.background(p, () => this.handOver(p, h, 'handover'));
      } else if (mine) {
        this.background(p, () => this.claim(p));
      }
    }
    await Promise.all(renewals);
    m.partitions.set(this.held.size);
    m.activeActors.set([...this.held.values()].reduce((n, h) => n + (h.worker?.activeCount ?? 0), 0));
  }

  private background(p: number, work: () => Promise<void>): void {
    if (this.busy.has(p)) return;
    const run = work().catch((e) => this.log.error({ err: e, p }, 'partition work failed')).finally(() => this.busy.delete(p));
    this.busy.set(p, run);
  }

  private leaseValue(): string {
    return JSON.stringify({ host: this.cfg.hostId, at: this.deps.clock.now() });
  }

  private async claim(p: number): Promise<void> {
    const { leases, clock } = this.deps;
    let revision: number | null;
    try {
      revision = await leases.create(leaseKey(p), this.leaseValue());
    } catch (e) {
      this.quiet.fail(`claim.${p}`, (heldBack) => this.log.warn({ err: (e as Error).message, p, heldBack }, 'lease claim failed'));
      return;
    }
    this.quiet.ok(`claim.${p}`);
    if (revision === null || !this.running) {
      if (revision !== null) await leases.release(leaseKey(p), revision).catch(() => {});
      return;
    }
    const claimedAt = clock.now();
    const h: Held = { epoch: revision, revision, validUntil: claimedAt + this.cfg.leaseTtlMs * 0.8, state: 'starting' };
    this.held.set(p, h);
    this.lastRenew.set(p, claimedAt);
    this.deps.observer?.claimed?.(this.cfg.hostId, p, revision);
    const worker = new PartitionWorker(
      { hostId: this.cfg.hostId, partition: p, epoch: revision, partitions: this.cfg.partitions, maxBatch: this.cfg.maxBatch, passivateAfterMs: this.cfg.passivateAfterMs },
      {
        kinds: this.kinds, store: this.deps.store, mailboxes: this.deps.mailboxes, bus: this.deps.bus, clock, observer: this.deps.observer, committer: this.committer,
        leaseValid: () => this.held.get(p) === h && clock.now() < h.validUntil,
        onLost: (reason) => this.lost(p, h, reason),
      },
    );
    h.worker = worker;
    try {
      await worker.start();
      if (this.held.get(p) === h) h.state = 'running';
      this.log.debug({ p, epoch: revision }, 'partition claimed');
    } catch (e) {
      if (e instanceof FencedError) this.log.warn({ p, epoch: revision, err: e.message }, 'claimed a lease but the partition is fenced by a newer epoch');
      else this.log.warn({ p, err: (e as Error).message }, 'could not start the partition; releasing it');
      worker.abort();
      if (this.held.get(p) === h) this.held.delete(p);
      await leases.release(leaseKey(p), h.revision).catch(() => {});
    }
  }

  private async renew(p: number, h: Held): Promise<void> {
    const { leases, clock } = this.deps;
    const started = clock.now();
    let revision: number | null;
    try {
      revision = await leases.update(leaseKey(p), this.leaseValue(), h.revision);
    } catch (e) {
      this.quiet.fail(`renew.${p}`, (heldBack) => this.log.warn({ p, err: (e as Error).message, heldBack }, 'lease renewal failed; will retry'));
      if (clock.now() >= h.validUntil) this.lost(p, h, 'could not renew in time');
      return;
    }
    if (this.held.get(p) !== h) return;
    if (revision === null) {
      this.lost(p, h, 'lease taken over or expired');
      return;
    }
    this.quiet.ok(`renew.${p}`);
    h.revision = revision;
    h.validUntil = started + this.cfg.leaseTtlMs * 0.8;
    this.lastRenew.set(p, started);
  }

  private lost(p: number, h: Held, reason: string): void {
    if (this.held.get(p) !== h) return;
    this.held.delete(p);
    h.worker?.abort();
    this.log.warn({ p, epoch: h.epoch, reason }, 'partition lost');
    this.deps.observer?.released?.(this.cfg.hostId, p, h.epoch, 'lost');
  }

  /** Graceful: stop fetching, finish in-flight work, then delete the lease so the new owner claims at once. */
  private async handOver(p: number, h: Held, why: 'handover' | 'stop'): Promise<void> {
    h.state = 'handing-over';
    await h.worker?.stop();
    if (this.held.get(p) !== h) return;
    this.held.delete(p);
    await this.deps.leases.release(leaseKey(p), h.revision).catch(() => {});
    this.log.debug({ p, epoch: h.epoch, why }, 'partition handed over');
    this.deps.observer?.released?.(this.cfg.hostId, p, h.epoch, why);
  }

  /** Graceful stop: leave the directory first (so nobody places partitions here), then hand everything over. */
  async stop(): Promise<void> {
    this.running = false;
    this.ticker?.cancel();
    await this.ticking;
    await Promise.all(this.busy.values());
    await this.deps.directory.withdraw().catch(() => {});
    await Promise.all([...this.held.entries()].map(([p, h]) => this.handOver(p, h, 'stop')));
    m.partitions.set(0);
  }

  /** Simulation: the process dies. Nothing is released; leases expire on their own. */
  crash(): void {
    this.running = false;
    this.ticker?.cancel();
    for (const h of this.held.values()) h.worker?.abort();
    this.held.clear();
  }

  /** An actor's state if this host holds it in memory. */
  peek(p: number, kind: string, id: string): StoredActor | undefined {
    return this.held.get(p)?.worker?.peek(kind, id);
  }
}
