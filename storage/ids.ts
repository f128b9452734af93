// Leaf-style id segments (the seed's "memory step + database step"). The database holds, per key,
// the highest id handed out to any process; a process takes the next `step` ids in one atomic
// upsert and then counts in memory. Ids never repeat, across restarts and concurrent allocators,
// because every segment comes from that single-row update; ids a process did not use before it
// stopped are skipped, never reused.
//
// Double buffering: once 10 % of the current segment is used the next one is loaded in the
// background, so callers almost never wait for the database. The step adapts to demand as in
// Meituan's Leaf: a segment that lasted less than the target duration doubles the next step (up to
// a cap), one that lasted more than twice the target halves it (down to the floor).
import { sql } from 'drizzle-orm';
import { tables, type Db } from '../schema/mod.ts';
import { logger, type Logger } from '../lib/mod.ts';

export interface IdAllocatorOptions {
  /** First and smallest step. */
  minStep: number;
  /** Largest step. */
  maxStep: number;
  /** How long a segment should last; faster doubles the step, over twice this halves it. Default 15 min. */
  segmentTargetMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

interface Segment {
  /** Next id to hand out. */
  next: number;
  first: number;
  last: number;
}

export interface IdAllocatorStats {
  key: string;
  step: number;
  /** Segments taken from the database. */
  fetches: number;
  current?: { first: number; last: number; next: number };
  nextReady: boolean;
}

const { idSegments } = tables;

export class IdAllocator {
  private cur?: Segment;
  private spare?: Segment;
  private loading?: Promise<void>;
  private step: number;
  private lastFetchAt?: number;
  private fetches = 0;
  private readonly minStep: number;
  private readonly maxStep: number;
  private readonly target: number;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly db: Db, readonly key: string, opts: IdAllocatorOptions) {
    if (!(opts.minStep >= 1 && opts.maxStep >= opts.minStep)) throw new Error(`bad id steps: min ${opts.minStep}, max ${opts.maxStep}`);
    this.minStep = opts.minStep;
    this.maxStep = opts.maxStep;
    this.step = opts.minStep;
    this.target = opts.segmentTargetMs ?? 15 * 60_000;
    this.now = opts.now ?? Date.now;
    this.log = logger('ids', { key });
  }

  /** The next id (>= 1). */
  async next(): Promise<number> {
    for (;;) {
      const c = this.cur;
      if (c && c.next <= c.last) {
        const id = c.next++;
        if (!this.spare && !this.loading && c.next - c.first >= (c.last - c.first + 1) * 0.1) {
          this.load().catch((e) => this.log.warn({ err: (e as Error).message }, 'loading the next id segment failed; will retry'));
        }
        return id;
      }
      if (this.spare) {
        this.cur = this.spare;
        this.spare = undefined;
        continue;
      }
      await this.load();
    }
  }

  /** Resolves when no segment load is in flight. */
  async idle(): Promise<void> {
    await this.loading?.catch(() => {});
  }

  stats(): IdAllocatorStats {
    const c = this.cur;
    return { key: this.key, step: this.step, fetches: this.fetches, current: c && { first: c.first, last: c.last, next: c.next }, nextReady: !!this.spare };
  }

  /** Loads one segment into `spare`; concurrent callers share the one load. */
  private load(): Promise<void> {
    if (this.spare) return Promise.resolve();
    this.loading ??= this.fetch()
      .then((s) => {
        this.spare = s;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private async fetch(): Promise<Segment> {
    const now = this.now();
    if (this.lastFetchAt !== undefined) {
      const lasted = now - this.lastFetchAt;
      if (lasted < this.target) this.step = Math.min(this.maxStep, this.step * 2);
      else if (lasted >= 2 * this.target) this.step = Math.max(this.minStep, Math.floor(this.step / 2));
    }
    const step = this.step;
    const [row] = await this.db
      .insert(idSegments)
      .values({ key: this.key, maxId: step, step })
      .onConflictDoUpdate({ target: idSegments.key, set: { maxId: sql`${idSegments.maxId} + ${step}`, step, updatedAt: sql`now()` } })
      .returning({ maxId: idSegments.maxId });
    const last = Number(row.maxId);
    if (!Number.isSafeInteger(last)) throw new Error(`id space of ${this.key} exhausted`);
    this.lastFetchAt = now;
    this.fetches++;
    this.log.debug({ first: last - step + 1, last, step }, 'id segment loaded');
    return { first: last - step + 1, last, next: last - step + 1 };
  }
}
