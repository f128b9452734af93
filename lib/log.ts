// Structured JSON logs (pino). One root logger per process; components take a child with
// their name, so every line says where it came from.
import { pino, type Logger } from 'pino';

export type { Logger };

let root: Logger = pino({ level: process.env.TROUPE_LOG_LEVEL ?? 'info', base: { pid: process.pid } });

/**
 * Children made so far. Modules make theirs when imported, before a command has parsed its
 * settings: a new level must reach them too (pino children keep the level they were made with).
 */
let children: WeakRef<Logger>[] = [];

/** Reconfigures the root logger (called once a command has parsed its settings). */
export function configureLogging(level: string, destination?: number | string): Logger {
  if (destination === undefined) root.level = level;
  else root = pino({ level, base: { pid: process.pid } }, pino.destination(destination));
  children = children.filter((r) => {
    const c = r.deref();
    if (c) c.level = level;
    return c !== undefined;
  });
  return root;
}

export function logger(component: string, bindings: Record<string, unknown> = {}): Logger {
  const child = root.child({ component, ...bindings });
  if (children.length > 4096) children = children.filter((r) => r.deref() !== undefined);
  children.push(new WeakRef(child));
  return child;
}

/**
 * Keeps a failure that repeats on every retry from flooding the log: per key, the first occurrence
 * is logged, then at most one per `everyMs` carrying how many were held back. `ok(key)` after a
 * success re-arms the key, so the next failure is logged at once.
 */
export class RepeatGate {
  private readonly seen = new Map<string, { at: number; held: number }>();

  constructor(private readonly everyMs = 10_000, private readonly now: () => number = Date.now) {}

  /** Calls `emit` (with the count held back since the last emitted one) when this one should be logged. */
  fail(key: string, emit: (heldBack: number) => void): void {
    const s = this.seen.get(key);
    const t = this.now();
    if (s && t - s.at < this.everyMs) {
      s.held++;
      return;
    }
    this.seen.set(key, { at: t, held: 0 });
    emit(s?.held ?? 0);
  }

  ok(key: string): void {
    this.seen.delete(key);
  }
}
