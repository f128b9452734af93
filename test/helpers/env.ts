// Test environment: our own nats-server from nats.conf on a free port, and a fresh database
// (a new Postgres database per test file, or in-memory PGlite when no Postgres answers).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { defaultConfig, randomSecrets, applyStoredSecrets, type Config } from '../../lib/mod.ts';
import { openDatabase, migrate, type Database } from '../../schema/mod.ts';
import { startNatsServer, type NatsServerHandle } from '../../ops/nats-server.ts';

export function tempDir(prefix = 'troupe-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Random secrets for this test process, put in its environment as an operator would export them,
 * so the role processes a test starts inherit them (and none touches the checkout's data dir).
 */
export const testSecrets: Readonly<Record<string, string>> = randomSecrets();
Object.assign(process.env, testSecrets);

/** Defaults, quiet, with this process's secrets and the given overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const config: Config = { ...defaultConfig(), logLevel: 'warn', ...overrides };
  applyStoredSecrets(config, testSecrets);
  return config;
}

export async function startTestNats(config: Config, extra?: string): Promise<NatsServerHandle> {
  const handle = await startNatsServer({ config, dir: tempDir('troupe-nats-'), port: 0, extra });
  config.natsUrl = handle.url;
  return handle;
}

const baseUrl = process.env.TROUPE_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  database: Database;
  drop(): Promise<void>;
}

let pgReachable: boolean | undefined;

async function postgresReachable(): Promise<boolean> {
  if (pgReachable !== undefined) return pgReachable;
  const sql = postgres(baseUrl, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    pgReachable = true;
  } catch {
    pgReachable = false;
  } finally {
    await sql.end({ timeout: 1 });
  }
  return pgReachable;
}

/** A migrated, empty database of its own. `url` is '' for PGlite (in-memory, single process). */
export async function freshDatabase(opts: { forcePglite?: boolean } = {}): Promise<TestDatabase> {
  if (opts.forcePglite || !(await postgresReachable())) {
    const database = await openDatabase({ databaseUrl: 'memory:' });
    await migrate(database, '');
    return { url: '', database, drop: () => database.close() };
  }
  const name = `troupe_t_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = await openDatabase({ databaseUrl: url, poolSize: Number(process.env.TROUPE_TEST_DB_POOL ?? 10) });
  await migrate(database, url);
  return {
    url,
    database,
    async drop() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 2 });
    },
  };
}
