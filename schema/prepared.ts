// Statements on postgres.js, prepared up to a bound.
//
// drizzle runs its queries unprepared (it asks postgres.js for `prepare: false`, so that an
// application whose statement texts never repeat does not fill every connection with prepared
// statements). postgres.js then sends every query with parameters in two round trips (Parse and
// Describe, wait for the parameter types, then Bind and Execute), and Postgres parses and plans
// it each time: a lookup by key cost 570-680 µs and 180-200 µs of backend CPU here, against
// 200-360 µs and 50-90 µs prepared. Our statement texts come from a bounded set of query shapes,
// so each is prepared (postgres.js keeps it per connection and reuses it) until `limit` distinct
// texts have been seen by this process; texts after that run unprepared, so a shape whose text
// varies without end (a list of a new length each time, as the membership writer's) cannot grow
// any connection's cache past the bound. The runtime's own statements (`Database.run`) share the
// budget; before it, they were all prepared however many there were.
import type postgres from 'postgres';

/** Distinct texts prepared per process unless configured (TROUPE_DB_PREPARED, lib/config.ts). */
export const DEFAULT_PREPARED = 256;

/** Decides, once per statement text, whether it is prepared: the first `limit` distinct texts are. */
export class PreparedBudget {
  private readonly texts = new Set<string>();

  constructor(readonly limit: number) {}

  prepare(text: string): boolean {
    if (this.texts.has(text)) return true;
    if (this.texts.size >= this.limit) return false;
    this.texts.add(text);
    return true;
  }

  get size(): number {
    return this.texts.size;
  }
}

type Body = (tx: postgres.TransactionSql) => unknown;

/**
 * `client` as drizzle sees it: `unsafe` (every drizzle query, in transactions too) prepares what
 * the budget allows; everything else is the client itself.
 */
export function preparingClient<T extends postgres.Sql | postgres.TransactionSql>(client: T, budget: PreparedBudget): T {
  // a transaction's body gets its transaction (and a savepoint's) wrapped the same way
  const scoped = (fn: (...args: unknown[]) => unknown, self: object) => (...args: unknown[]) => {
    const body = args[args.length - 1] as Body;
    return fn.call(self, ...args.slice(0, -1), (tx: postgres.TransactionSql) => body(preparingClient(tx, budget)));
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'unsafe') {
        return (text: string, params?: unknown[], options?: Record<string, unknown>) =>
          value.call(target, text, params, { ...options, prepare: budget.prepare(text) });
      }
      if (prop === 'begin' || prop === 'savepoint') return scoped(value as (...args: unknown[]) => unknown, target);
      return value.bind(target);
    },
  });
}
