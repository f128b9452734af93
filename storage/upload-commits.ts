// Making received uploads durable in groups. An upload's bytes are received (and fsynced) on their
// own; what follows costs the same for one file as for many: the metadata files' fsyncs, one fsync
// per directory, the binlog records (publishes in flight together), and the metadata rows (one
// insert, one WAL flush). So uploads whose bytes arrive while a group is being made durable wait
// and go together in the next group (group commit). No upload is answered before its bytes, its
// metadata file, its binlog record and its row are durable (should the row insert fail, the
// binlog record stands for it: every node that applies the record inserts the row).
import { TroupeError, type BinlogCreate } from '../protocol/mod.ts';
import type { Logger } from '../lib/mod.ts';
import { formatFileId } from './layout.ts';
import type { FileStore, Received } from './files.ts';
import type { FileIndex } from './metadata.ts';
import type { IdAllocator } from './ids.ts';
import type { Binlog } from './replication.ts';
import { storageMetrics } from './metrics.ts';

export interface UploadCommitDeps {
  group: string;
  nodeId: string;
  ids: IdAllocator;
  store: FileStore;
  binlog: Binlog;
  index: FileIndex;
  log: Logger;
  /** The row of a record is in (the replicator need not insert it again). */
  rowRecorded(fileId: string, seq: number): void;
}

export interface Committed {
  rec: BinlogCreate;
  seq: number;
}

interface Waiting {
  received: Received;
  meta: Omit<BinlogCreate, 'op' | 'fileId' | 'group' | 'size' | 'sha256' | 'createdAt' | 'origin'>;
  resolve(c: Committed): void;
  reject(e: unknown): void;
}

/** Uploads in one group at most (a bigger backlog goes in the next). */
const MAX_GROUP = 256;

export class UploadCommitter {
  private queue: Waiting[] = [];
  private busy = false;

  constructor(private readonly deps: UploadCommitDeps) {}

  /** Makes a received upload durable (with the uploads waiting beside it); its record and binlog sequence. */
  commit(received: Received, meta: Waiting['meta']): Promise<Committed> {
    return new Promise<Committed>((resolve, reject) => {
      this.queue.push({ received, meta, resolve, reject });
      if (!this.busy) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, MAX_GROUP);
        const started = performance.now();
        // an unforeseen failure fails the uploads of the group not answered yet
        await this.commitGroup(group).catch((e) => {
          this.deps.log.error({ err: e }, 'upload group failed');
          for (const w of group) w.reject(e);
        });
        storageMetrics.uploadGroup.observe(group.length);
        storageMetrics.uploadPhase.labels('durable').observe((performance.now() - started) / 1000);
      }
    } finally {
      this.busy = false;
    }
  }

  private async commitGroup(group: Waiting[]): Promise<void> {
    const { deps } = this;
    // 1. ids and records
    const placed: { w: Waiting; n: number; rec: BinlogCreate }[] = [];
    for (const w of group) {
      try {
        const n = await deps.ids.next();
        const rec: BinlogCreate = {
          op: 'create', fileId: formatFileId(deps.group, n), group: deps.group, owner: w.meta.owner, size: w.received.size, sha256: w.received.sha256,
          contentType: w.meta.contentType, name: w.meta.name, createdAt: new Date().toISOString(), origin: deps.nodeId,
        };
        placed.push({ w, n, rec });
      } catch (e) {
        deps.log.error({ err: (e as Error).message }, 'id allocation failed');
        await deps.store.discard(w.received);
        w.reject(new TroupeError('unavailable', 'the id database is not reachable; the upload was not kept'));
      }
    }
    // 2. bytes and metadata files into place, fsynced together
    let t = performance.now();
    const results = await deps.store.commitMany(placed.map((p) => ({ received: p.w.received, n: p.n, meta: p.rec })));
    const stored: typeof placed = [];
    await Promise.all(placed.map(async (p, i) => {
      const r = results[i];
      if (r === true) return void stored.push(p);
      // whatever of it reached its place goes again
      await deps.store.remove(p.n).catch(() => {});
      await deps.store.discard(p.w.received);
      p.w.reject(r);
    }));
    storageMetrics.uploadPhase.labels('files').observe((performance.now() - t) / 1000);
    // 3. the binlog records, published together
    t = performance.now();
    const appended = await Promise.all(stored.map((p) => deps.binlog.append(p.rec).then((seq) => ({ p, seq }), (e: unknown) => ({ p, error: e }))));
    storageMetrics.uploadPhase.labels('binlog').observe((performance.now() - t) / 1000);
    const logged: { p: (typeof placed)[number]; seq: number }[] = [];
    for (const a of appended) {
      if ('seq' in a) {
        logged.push(a);
        continue;
      }
      await deps.store.remove(a.p.n);
      deps.log.error({ err: (a.error as Error).message, fileId: a.p.rec.fileId }, 'binlog append failed; upload dropped');
      a.p.w.reject(new TroupeError('unavailable', 'the group binlog is not reachable; the upload was not kept'));
    }
    // 4. the rows, in one insert
    t = performance.now();
    try {
      await deps.index.recordCreates(logged.map((l) => ({ rec: l.p.rec, seq: l.seq })));
      for (const l of logged) deps.rowRecorded(l.p.rec.fileId, l.seq);
    } catch (e) {
      // the records are in the binlog: whichever node applies them inserts the rows
      deps.log.warn({ err: (e as Error).message, files: logged.length }, 'metadata insert failed; the binlog apply will retry it');
    }
    storageMetrics.uploadPhase.labels('rows').observe((performance.now() - t) / 1000);
    for (const l of logged) l.p.w.resolve({ rec: l.p.rec, seq: l.seq });
  }
}
