// Making received uploads durable in groups. An upload's bytes and metadata are received (and
// fsynced) on their own; what follows costs the same for one file as for many: one fsync per
// directory after the renames, one binlog record (`creates`: one publish, one delivery to each
// node), and the metadata rows (one insert, one WAL flush). So uploads whose bytes arrive while a group is being made
// durable wait and go together in the next group (group commit). No upload is answered before its
// bytes (with their metadata), its binlog record and its row are durable (should the row insert
// fail, the binlog record stands for it: every node that applies the record inserts the row).
import { TroupeError, MAX_CREATES_PER_RECORD, type BinlogCreate } from '../protocol/mod.ts';
import type { Logger } from '../lib/mod.ts';
import type { FileStore, Received } from './files.ts';
import type { FileIndex } from './metadata.ts';
import type { Binlog } from './replication.ts';
import { storageMetrics } from './metrics.ts';

/**
 * The rows of the node's own uploads, by file id, from just before their records are appended
 * until the replicator applies those records: the replicator waits for the committer's insert
 * (true: the row is in) instead of racing it with an insert and a look at the disk of its own.
 */
export class OwnRows {
  private readonly pending = new Map<string, Promise<boolean>>();

  expect(fileIds: string[], inserted: Promise<boolean>): void {
    for (const id of fileIds) this.pending.set(id, inserted);
  }

  /** A record that was never appended. */
  forget(fileId: string): void {
    this.pending.delete(fileId);
  }

  /** Whether the committer inserted the row of `fileId` (undefined: not one of ours in flight). */
  take(fileId: string): Promise<boolean> | undefined {
    const p = this.pending.get(fileId);
    this.pending.delete(fileId);
    return p;
  }

  clear(): void {
    this.pending.clear();
  }
}

export interface UploadCommitDeps {
  group: string;
  nodeId: string;
  store: FileStore;
  binlog: Pick<Binlog, 'append'>;
  index: Pick<FileIndex, 'recordCreates'>;
  log: Logger;
  /** Shared with the replicator. */
  ownRows: OwnRows;
}

export interface Committed {
  rec: BinlogCreate;
  seq: number;
}

interface Waiting {
  received: Received;
  /** The file's numeric id (its layout path). */
  n: number;
  resolve(c: Committed): void;
  reject(e: unknown): void;
}

/** Uploads in one group at most (a bigger backlog goes in the next): one binlog record holds them. */
const MAX_GROUP = MAX_CREATES_PER_RECORD;

export class UploadCommitter {
  private queue: Waiting[] = [];
  private busy = false;
  /** Set while the drain waits with nothing queued: an arrival wakes it. */
  private wake: (() => void) | undefined;

  constructor(private readonly deps: UploadCommitDeps) {}

  /** Makes received upload `n` durable (with the uploads waiting beside it); its record and binlog sequence. */
  commit(received: Received, n: number): Promise<Committed> {
    return new Promise<Committed>((resolve, reject) => {
      this.queue.push({ received, n, resolve, reject });
      if (!this.busy) void this.drain();
      else this.wake?.();
    });
  }

  /**
   * Two groups at most are in flight: one placing its files while the one before it appends its
   * record and inserts its rows (the steps use different resources: the disk, then NATS and
   * Postgres). Records are appended in the order of the groups; a group is formed from what
   * waits when the group before it starts its record, so uploads still travel together.
   */
  private async drain(): Promise<void> {
    this.busy = true;
    let recording: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        if (!this.queue.length) {
          // the last group records: the next starts with the first arrival (or we are done)
          const done = await Promise.race([recording.then(() => true), new Promise<false>((r) => (this.wake = () => r(false)))]);
          this.wake = undefined;
          if (done && !this.queue.length) break;
          continue;
        }
        const group = this.queue.splice(0, MAX_GROUP);
        const started = performance.now();
        const stored = await this.placeFiles(group).catch((e: unknown) => {
          // an unforeseen failure fails the uploads of the group not answered yet
          this.deps.log.error({ err: e }, 'upload group failed');
          for (const w of group) w.reject(e);
          return [];
        });
        const before = recording;
        recording = before.then(() => this.record(stored)).catch((e) => {
          // an unforeseen failure fails the uploads of the group not answered yet
          this.deps.log.error({ err: e }, 'upload group failed');
          for (const w of stored) w.reject(e);
        }).finally(() => {
          storageMetrics.uploadGroup.observe(group.length);
          storageMetrics.uploadPhase.labels('durable').observe((performance.now() - started) / 1000);
        });
        // the group before this one is done: this one records while the next places its files
        await before;
      }
    } finally {
      this.busy = false;
    }
  }

  /** Step 1: the files into place, their directories fsynced once; the uploads that got there. */
  private async placeFiles(group: Waiting[]): Promise<Waiting[]> {
    const { deps } = this;
    const t = performance.now();
    const results = await deps.store.commitMany(group.map((w) => ({ received: w.received, n: w.n })));
    const stored: Waiting[] = [];
    await Promise.all(group.map(async (w, i) => {
      const r = results[i];
      if (r === true) return void stored.push(w);
      // whatever of it reached its place goes again
      await deps.store.remove(w.n).catch(() => {});
      await deps.store.discard(w.received);
      w.reject(r);
    }));
    storageMetrics.uploadPhase.labels('files').observe((performance.now() - t) / 1000);
    return stored;
  }

  /** Steps 2 and 3 for the uploads whose files are in place: the binlog record, then the rows. */
  private async record(stored: Waiting[]): Promise<void> {
    const { deps } = this;
    if (!stored.length) return;
    let t: number;
    // 2. the binlog record: one for the group (`creates`; `create` for a group of one), so the
    // group costs one publish and one delivery to each node; the replicator will meet it here
    // and wait for step 3
    const files = stored.map((w) => w.received.meta);
    let rowsInserted!: (ok: boolean) => void;
    deps.ownRows.expect(files.map((f) => f.fileId), new Promise<boolean>((r) => (rowsInserted = r)));
    try {
      t = performance.now();
      let seq: number;
      try {
        seq = await deps.binlog.append(files.length === 1 ? files[0] : { op: 'creates', group: deps.group, origin: deps.nodeId, files });
      } catch (e) {
        deps.log.error({ err: (e as Error).message, files: files.length }, 'binlog append failed; uploads dropped');
        for (const w of stored) {
          deps.ownRows.forget(w.received.meta.fileId);
          await deps.store.remove(w.n).catch(() => {});
          w.reject(new TroupeError('unavailable', 'the group binlog is not reachable; the upload was not kept'));
        }
        return;
      }
      storageMetrics.uploadPhase.labels('binlog').observe((performance.now() - t) / 1000);
      // 3. the rows, in one insert
      t = performance.now();
      try {
        await deps.index.recordCreates(files.map((rec) => ({ rec, seq })));
        rowsInserted(true);
      } catch (e) {
        // the records are in the binlog: whichever node applies them inserts the rows
        deps.log.warn({ err: (e as Error).message, files: files.length }, 'metadata insert failed; the binlog apply will retry it');
      }
      storageMetrics.uploadPhase.labels('rows').observe((performance.now() - t) / 1000);
      for (const w of stored) w.resolve({ rec: w.received.meta, seq });
    } finally {
      // a no (or a second answer, which does nothing) whatever happened above: the replicator never waits forever
      rowsInserted(false);
    }
  }
}
