// Structured logs (pino). One root logger per process; components take a child with their name,
// so every line says where it came from. JSON lines for machines (when stdout is not a terminal,
// or TROUPE_LOG_FORMAT=json); on a terminal, readable lines from pino-pretty.
import { pino, type Logger, type DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type { Logger };

export type LogFormat = 'auto' | 'json' | 'pretty';

const stdout = pino.destination({ dest: 1, sync: true });

/** One line per log entry: JSON as pino wrote it. */
const jsonLines: DestinationStream = stdout;

/** One readable line per entry: time, level, component, message, other fields inline. */
function prettyLines(): DestinationStream {
  const prettify = prettyFactory({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,component',
    messageFormat: '{if component}{component}: {end}{msg}',
    singleLine: true,
  });
  return { write: (line: string) => stdout.write(prettify(line)) };
}

function destinationFor(format: string): DestinationStream {
  const pretty = format === 'pretty' || (format !== 'json' && process.stdout.isTTY === true);
  return pretty ? prettyLines() : jsonLines;
}

/**
 * Where the root logger writes; switching its target switches every child made so far (modules
 * make theirs when imported, before a command has parsed its settings).
 */
const sink = { target: destinationFor(process.env.TROUPE_LOG_FORMAT || 'auto'), write(line: string) { this.target.write(line); } };

const root: Logger = pino({ level: process.env.TROUPE_LOG_LEVEL || 'info', base: { pid: process.pid } }, sink);

/** Children made so far: a new level must reach them too (pino children keep the level they were made with). */
let children: WeakRef<Logger>[] = [];

/** Reconfigures logging once a command has parsed its settings. */
export function configureLogging(level: string, format: LogFormat | string = 'auto'): Logger {
  root.level = level;
  sink.target = destinationFor(format);
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
