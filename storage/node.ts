// The storage node role: one node of one storage group. It owns a data dir (bytes, replication
// state, its stable id), serves the HTTP API, appends uploads and deletes to its group's binlog,
// applies the binlog to copy what peers stored, joins and beats to its group actor (state, load,
// free disk, applied seq: the group actor routes transfers by them and tells the node its peers)
// and keeps an entry in KV `nodes` for operators.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { logger, openKv, NodeRegistration, type KV, type Logger } from '../lib/mod.ts';
import { natsActorClient, readPartitionCount, type ActorClient } from '../actors/runtime/mod.ts';
import { TroupeError, buckets, type BinlogDelete, type DeleteResult, type UploadResult, type StorageNodeInfo, type StorageNodeState } from '../protocol/mod.ts';
import type { Db } from '../schema/mod.ts';
import { IdAllocator } from './ids.ts';
import { parseFileId, isGroupName, formatFileId } from './layout.ts';
import { FileStore } from './files.ts';
import { FileIndex } from './metadata.ts';
import { Tickets, PeerAuth } from './tickets.ts';
import { Binlog, Replicator, ensureStorageStream, deleteFile } from './replication.ts';
import { GroupMembership } from './membership.ts';
import { createStorageServer, type StorageBackend, type UploadInput } from './http.ts';
import { storageMetrics } from './metrics.ts';
import { UploadCommitter, OwnRows } from './upload-commits.ts';

export interface StorageNodeOptions {
  group: string;
  dataDir: string;
  /** A connection as NATS user `storage` (the caller owns it). */
  nc: NatsConnection;
  /** The database of record (the caller owns it). */
  db: Db;
  /** Shared secret for tickets and peer requests. */
  secret: string;
  /** HTTP port; 0 picks a free one. */
  httpPort: number;
  bind: string;
  /** Advertised base URL; default http://<publicHost>:<port>. */
  publicUrl?: string;
  /** Host of the default advertised URL (default 127.0.0.1). */
  publicHost?: string;
  maxUploadBytes: number;
  /** Origins whose pages may use /files from a browser (default ['*']; see cors.ts). */
  corsOrigins?: string[];
  idStep: number;
  idStepMax: number;
  heartbeatMs: number;
  shutdownGraceMs: number;
  streamReplicas: number;
  /** Must match the id kept in the data dir, if any; default: the data dir's, or a new one. */
  nodeId?: string;
  /** KV `nodes` (default: opened on `nc`, waiting for a host to create it). */
  kv?: KV;
  /** For the group actor (default: one on `nc`, with P from KV config). */
  actors?: ActorClient;
}

/** Data dirs this process has claimed (a second node on the same dir would corrupt it). */
const claimed = new Set<string>();

interface Identity {
  nodeId: string;
  group: string;
  createdAt: string;
}

/** Locks the data dir for this node and returns its stable identity (created on first use). */
async function claimDataDir(dataDir: string, group: string, wantedId: string | undefined): Promise<{ identity: Identity; release: () => Promise<void> }> {
  const dir = path.resolve(dataDir);
  await fs.mkdir(dir, { recursive: true });
  const lock = path.join(dir, 'lock');
  if (claimed.has(dir)) throw new Error(`data dir ${dir} is in use by another node of this process`);
  try {
    await fs.writeFile(lock, String(process.pid), { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const pid = Number(await fs.readFile(lock, 'utf8').catch(() => ''));
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (alive) throw new Error(`data dir ${dir} is in use by process ${pid}`);
    await fs.writeFile(lock, String(process.pid));
  }
  claimed.add(dir);
  const release = async () => {
    claimed.delete(dir);
    await fs.rm(lock, { force: true });
  };
  try {
    const file = path.join(dir, 'node.json');
    let identity: Identity;
    try {
      identity = JSON.parse(await fs.readFile(file, 'utf8')) as Identity;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const host = os.hostname().toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 24);
      identity = { nodeId: wantedId || `${group}-${host}-${randomBytes(3).toString('hex')}`, group, createdAt: new Date().toISOString() };
      await fs.writeFile(file, JSON.stringify(identity, null, 2) + '\n');
    }
    if (identity.group !== group) throw new Error(`data dir ${dir} belongs to group ${identity.group}, not ${group}`);
    if (wantedId && identity.nodeId !== wantedId) throw new Error(`data dir ${dir} belongs to node ${identity.nodeId}, not ${wantedId}`);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(identity.nodeId)) throw new Error(`bad node id ${JSON.stringify(identity.nodeId)} in ${file}`);
    return { identity, release };
  } catch (e) {
    await release();
    throw e;
  }
}

export class StorageNode implements StorageBackend {
  state: StorageNodeState = 'joining';
  url = '';
  port = 0;
  readonly store: FileStore;
  readonly tickets: Tickets;
  readonly peerAuth: PeerAuth;
  readonly index: FileIndex;
  readonly maxUploadBytes: number;
  readonly corsOrigins: readonly string[];
  readonly group: string;
  nodeId = '';
  replicator!: Replicator;
  /** The group actor's view of the group, refreshed by every heartbeat. */
  membership?: GroupMembership;
  private ids!: IdAllocator;
  private binlog!: Binlog;
  private commits!: UploadCommitter;
  private server!: http.Server;
  private registration?: NodeRegistration;
  private ownActors?: ActorClient;
  private release?: () => Promise<void>;
  private sampler?: NodeJS.Timeout;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly traffic = { in: 0, out: 0 };
  private rates = { in: 0, out: 0, at: Date.now(), lastIn: 0, lastOut: 0 };
  private disk = { freeBytes: 0, totalBytes: 0 };
  private stopped?: Promise<void>;
  private log: Logger;

  private constructor(private readonly o: StorageNodeOptions) {
    if (!isGroupName(o.group)) throw new TroupeError('bad_request', `bad group name ${JSON.stringify(o.group)}: 1-32 letters, digits, _`);
    this.group = o.group;
    this.store = new FileStore(o.dataDir);
    this.tickets = new Tickets(o.secret);
    this.peerAuth = new PeerAuth(o.secret);
    this.index = new FileIndex(o.db);
    this.maxUploadBytes = o.maxUploadBytes;
    this.corsOrigins = o.corsOrigins ?? ['*'];
    this.log = logger('storage', { group: o.group });
  }

  static async start(o: StorageNodeOptions): Promise<StorageNode> {
    const node = new StorageNode(o);
    try {
      await node.boot();
    } catch (e) {
      await node.stop().catch(() => {});
      throw e;
    }
    return node;
  }

  private async boot(): Promise<void> {
    const o = this.o;
    const { identity, release } = await claimDataDir(o.dataDir, o.group, o.nodeId);
    this.release = release;
    this.nodeId = identity.nodeId;
    this.log = logger('storage', { group: o.group, node: this.nodeId });
    await this.store.init();
    await this.index.ensureGroup(o.group);
    await ensureStorageStream(o.nc, o.streamReplicas);
    this.ids = new IdAllocator(o.db, o.group, { minStep: o.idStep, maxStep: o.idStepMax });
    this.binlog = new Binlog(o.nc, o.group);
    const ownRows = new OwnRows();
    this.commits = new UploadCommitter({ group: o.group, nodeId: this.nodeId, store: this.store, binlog: this.binlog, index: this.index, log: this.log, ownRows });

    this.server = createStorageServer(this);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(o.httpPort, o.bind, () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
    this.url = (o.publicUrl || `http://${o.publicHost ?? '127.0.0.1'}:${this.port}`).replace(/\/+$/, '');

    const kv = o.kv ?? await openKv(o.nc, buckets.nodes);
    await this.sample();
    this.registration = new NodeRegistration(kv, 'storage', this.nodeId, () => this.describe(), o.heartbeatMs);
    await this.registration.start();
    this.sampler = setInterval(() => void this.sample(), o.heartbeatMs);
    this.sampler.unref();

    const actors = o.actors ?? (this.ownActors = natsActorClient(o.nc, await readPartitionCount(o.nc), `storage.${this.nodeId}`));
    this.membership = new GroupMembership({ client: actors, group: o.group, nodeId: this.nodeId, beatMs: o.heartbeatMs, report: () => this.report(), closed: () => o.nc.isClosed() });
    // joined before replicating: the join's answer names the peers to fetch from
    await this.membership.join();

    this.replicator = new Replicator({
      nc: o.nc, group: o.group, nodeId: this.nodeId, store: this.store, index: this.index, view: this.membership, peerAuth: this.peerAuth, dataDir: o.dataDir,
      track: (w) => this.track(w),
      countBytes: (n) => this.countBytes('in', 'replication', n),
      onProgress: () => this.progressed(),
      streamReplicas: o.streamReplicas,
      ownRows,
    });
    this.state = 'syncing';
    await this.replicator.start();
    this.progressed();
    // the group actor hears the state the node starts with (active, when there was no backlog)
    // before start() returns, so whoever started the node can route to it at once
    await this.membership.beat();
    this.log.info({ url: this.url, dataDir: path.resolve(o.dataDir), appliedSeq: this.replicator.appliedSeq }, 'storage node running');
  }

  /** Resolves when the node has copied the binlog backlog it found at start (state active). */
  async waitActive(): Promise<void> {
    await this.replicator.waitCaughtUp();
  }

  private progressed(): void {
    if (this.state === 'syncing' && this.replicator.caughtUp) {
      this.state = 'active';
      this.log.debug({ appliedSeq: this.replicator.appliedSeq }, 'storage node active');
      void this.registration?.beat();
      void this.membership?.beat();
    }
  }

  /** What the node tells its group actor in each join and beat. */
  private report() {
    const d = this.describe();
    return {
      url: d.url, state: d.state, appliedSeq: d.appliedSeq, lagRecords: d.lagRecords, activeTransfers: d.activeTransfers,
      bytesInPerSecond: d.bytesInPerSecond, bytesOutPerSecond: d.bytesOutPerSecond, freeBytes: d.freeBytes, totalBytes: d.totalBytes,
    };
  }

  describe(): Omit<StorageNodeInfo, 'id' | 'role' | 'startedAt' | 'updatedAt'> {
    return {
      group: this.group,
      url: this.url,
      state: this.state,
      appliedSeq: this.replicator?.appliedSeq ?? 0,
      lagRecords: this.replicator?.lagRecords ?? 0,
      load: this.inflight.size,
      activeTransfers: this.inflight.size,
      bytesInPerSecond: this.rates.in,
      bytesOutPerSecond: this.rates.out,
      freeBytes: this.disk.freeBytes,
      totalBytes: this.disk.totalBytes,
    };
  }

  /** Refreshes free disk and transfer rates for the next heartbeat. */
  private async sample(): Promise<void> {
    try {
      this.disk = await this.store.disk();
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'statfs failed');
    }
    const trunks = this.store.trunks.stats();
    storageMetrics.trunkFiles.labels(this.nodeId).set(trunks.files);
    storageMetrics.trunkBytes.labels(this.nodeId, 'all').set(trunks.bytes);
    storageMetrics.trunkBytes.labels(this.nodeId, 'live').set(trunks.liveBytes);
    const now = Date.now();
    const secs = Math.max(0.001, (now - this.rates.at) / 1000);
    this.rates = {
      in: Math.round((this.traffic.in - this.rates.lastIn) / secs),
      out: Math.round((this.traffic.out - this.rates.lastOut) / secs),
      at: now, lastIn: this.traffic.in, lastOut: this.traffic.out,
    };
  }

  health(): Record<string, unknown> {
    return { ok: this.state !== 'joining', nodeId: this.nodeId, group: this.group, state: this.state, appliedSeq: this.replicator?.appliedSeq ?? 0, lagRecords: this.replicator?.lagRecords ?? 0 };
  }

  countBytes(direction: 'in' | 'out', kind: string, n: number): void {
    this.traffic[direction] += n;
    (direction === 'in' ? storageMetrics.bytesIn : storageMetrics.bytesOut).labels(this.nodeId, kind).inc(n);
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    const p = work();
    this.inflight.add(p);
    storageMetrics.active.labels(this.nodeId).set(this.inflight.size);
    try {
      return await p;
    } finally {
      this.inflight.delete(p);
      storageMetrics.active.labels(this.nodeId).set(this.inflight.size);
    }
  }

  /**
   * Stores an upload: its id is taken first (the metadata stored with the bytes names the file),
   * its bytes are received with that metadata (sha-256, fsync), then made durable with the uploads
   * that arrived beside it (upload-commits.ts): the file into place, then the create record on the
   * binlog (its sequence is the file's binlogSeq), then the metadata row. The origin holds the file
   * before the record exists, so a read routed by the holder rule never misses. An id whose upload
   * fails is skipped, as ids a stopped process did not use are.
   */
  async upload(input: UploadInput): Promise<UploadResult> {
    const started = performance.now();
    const failed = (e: unknown) => {
      storageMetrics.transfers.labels(this.nodeId, 'upload', 'failed').inc();
      throw e;
    };
    const n = await this.ids.next().catch((e) => {
      this.log.error({ err: (e as Error).message }, 'id allocation failed');
      return failed(new TroupeError('unavailable', 'the id database is not reachable; the upload was not kept'));
    });
    storageMetrics.uploadPhase.labels('id').observe((performance.now() - started) / 1000);
    const received = await this.store.receive(input.source, {
      keepSource: input.keepSource,
      maxBytes: this.maxUploadBytes,
      expectedSize: input.expectedSize,
      expectedSha256: input.expectedSha256,
      onBytes: (b) => this.countBytes('in', 'upload', b),
      timing: (phase, seconds) => storageMetrics.uploadPhase.labels(phase).observe(seconds),
      describe: ({ size, sha256 }) => ({
        op: 'create', fileId: formatFileId(this.group, n), group: this.group, owner: input.owner, size, sha256,
        contentType: input.contentType, name: input.name, createdAt: new Date().toISOString(), origin: this.nodeId,
      }),
    }).catch(failed);
    storageMetrics.uploadPhase.labels('receive').observe((performance.now() - started) / 1000);
    const committing = performance.now();
    const { rec, seq } = await this.commits.commit(received, n).catch(failed);
    storageMetrics.uploadPhase.labels('commit').observe((performance.now() - committing) / 1000);
    storageMetrics.transfers.labels(this.nodeId, 'upload', 'ok').inc();
    this.log.debug({ fileId: rec.fileId, owner: rec.owner, size: rec.size, seq }, 'stored');
    return { fileId: rec.fileId, group: this.group, size: rec.size, sha256: rec.sha256, contentType: rec.contentType, name: rec.name, createdAt: rec.createdAt, binlogSeq: seq, upload: input.upload };
  }

  /**
   * Deletes a live file of `owner`: the delete record first (so every replica removes the bytes),
   * then the row, then the bytes here. Any node of the group may do it.
   */
  async remove(owner: number, fileId: string): Promise<DeleteResult> {
    const parsed = parseFileId(fileId);
    if (!parsed || parsed.group !== this.group) throw new TroupeError('not_found', 'no such file in this group');
    const row = await this.index.getById(fileId).catch((e) => {
      this.log.error({ err: (e as Error).message, fileId }, 'metadata lookup failed');
      throw new TroupeError('unavailable', 'the metadata database is not reachable; nothing was deleted');
    });
    if (!row || row.status !== 'active') throw new TroupeError('not_found', 'no such file');
    if (row.ownerId !== owner) throw new TroupeError('forbidden', 'the file belongs to another user');
    const { binlogSeq } = await deleteFile(this.index, this.binlog, row, this.nodeId, this.log);
    const here = await this.store.meta(parsed.n);
    if (here?.fileId === fileId) await this.store.remove(parsed.n);
    storageMetrics.transfers.labels(this.nodeId, 'delete', 'ok').inc();
    return { fileId, binlogSeq };
  }

  /**
   * Leaves the group (offline at once: no new transfers routed here) and the registry, stops
   * accepting connections, lets transfers in flight finish for the grace period, then closes the
   * rest and stops the binlog consumer.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      if (this.sampler) clearInterval(this.sampler);
      await this.membership?.leave();
      await this.registration?.stop();
      const closed = this.server?.listening ? new Promise<void>((r) => this.server.close(() => r())) : Promise.resolve();
      this.server?.closeIdleConnections();
      const grace = this.o.shutdownGraceMs;
      let timer: NodeJS.Timeout | undefined;
      await Promise.all([
        Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => (timer = setTimeout(r, grace)))]).finally(() => clearTimeout(timer)),
        this.replicator?.stop(grace),
      ]);
      if (this.inflight.size) this.log.warn({ transfers: this.inflight.size }, 'closing transfers still running after the grace period');
      this.server?.closeAllConnections();
      await closed;
      await this.store.close();
      this.ownActors?.close();
      await this.release?.();
      this.log.info({ appliedSeq: this.replicator?.appliedSeq }, 'storage node stopped');
    })();
    return this.stopped;
  }
}

export function startStorageNode(o: StorageNodeOptions): Promise<StorageNode> {
  return StorageNode.start(o);
}
