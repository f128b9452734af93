// The actor runtime on real NATS and Postgres: provisioning (stream ACTORS, KV leases and config),
// the partition count check, a host, the svc.actors.* services, inbox pruning, and clients.
import { randomUUID } from 'node:crypto';
import { createInbox, NoRespondersError, TimeoutError, RequestError, type NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import { buckets, streams, subjects, TroupeError } from '../../protocol/mod.ts';
import { ensureKv, ensureStream, openKv, serve, callService, logger, type ServiceHandle } from '../../lib/mod.ts';
import type { Database } from '../../schema/mod.ts';
import { ActorHost, type HostObserver } from './host.ts';
import { ActorClient, type ReplyInbox } from './client.ts';
import { PgStore } from './pg-store.ts';
import { NatsBus, NatsHostDirectory, NatsLeases, NatsMailboxes, realClock } from './nats-ports.ts';
import { partitionOf } from './partition.ts';
import type { ActorKind } from './kind.ts';

const log = logger('actor-runtime');

export interface RuntimeSettings {
  hostId: string;
  partitions: number;
  leaseTtlMs: number;
  maxBatch: number;
  passivateAfterMs: number;
  actorsRetentionHours: number;
  inboxRetentionHours: number;
  streamReplicas: number;
  /** Placement round interval (default: a tenth of the lease TTL, at most 1 s). */
  tickMs?: number;
  /** Commit transactions a host keeps in flight at once. */
  commitConcurrency?: number;
  /** Under steady load, how long a small commit waits for more messages (ms). */
  commitLingerMs?: number;
}

/** Creates the ACTORS stream and the leases/config buckets, and records or checks P. */
export async function provisionRuntime(nc: NatsConnection, s: Pick<RuntimeSettings, 'partitions' | 'leaseTtlMs' | 'actorsRetentionHours' | 'streamReplicas'>): Promise<KV> {
  await ensureStream(nc, {
    name: streams.actors,
    subjects: [subjects.actorsAll],
    max_age: s.actorsRetentionHours * 3600 * 1e9,
    duplicate_window: 120 * 1e9,
    num_replicas: s.streamReplicas,
  });
  const leases = await ensureKv(nc, buckets.leases, { ttl: s.leaseTtlMs, replicas: s.streamReplicas });
  const config = await ensureKv(nc, buckets.config, { replicas: s.streamReplicas });
  try {
    await config.create('partitions', String(s.partitions));
  } catch {
    // already recorded: it must match
  }
  const recorded = Number((await config.get('partitions'))?.string());
  if (recorded !== s.partitions) {
    throw new Error(`this deployment has ${recorded} actor partitions (KV config "partitions"), but this host is configured with ${s.partitions}; P is fixed per deployment`);
  }
  return leases;
}

/** P as recorded in KV config (gateways and clients read it; they never set it). */
export async function readPartitionCount(nc: NatsConnection, signal?: AbortSignal): Promise<number> {
  const config = await openKv(nc, buckets.config, signal);
  for (;;) {
    const e = await config.get('partitions');
    const n = Number(e?.string());
    if (Number.isInteger(n) && n > 0) return n;
    if (signal?.aborted) throw new Error('aborted');
    await new Promise((r) => setTimeout(r, 500));
  }
}

class NatsReplyInbox implements ReplyInbox {
  private readonly prefix: string;
  private handler?: (token: string, data: Uint8Array) => void;
  private readonly sub;

  constructor(nc: NatsConnection) {
    this.prefix = createInbox();
    this.sub = nc.subscribe(`${this.prefix}.*`, {
      callback: (err, msg) => {
        if (!err) this.handler?.(msg.subject.slice(this.prefix.length + 1), msg.data);
      },
    });
  }

  subject(token: string): string {
    return `${this.prefix}.${token}`;
  }

  listen(fn: (token: string, data: Uint8Array) => void): void {
    this.handler = fn;
  }

  close(): void {
    this.sub.unsubscribe();
  }
}

/** A client for sending to and asking actors over NATS. */
export function natsActorClient(nc: NatsConnection, partitions: number, from?: string): ActorClient {
  const client = new ActorClient({
    mailboxes: new NatsMailboxes(nc),
    replies: new NatsReplyInbox(nc),
    queries: {
      async request(subject, data, timeoutMs) {
        try {
          return (await nc.request(subject, data, { timeout: timeoutMs })).data;
        } catch (e) {
          // nobody holds the partition now, or its holder is not sure of its lease: the mailbox then
          if (e instanceof NoRespondersError || e instanceof TimeoutError || (e instanceof RequestError && e.isNoResponders())) return null;
          throw e;
        }
      },
    },
    results: { result: async (key) => {
      const r = await callService(nc, 'svc.actors.result', { key }, 5000);
      return r.found ? { reply: r.reply, final: r.final ?? true, seq: r.seq ?? 0 } : undefined;
    } },
    clock: realClock,
    partitions,
    newKey: () => randomUUID(),
    from,
  });
  (async () => {
    for await (const s of nc.status()) if (s.type === 'reconnect') client.reconnected();
  })().catch(() => {});
  return client;
}

export interface ActorRuntime {
  host: ActorHost;
  client: ActorClient;
  store: PgStore;
  stop(): Promise<void>;
}

export async function startActorRuntime(nc: NatsConnection, db: Database, s: RuntimeSettings, kinds: ActorKind[], observer?: HostObserver): Promise<ActorRuntime> {
  const leasesKv = await provisionRuntime(nc, s);
  const nodesKv = await new Kvm(nc).open(buckets.nodes);
  const store = new PgStore(db);
  const directory = await NatsHostDirectory.open(nodesKv, s.hostId, Math.max(3000, Math.floor(s.leaseTtlMs / 2)));
  const host = new ActorHost(
    { hostId: s.hostId, partitions: s.partitions, leaseTtlMs: s.leaseTtlMs, tickMs: s.tickMs ?? Math.min(1000, Math.floor(s.leaseTtlMs / 10)), maxBatch: s.maxBatch, passivateAfterMs: s.passivateAfterMs, commitConcurrency: s.commitConcurrency, commitLingerMs: s.commitLingerMs },
    { kinds, store, mailboxes: new NatsMailboxes(nc), bus: new NatsBus(nc), clock: realClock, leases: new NatsLeases(leasesKv), directory, observer },
  );
  const services: ServiceHandle = serve(nc, 'actors', {
    async result({ key }) {
      const r = await store.result(key);
      return r ? { found: true, reply: r.reply, final: r.final, seq: r.seq } : { found: false };
    },
    async inspect({ kind, id }) {
      const partition = partitionOf(kind, id, s.partitions);
      const stored = await store.load(kind, id);
      if (!stored) return { found: false, partition };
      return { found: true, partition, version: stored.version, epoch: stored.epoch, machineVersion: stored.machineVersion, deadline: stored.deadline, state: stored.state };
    },
    async partitions() {
      return { partitions: await store.partitionRows() };
    },
  });
  await host.start();
  const prune = setInterval(() => {
    store.pruneInbox(s.inboxRetentionHours * 3600_000).then((n) => n && log.info({ pruned: n }, 'idempotency keys pruned'), (e) => log.warn({ err: (e as Error).message }, 'inbox pruning failed'));
  }, 3600_000);
  prune.unref();
  const client = natsActorClient(nc, s.partitions, `host.${s.hostId}`);
  log.debug({ host: s.hostId, partitions: s.partitions, kinds: kinds.map((k) => k.kind) }, 'actor runtime started');
  return {
    host, client, store,
    async stop() {
      clearInterval(prune);
      await services.stop();
      await host.stop();
      client.close();
    },
  };
}

export { TroupeError };
