// The database factory: drizzle over postgres.js when a URL is given, over PGlite (embedded
// Postgres in WebAssembly) otherwise. Same tables, same migrations, same queries.
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/postgres-js';
import { drizzle as drizzleLite } from 'drizzle-orm/pglite';
import { migrate as migratePg } from 'drizzle-orm/postgres-js/migrator';
import { migrate as migrateLite } from 'drizzle-orm/pglite/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL, SQLWrapper } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import * as tables from './tables.ts';
import { DEFAULT_PREPARED, PreparedBudget, preparingClient } from './prepared.ts';
import { projectRoot } from '../lib/config.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof tables>;

// from the checkout, not from import.meta.url: this module also runs bundled into .build/
export const migrationsFolder = path.join(projectRoot, 'schema', 'migrations');

/** A raw statement: SQL text with $1.. placeholders and its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

export interface Database {
  db: Db;
  driver: 'postgres' | 'pglite';
  /** Where it lives, without credentials. */
  where: string;
  /**
   * Runs statements and returns each one's rows. With `transaction`, all of them commit together
   * (on Postgres they are pipelined: one round trip for the lot), and the first error rolls back.
   * This is the actor runtime's hot path; everything else uses drizzle through `db`.
   */
  run(statements: Statement[], opts?: { transaction?: boolean }): Promise<Record<string, unknown>[][]>;
  close(): Promise<void>;
}

const dialect = new PgDialect();

/** Renders a drizzle query (builder or `sql` template) as a raw statement. */
export function toStatement(q: SQLWrapper | { toSQL(): { sql: string; params: unknown[] } } | Statement): Statement {
  if ('sql' in q && typeof q.sql === 'string' && Array.isArray((q as Statement).params)) return q as Statement;
  if ('toSQL' in q && typeof q.toSQL === 'function') return q.toSQL();
  const { sql: text, params } = dialect.sqlToQuery((q as SQLWrapper).getSQL());
  return { sql: text, params };
}

export interface DatabaseOptions {
  /** Postgres URL; '' for PGlite in `pgliteDir`; 'memory:' for an in-memory PGlite. */
  databaseUrl: string;
  pgliteDir?: string;
  poolSize?: number;
  /** Distinct statement texts kept prepared on each Postgres connection (schema/prepared.ts). */
  preparedStatements?: number;
}

/** Hides the password of a Postgres URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl && opts.databaseUrl !== 'memory:') {
    const client = postgres(opts.databaseUrl, {
      max: opts.poolSize ?? 10,
      onnotice: () => {},
      // a process frozen inside a transaction must not hold row locks (the partition fence) forever
      connection: { idle_in_transaction_session_timeout: 5000 },
      // ids and counters are bigint in SQL but stay below 2^53; raw queries get numbers too.
      types: { bigint: { to: 20, from: [20], parse: (x: string) => Number(x), serialize: (x: number) => String(x) } },
    });
    // one budget for drizzle's statements and the runtime's (`run`): the runtime's hot texts are
    // few and fixed, and seen first (a host fences its partitions and commits within seconds)
    const budget = new PreparedBudget(opts.preparedStatements ?? DEFAULT_PREPARED);
    const db = drizzlePg(preparingClient(client, budget), { schema: tables }) as unknown as Db;
    const run: Database['run'] = async (statements, o = {}) => {
      const one = (sql: postgres.Sql | postgres.TransactionSql, st: Statement) => sql.unsafe(st.sql, st.params as postgres.ParameterOrJSON<never>[], { prepare: budget.prepare(st.sql) });
      if (o.transaction) {
        // returning the array of unawaited queries makes postgres.js pipeline them in the
        // transaction: BEGIN, the statements together, COMMIT. (Writing all three at once on a
        // reserve()d connection saves two round trips, but postgres.js never settles queries queued
        // on a reserved connection that closes: a Postgres restart hung the committer for good.)
        const results = await client.begin((sql) => statements.map((st) => one(sql, st)));
        return (results as unknown as Record<string, unknown>[][]).map((r) => Array.from(r));
      }
      return Promise.all(statements.map(async (st) => Array.from(await one(client, st)) as Record<string, unknown>[]));
    };
    return { db, driver: 'postgres', where: redactUrl(opts.databaseUrl), run, close: () => client.end({ timeout: 5 }) };
  }
  let lite: PGlite;
  if (opts.databaseUrl === 'memory:' || !opts.pgliteDir) {
    lite = new PGlite();
  } else {
    fs.mkdirSync(opts.pgliteDir, { recursive: true });
    lite = new PGlite(opts.pgliteDir);
  }
  await lite.waitReady;
  const db = drizzleLite(lite, { schema: tables }) as unknown as Db;
  const run: Database['run'] = async (statements, o = {}) => {
    const exec = async (q: { query: PGlite['query'] }) => {
      const out: Record<string, unknown>[][] = [];
      for (const st of statements) out.push((await q.query<Record<string, unknown>>(st.sql, st.params as unknown[])).rows);
      return out;
    };
    return o.transaction ? lite.transaction((tx) => exec(tx)) : exec(lite);
  };
  return { db, driver: 'pglite', run, where: opts.pgliteDir && opts.databaseUrl !== 'memory:' ? opts.pgliteDir : 'memory', close: () => lite.close() };
}

/** Applies pending migrations. On Postgres an advisory lock keeps concurrent starters in line. */
export async function migrate(database: Database, databaseUrl: string): Promise<void> {
  if (database.driver === 'pglite') {
    await migrateLite(database.db as never, { migrationsFolder });
    return;
  }
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(7283451)`;
    await migratePg(drizzlePg(client), { migrationsFolder });
    await client`select pg_advisory_unlock(7283451)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Rows of a raw query, whichever driver ran it (postgres.js returns an array, PGlite `{ rows }`). */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? Array.from(result) : (result as { rows: T[] }).rows) as T[];
}
