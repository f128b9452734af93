// The host's committer: one per host, it takes what every partition has staged and commits it in
// one transaction (group commit), so a host pays one round trip and one WAL flush for many
// partitions' batches instead of one each. Each part stays fenced on its own inside the
// transaction; when the transaction fails for a reason one part may have caused (a moved fence, a
// stale snapshot, an applied key, a deterministic error of a domain write), each part is committed
// again on its own, so only the failing part fails. While a commit is in flight the partitions
// keep consuming and planning: what they stage meanwhile goes into the next commit.
import { logger, type Logger } from '../../lib/mod.ts';
import { FencedError, VersionConflict, type Clock, type CommitPart, type OutboxEntry, type Store, type Timer } from './ports.ts';
import { runtimeMetrics as m } from './metrics.ts';

/** A partition with a batch to commit (the worker). Called synchronously by the committer. */
export interface CommitSource {
  readonly partition: number;
  /** Messages staged, waiting for a commit. */
  pending(): number;
  /**
   * Hands over the staged batch for a commit now starting, or null when there is none any more
   * (withdrawn, or the lease ran out: the source fails the batch itself).
   */
  seal(): CommitPart | null;
  /** The sealed part committed (with its outbox entries) or failed; before any later commit starts. */
  settle(result: { sent: OutboxEntry[] } | { error: unknown }): void;
}

export interface CommitterOptions {
  /** Stop adding parts to a commit once it holds this many messages (the rest go in the next). */
  maxMessages: number;
  /** Commits in flight at once (each part is in at most one; a partition's next waits for its last). */
  concurrency: number;
  /**
   * Under steady load (the last commit ended less than this long ago), a commit with fewer than
   * `lingerMessages` waiting waits up to this long for more: each commit costs a round trip, a
   * WAL flush and a socket write per side whatever it carries. 0: never wait.
   */
  lingerMs: number;
  lingerMessages: number;
  /**
   * A commit not settled by then fails as transient (and is retried like a lost connection's): a
   * query on a connection that died under it (a Postgres restart) may never settle otherwise.
   */
  timeoutMs: number;
}

/** A commit that did not settle in time: its outcome is unknown, as after a lost connection. */
export class CommitTimeout extends Error {
  constructor(ms: number) {
    super(`commit not settled after ${ms} ms`);
    this.name = 'CommitTimeout';
  }
}

/** Postgres error classes that fail the same way on retry (data, integrity, syntax). */
export function isDeterministic(e: unknown): boolean {
  const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
  return typeof code === 'string' && /^(22|23|42)/.test(code);
}

/**
 * Whether a failed commit of several parts may be the fault of one of them alone. Class 21: one
 * key judged in two parts (a client reused a key for actors of two partitions), which one
 * statement cannot upsert twice; committed one by one, the second is a duplicate as usual.
 */
function onePartsFault(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return e instanceof FencedError || e instanceof VersionConflict || isDeterministic(e) || (typeof code === 'string' && code.startsWith('21'));
}

export class Committer {
  /** Sources with a batch waiting, in the order they became ready. */
  private readonly waiting = new Set<CommitSource>();
  private inFlight = 0;
  private readonly log: Logger;
  private readonly opts: CommitterOptions;
  private lastEnded = -Infinity;
  private linger?: Timer;
  private lingered = false;

  constructor(private readonly store: Store, private readonly clock: Clock, opts: Partial<CommitterOptions> = {}) {
    this.opts = { maxMessages: 1024, concurrency: 1, lingerMs: 0, lingerMessages: 32, timeoutMs: 15_000, ...opts };
    this.log = logger('actor-committer');
  }

  /** `source` has a batch staged: it goes into the next commit. */
  ready(source: CommitSource): void {
    this.waiting.add(source);
    this.kick();
  }

  /** `source` no longer has a batch staged (it discarded it). */
  withdraw(source: CommitSource): void {
    this.waiting.delete(source);
  }

  private kick(): void {
    while (this.inFlight < this.opts.concurrency && this.waiting.size > 0) {
      if (this.shouldLinger()) return;
      const taken: { source: CommitSource; part: CommitPart }[] = [];
      let messages = 0;
      for (const source of this.waiting) {
        if (messages >= this.opts.maxMessages) break;
        this.waiting.delete(source);
        const part = source.seal();
        if (!part) continue;
        messages += part.messages ?? 0;
        taken.push({ source, part });
      }
      if (taken.length === 0) return;
      this.inFlight++;
      void this.commit(taken, messages).finally(() => {
        this.inFlight--;
        this.lastEnded = this.clock.now();
        this.kick();
      });
    }
  }

  /** Whether to wait a little for more messages before starting a commit (arms the wait). */
  private shouldLinger(): boolean {
    if (this.opts.lingerMs <= 0 || this.lingered) return false;
    if (this.linger) return true;
    if (this.clock.now() - this.lastEnded > this.opts.lingerMs) return false;
    let waiting = 0;
    for (const s of this.waiting) waiting += s.pending();
    if (waiting >= this.opts.lingerMessages) return false;
    this.linger = this.clock.setTimer(this.opts.lingerMs, () => {
      this.linger = undefined;
      this.lingered = true;
      try {
        this.kick();
      } finally {
        this.lingered = false;
      }
    });
    return true;
  }

  /** The store's commit, failing with CommitTimeout if it has not settled in time. */
  private commitWithin(parts: CommitPart[]): Promise<OutboxEntry[][]> {
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimer(this.opts.timeoutMs, () => reject(new CommitTimeout(this.opts.timeoutMs)));
      this.store.commit(parts).then(
        (v) => { timer.cancel(); resolve(v); },
        (e) => { timer.cancel(); reject(e); },
      );
    });
  }

  private async commit(taken: { source: CommitSource; part: CommitPart }[], messages: number): Promise<void> {
    const started = performance.now();
    try {
      const sent = await this.commitWithin(taken.map((t) => t.part));
      m.commitMessages.observe(messages);
      m.commitParts.observe(taken.length);
      m.commitSeconds.observe((performance.now() - started) / 1000);
      taken.forEach((t, i) => t.source.settle({ sent: sent[i] }));
    } catch (e) {
      if (taken.length > 1 && onePartsFault(e)) {
        // one part may be at fault: each on its own, so only that one fails
        m.commitSplits.inc();
        this.log.debug({ err: (e as Error).message, parts: taken.length }, 'commit failed; committing its parts one by one');
        for (const t of taken) {
          try {
            const [sent] = await this.commitWithin([t.part]);
            m.commitMessages.observe(t.part.messages ?? 0);
            m.commitParts.observe(1);
            t.source.settle({ sent });
          } catch (err) {
            t.source.settle({ error: err });
          }
        }
        return;
      }
      for (const t of taken) t.source.settle({ error: e });
    }
  }
}
