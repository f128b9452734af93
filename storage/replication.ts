// Group binlogs and replication.
//
// Every node of a group appends to `storage.<group>.log` (stream STORAGE) after it stored uploads
// (a `create` record, or one `creates` record for the uploads it made durable together) or
// handled a delete, and applies that log in order with its own durable consumer
// (`storage-<nodeId>`, explicit acks, one record in flight). For a file it lacks it fetches the
// bytes over the peers' /internal HTTP endpoint from a node that holds the file and verifies size
// and sha-256; for a delete it removes the bytes. The stream sequence of the last applied record
// ("applied seq") is kept in the data dir: it, not the consumer, is the truth about what this disk
// holds, so the consumer is recreated from it whenever the two disagree.
//
// The holder rule that makes reads safe: a file whose create(s) record has sequence S is held by its
// origin (which stored it before appending) and by every node whose applied seq >= S, until it
// is deleted — a node never moves its applied seq past a create it does not hold.
import fs from 'node:fs/promises';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy, JetStreamApiCodes, type JetStreamClient, type JetStreamManager, type JsMsg, type ConsumerMessages } from '@nats-io/jetstream';
import { ensureStream, isJetStreamError, logger, type Logger } from '../lib/mod.ts';
import { streams, subjects, consumers, BinlogRecord, isValid, TroupeError, type BinlogCreate, type BinlogDelete, type MemberState } from '../protocol/mod.ts';
import { parseFileId } from './layout.ts';
import type { FileStore } from './files.ts';
import type { FileIndex } from './metadata.ts';
import type { PeerAuth } from './tickets.ts';
import type { OwnRows } from './upload-commits.ts';
import { storageMetrics } from './metrics.ts';

const enc = new TextEncoder();
const ACK_WAIT_MS = 30_000;
const SAVE_EVERY_MS = 250;
const REATTACH_DELAY_MS = 1000;

// --- The holder rule --------------------------------------------------------------------------

export interface FileLocation {
  /** Node that stored the upload. */
  origin: string;
  /** Stream sequence of the create record. */
  binlogSeq: number;
  status?: 'active' | 'deleted';
}

export interface NodeProgress {
  nodeId: string;
  appliedSeq: number;
}

/** Whether `node` holds the file: its origin, or a node that applied the create record. */
export function holdsFile(file: FileLocation, node: NodeProgress): boolean {
  if (file.status === 'deleted') return false;
  return node.nodeId === file.origin || node.appliedSeq >= file.binlogSeq;
}

/** The nodes that hold a file, least-loaded first (where reads and replication fetches may go). */
export function holders<N extends NodeProgress & { load?: number }>(file: FileLocation, nodes: readonly N[]): N[] {
  return nodes.filter((n) => holdsFile(file, n)).sort((a, b) => (a.load ?? 0) - (b.load ?? 0) || a.nodeId.localeCompare(b.nodeId));
}

// --- Who else is in the group -------------------------------------------------------------------

export interface GroupPeer {
  nodeId: string;
  /** Base URL of the peer's HTTP API. */
  url: string;
  appliedSeq: number;
  state: MemberState;
  load: number;
}

/**
 * The members of this node's group (itself included) that are not offline: where replication
 * fetches from. membership.ts implements it from the group actor's replies.
 */
export interface GroupView {
  peers(): GroupPeer[];
}

// --- Appending ----------------------------------------------------------------------------------

/** Creates stream STORAGE (every storage node does; the first one wins, the rest find it). */
export async function ensureStorageStream(nc: NatsConnection, replicas: number): Promise<void> {
  // no limits: a node that joins later copies the group from the whole log
  await ensureStream(nc, { name: streams.storage, subjects: [subjects.storageAll], num_replicas: replicas });
}

export class Binlog {
  private readonly js: JetStreamClient;

  constructor(nc: NatsConnection, private readonly group: string) {
    this.js = jetstream(nc);
  }

  /** Appends a record; returns its stream sequence. A retry of the same record is deduplicated. */
  async append(rec: BinlogRecord): Promise<number> {
    const id = rec.op === 'creates' ? `creates:${rec.files[0].fileId}` : `${rec.op}:${rec.fileId}`;
    const ack = await this.js.publish(subjects.storageLog(this.group), enc.encode(JSON.stringify(rec)), { msgID: id });
    return ack.seq;
  }
}

/**
 * Deletes a live file whose row the caller has checked: the delete record on the group's binlog
 * first (every node removes the bytes when it applies it, also nodes that are down now), then the
 * row. `origin` is whoever handled the delete (a storage node, or a host's files service).
 */
export async function deleteFile(index: FileIndex, binlog: Binlog, row: { id: string; ownerId: number; groupName: string }, origin: string, log: Logger): Promise<{ record: BinlogDelete; binlogSeq: number }> {
  const record: BinlogDelete = { op: 'delete', fileId: row.id, group: row.groupName, owner: row.ownerId, origin, deletedAt: new Date().toISOString() };
  let binlogSeq: number;
  try {
    binlogSeq = await binlog.append(record);
  } catch (e) {
    log.error({ err: (e as Error).message, fileId: row.id }, 'binlog append failed; delete refused');
    throw new TroupeError('unavailable', 'the group binlog is not reachable; nothing was deleted');
  }
  await index.markDeleted(row.ownerId, row.id, new Date(record.deletedAt)).catch((e) => {
    log.warn({ err: (e as Error).message, fileId: row.id }, 'marking the row deleted failed; applying the binlog record will do it');
  });
  log.info({ fileId: row.id, owner: row.ownerId, seq: binlogSeq, origin }, 'deleted');
  return { record, binlogSeq };
}

// --- Applying -----------------------------------------------------------------------------------

/** The applied sequence, persisted in the data dir (rename-atomic; a stale value only re-applies). */
export class AppliedState {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'replication.json');
  }

  async load(): Promise<number> {
    try {
      const v = JSON.parse(await fs.readFile(this.file, 'utf8')) as { appliedSeq?: unknown };
      return Number.isSafeInteger(v.appliedSeq) && (v.appliedSeq as number) >= 0 ? (v.appliedSeq as number) : 0;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') logger('replication').warn({ err: (e as Error).message, file: this.file }, 'unreadable replication state: applying the binlog from the start (idempotent)');
      return 0;
    }
  }

  async save(appliedSeq: number): Promise<void> {
    const temp = `${this.file}.tmp`;
    await fs.writeFile(temp, JSON.stringify({ appliedSeq, updatedAt: new Date().toISOString() }));
    await fs.rename(temp, this.file);
  }
}

export interface ReplicatorOptions {
  nc: NatsConnection;
  group: string;
  nodeId: string;
  store: FileStore;
  index: FileIndex;
  view: GroupView;
  peerAuth: PeerAuth;
  dataDir: string;
  /** Called after each applied record and when the node first catches up. */
  onProgress?: () => void;
  /** Wraps a replication fetch so the node counts it as an active transfer. */
  track?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Counts fetched bytes. */
  countBytes?: (n: number) => void;
  /** Replicas of stream STORAGE, should this node be the one to create it. */
  streamReplicas: number;
  /** The rows of this node's own uploads in flight (upload-commits.ts). */
  ownRows?: OwnRows;
}

class Stopped extends Error {}

export class Replicator {
  appliedSeq = 0;
  /** Records of the group not yet applied (from the consumer). */
  lagRecords = 0;
  /** True once the node has applied the whole backlog that existed when it started. */
  caughtUp = false;
  private msgs?: ConsumerMessages;
  private jsm?: JetStreamManager;
  private loop?: Promise<void>;
  private stopping = false;
  private readonly abort = new AbortController();
  private readonly state: AppliedState;
  private readonly log: Logger;
  private readonly consumerName: string;
  private readonly caughtUpWaiters: (() => void)[] = [];
  private lagTimer?: NodeJS.Timeout;
  /** The record being applied. */
  private current?: Promise<void>;
  private reattaching?: Promise<void>;
  private savedAt = 0;
  private savedSeq = 0;
  private saveTimer?: NodeJS.Timeout;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly o: ReplicatorOptions) {
    this.state = new AppliedState(o.dataDir);
    this.log = logger('replication', { node: o.nodeId, group: o.group });
    this.consumerName = consumers.storageNode(o.nodeId);
  }

  async start(): Promise<void> {
    this.appliedSeq = this.savedSeq = await this.state.load();
    storageMetrics.appliedSeq.labels(this.o.nodeId).set(this.appliedSeq);
    await this.attach();
    // the lag counts records that arrive while this node is idle too
    this.lagTimer = setInterval(() => void this.refreshLag(), 2000);
    this.lagTimer.unref();
    this.log.debug({ appliedSeq: this.appliedSeq, backlog: this.lagRecords }, 'replication started');
  }

  /** Brings stream and consumer in line with the applied seq and starts consuming. */
  private async attach(): Promise<void> {
    await ensureStorageStream(this.o.nc, this.o.streamReplicas);
    const jsm = (this.jsm = await jetstreamManager(this.o.nc));
    const stream = await jsm.streams.info(streams.storage);
    if (stream.state.last_seq < this.appliedSeq) {
      // the stream was recreated (a wiped NATS store): its sequences start over, so ours mean nothing
      this.log.error({ appliedSeq: this.appliedSeq, streamLastSeq: stream.state.last_seq }, 'the binlog is behind this node\'s applied seq: stream STORAGE was reset; applying it from the start');
      this.appliedSeq = this.savedSeq = 0;
      this.o.ownRows?.clear();
      await this.state.save(0);
    }
    const filter = subjects.storageLog(this.o.group);
    let info = await jsm.consumers.info(streams.storage, this.consumerName).catch((e: unknown) => {
      if (isJetStreamError(e, JetStreamApiCodes.ConsumerNotFound)) return null;
      throw e;
    });
    const consistent = info !== null
      && info.config.filter_subject === filter
      && info.config.max_ack_pending === 1
      && info.num_ack_pending === 0
      && info.ack_floor.stream_seq <= this.appliedSeq;
    if (info && !consistent) {
      // the disk is the truth: a consumer ahead of it (lost data dir) or mid-record (crash) starts over from it
      this.log.info({ ackFloor: info.ack_floor.stream_seq, appliedSeq: this.appliedSeq }, 'recreating the binlog consumer from the applied seq');
      await jsm.consumers.delete(streams.storage, this.consumerName);
      info = null;
    }
    if (!info) {
      info = await jsm.consumers.add(streams.storage, {
        durable_name: this.consumerName,
        filter_subject: filter,
        ack_policy: AckPolicy.Explicit,
        ack_wait: ACK_WAIT_MS * 1_000_000,
        max_ack_pending: 1,
        ...(this.appliedSeq > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.appliedSeq + 1 } : { deliver_policy: DeliverPolicy.All }),
      });
    }
    this.setLag(info.num_pending + info.num_ack_pending);
    const consumer = await jetstream(this.o.nc).consumers.get(streams.storage, this.consumerName);
    const msgs = (this.msgs = await consumer.consume({ max_messages: 16 }));
    this.loop = this.run(msgs).catch((e) => {
      if (!this.stopping) this.log.error({ err: e }, 'replication loop ended');
    });
    void this.watch(msgs);
  }

  /** The consumer reports its consumer or stream deleted under a running node (an operator, a reset). */
  private async watch(msgs: ConsumerMessages): Promise<void> {
    for await (const s of msgs.status()) {
      if (s.type === 'consumer_deleted' || s.type === 'consumer_not_found' || s.type === 'stream_not_found') {
        void this.reattach(s.type);
        return;
      }
    }
  }

  /** Closes the consumer and attaches again (once, however many signs of trouble arrive). */
  private reattach(reason: string): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.reattaching ??= (async () => {
      this.log.error({ reason }, 'the binlog consumer is gone; attaching again');
      await this.msgs?.close().catch(() => {});
      await this.loop;
      // nats-server 2.9 removes a deleted stream's files after answering: a stream created again
      // at once can lose its first messages to that clean-up, so give it a moment first
      await this.sleep(REATTACH_DELAY_MS);
      for (let attempt = 0; !this.stopping; attempt++) {
        try {
          await this.attach();
          return;
        } catch (e) {
          this.log.warn({ err: (e as Error).message }, 'attaching to the binlog failed; retrying');
          await this.sleep(Math.min(5000, 200 * 2 ** Math.min(attempt, 5)));
        }
      }
    })().finally(() => {
      this.reattaching = undefined;
    });
    return this.reattaching;
  }

  /** Resolves once the node has applied the backlog it found at start. */
  waitCaughtUp(): Promise<void> {
    if (this.caughtUp) return Promise.resolve();
    return new Promise((r) => this.caughtUpWaiters.push(r));
  }

  /** Stops taking records; a fetch in progress gets `graceMs` to finish before it is cut off. */
  async stop(graceMs = 0): Promise<void> {
    this.stopping = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
    if (graceMs > 0 && this.current) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.current.catch(() => {}), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    this.abort.abort();
    // a re-attach in progress finishes first, so the consumer it opens is the one closed here
    await this.reattaching;
    await this.msgs?.close().catch(() => {});
    await this.loop;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.saveNow().catch((e) => this.log.warn({ err: (e as Error).message }, 'could not keep the applied seq; a restart applies some records again'));
  }

  /**
   * Keeps the applied seq in the data dir, at most every SAVE_EVERY_MS: a record applied sooner
   * after the last save is saved by a timer when that time is up (an idle node's file trails by at
   * most SAVE_EVERY_MS), and on stop. A value behind the truth only makes a restart apply some
   * records again, which finds their bytes in place. (Saving at once whenever the node was idle
   * cost a file created and one deleted per upload: the node applies its own uploads' records one
   * by one, each finding the log idle.)
   */
  private async persist(): Promise<void> {
    if (this.appliedSeq === this.savedSeq) return;
    const wait = this.savedAt + SAVE_EVERY_MS - Date.now();
    if (wait <= 0) return this.saveNow();
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      this.saveNow().catch((e) => this.log.warn({ err: (e as Error).message }, 'could not keep the applied seq; a restart applies some records again'));
    }, wait);
    this.saveTimer.unref();
  }

  /** Saves the applied seq now (one save at a time: they share a temp file). */
  private saveNow(): Promise<void> {
    const run = this.saving.then(async () => {
      const seq = this.appliedSeq;
      if (seq === this.savedSeq) return;
      this.savedAt = Date.now();
      await this.state.save(seq);
      this.savedSeq = seq;
    });
    this.saving = run.catch(() => {});
    return run;
  }

  private setLag(n: number): void {
    this.lagRecords = n;
    storageMetrics.lagRecords.labels(this.o.nodeId).set(n);
    if (n === 0 && !this.caughtUp) {
      this.caughtUp = true;
      this.log.debug({ appliedSeq: this.appliedSeq }, 'caught up with the binlog');
      for (const w of this.caughtUpWaiters.splice(0)) w();
      this.o.onProgress?.();
    }
  }

  private async refreshLag(): Promise<void> {
    if (this.stopping || this.reattaching || !this.jsm) return;
    try {
      const info = await this.jsm.consumers.info(streams.storage, this.consumerName);
      this.setLag(info.num_pending + info.num_ack_pending);
    } catch (e) {
      // an idle consumer may not notice its deletion until its pull expires; this notices sooner
      if (isJetStreamError(e, JetStreamApiCodes.ConsumerNotFound, JetStreamApiCodes.StreamNotFound)) void this.reattach((e as Error).message);
    }
  }

  private async run(msgs: ConsumerMessages): Promise<void> {
    for await (const m of msgs) {
      if (this.stopping) {
        m.nak();
        break;
      }
      try {
        if (m.seq > this.appliedSeq) {
          this.current = this.applyMessage(m);
          await this.current;
          this.appliedSeq = m.seq;
          await this.persist();
          storageMetrics.appliedSeq.labels(this.o.nodeId).set(m.seq);
          storageMetrics.lagSeconds.labels(this.o.nodeId).set(Math.max(0, (Date.now() - m.time.getTime()) / 1000));
        }
        this.current = undefined;
        m.ack();
        this.setLag(m.info.pending);
        this.o.onProgress?.();
      } catch (e) {
        this.current = undefined;
        if (e instanceof Stopped || this.stopping) {
          // hand the record back so the next start gets it at once
          m.nak();
          break;
        }
        // database or disk trouble: the same record comes back (one in flight keeps the order)
        this.log.error({ err: e, seq: m.seq }, 'applying a binlog record failed; retrying');
        m.nak(2000);
      }
    }
  }

  private async applyMessage(m: JsMsg): Promise<void> {
    let rec: unknown;
    try {
      rec = m.json();
    } catch {
      rec = undefined;
    }
    const ours = (r: { group: string; fileId: string }) => r.group === this.o.group && parseFileId(r.fileId) !== null;
    if (!isValid(BinlogRecord, rec) || (rec.op === 'creates' ? !rec.files.every((f) => ours(f) && f.origin === rec.origin) || rec.group !== this.o.group : !ours(rec))) {
      this.log.error({ seq: m.seq, subject: m.subject }, 'skipping a malformed binlog record');
      return;
    }
    // keep the record's ack deadline moving while a large file is fetched
    const working = setInterval(() => m.working(), ACK_WAIT_MS / 3);
    try {
      if (rec.op === 'create') await this.applyCreate(rec, m.seq);
      // in order; a failure (retried with the whole record) finds the files before it in place
      else if (rec.op === 'creates') for (const f of rec.files) await this.applyCreate(f, m.seq);
      else await this.applyDelete(rec);
    } finally {
      clearInterval(working);
    }
  }

  private async applyCreate(rec: BinlogCreate, seq: number): Promise<void> {
    const { n } = parseFileId(rec.fileId)!;
    // the origin inserts the row when it can (for our own uploads: wait for that insert); every
    // other node makes sure it exists
    const recorded = (await this.o.ownRows?.take(rec.fileId)) === true;
    // our own upload: its bytes and metadata were in place before the record was appended
    if (recorded && rec.origin === this.o.nodeId) return;
    if (!recorded) await this.o.index.recordCreate(rec, seq);
    const have = await this.o.store.meta(n);
    if (have) {
      if (have.fileId === rec.fileId && have.sha256 === rec.sha256) return;
      this.log.error({ fileId: rec.fileId, present: have.fileId }, 'another file holds this id\'s path; replacing it with the binlog\'s');
    }
    for (let attempt = 0; ; attempt++) {
      if (this.stopping) throw new Stopped();
      const row = await this.o.index.get(rec.owner, rec.fileId);
      if (row?.status === 'deleted') return; // deleted since: the delete record follows
      const sources = holders({ origin: rec.origin, binlogSeq: seq }, this.o.view.peers()).filter((p) => p.nodeId !== this.o.nodeId);
      for (const src of sources) {
        try {
          await (this.o.track ?? ((w) => w()))(() => this.fetchFrom(src, rec, n));
          storageMetrics.transfers.labels(this.o.nodeId, 'replication', 'ok').inc();
          this.log.debug({ fileId: rec.fileId, from: src.nodeId, size: rec.size }, 'replicated');
          return;
        } catch (e) {
          if (this.stopping) throw new Stopped();
          storageMetrics.transfers.labels(this.o.nodeId, 'replication', 'failed').inc();
          this.log.warn({ fileId: rec.fileId, from: src.nodeId, err: (e as Error).message }, 'replication fetch failed');
        }
      }
      if (attempt === 0 && sources.length === 0) this.log.info({ fileId: rec.fileId, seq }, 'no live node holds this file yet; waiting');
      await this.sleep(Math.min(5000, 200 * 2 ** Math.min(attempt, 5)));
    }
  }

  private async applyDelete(rec: BinlogDelete): Promise<void> {
    const { n } = parseFileId(rec.fileId)!;
    const have = await this.o.store.meta(n);
    if (!have || have.fileId === rec.fileId) await this.o.store.remove(n);
    await this.o.index.markDeleted(rec.owner, rec.fileId, new Date(rec.deletedAt));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }

  /** Streams a file from a peer into the store, checking size and sha-256 against the record. */
  private async fetchFrom(src: GroupPeer, rec: BinlogCreate, n: number): Promise<void> {
    const url = new URL(`/internal/files/${rec.fileId}`, src.url);
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).get(url, {
        headers: { authorization: this.o.peerAuth.sign('GET', url.pathname, this.o.nodeId) },
        signal: this.abort.signal,
      }, resolve);
      req.setTimeout(30_000, () => req.destroy(new Error('peer stopped sending')));
      req.on('error', reject);
    });
    if (res.statusCode !== 200) {
      res.resume();
      throw new Error(`${src.nodeId} answered ${res.statusCode}`);
    }
    const received = await this.o.store.receive(res, {
      maxBytes: rec.size,
      expectedSize: rec.size,
      expectedSha256: rec.sha256,
      onBytes: this.o.countBytes,
      describe: () => rec,
    });
    try {
      await this.o.store.commit(received, n);
    } catch (e) {
      await this.o.store.discard(received);
      throw e;
    }
  }
}
