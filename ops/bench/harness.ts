// What every benchmark shares: closed-loop load with a fixed number of operations in flight,
// latency percentiles, progress lines, and the environment (our own nats-server, a fresh database).
import { connectAs, defaultConfig, randomSecrets, applyStoredSecrets, serverPort, type Config } from '../../lib/mod.ts';
import { startNatsServer, type NatsServerHandle } from '../nats-server.ts';
import { openDatabase, migrate, type Database } from '../../schema/mod.ts';
import postgres from 'postgres';
import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../lib/mod.ts';
import { troupeArgv } from '../bundles.mjs';
import os from 'node:os';
import path from 'node:path';

export interface LoadResult {
  label: string;
  ops: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** Each operation's latency in ms, sorted (to merge runs). */
  latencies?: number[];
}

function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Runs `op` with `concurrency` in flight for `seconds`, printing a progress line every second. */
export async function closedLoop(label: string, concurrency: number, seconds: number, op: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  let lastPrint = started;
  let lastCount = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const i = next++;
      const t = performance.now();
      try {
        await op(i);
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
      const now = performance.now();
      if (now - lastPrint >= 1000) {
        process.stderr.write(`  ${label}: ${Math.round(((latencies.length - lastCount) * 1000) / (now - lastPrint))}/s\r`);
        lastPrint = now;
        lastCount = latencies.length;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  process.stderr.write(' '.repeat(60) + '\r');
  return { label, ops: latencies.length, seconds: secs, perSecond: latencies.length / secs, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors, latencies };
}

export function printTable(rows: LoadResult[], baseline: LoadResult, baselineName: string): void {
  console.log(`\n${'measurement'.padEnd(44)} ${'ops/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}  vs ${baselineName}`);
  for (const r of rows) {
    const ratio = r === baseline ? 'baseline' : `${(r.perSecond / baseline.perSecond).toFixed(3)}x`;
    console.log(`${r.label.padEnd(44)} ${r.perSecond.toFixed(0).padStart(9)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(7)}  ${ratio}`);
  }
}

export interface BenchEnv {
  config: Config;
  nats: NatsServerHandle;
  /** Postgres URL of a fresh database, or '' when only PGlite is available. */
  databaseUrl: string;
  database: Database;
  dir: string;
  /** Messages through nats-server so far, in and out (its monitoring endpoint's /varz). */
  natsMessages(): Promise<number>;
  close(): Promise<void>;
}

/** Our own nats-server on a free port and a fresh database (Postgres when reachable). */
export async function benchEnv(overrides: Partial<Config> = {}): Promise<BenchEnv> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-bench-'));
  const config = { ...defaultConfig(), logLevel: 'warn', scryptCost: 1024, ...overrides } as Config;
  // fresh secrets, exported so the role processes the benchmark starts use them too
  const secrets = randomSecrets();
  applyStoredSecrets(config, secrets);
  Object.assign(process.env, secrets, overrides.storageSecret ? { TROUPE_STORAGE_SECRET: overrides.storageSecret } : {});
  const monitorPort = await serverPort();
  const nats = await startNatsServer({ config, dir: path.join(dir, 'nats'), port: 0, monitorPort });
  config.natsUrl = nats.url;
  const base = process.env.TROUPE_BENCH_DATABASE_URL ?? process.env.TROUPE_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/postgres';
  let databaseUrl = '';
  let admin: postgres.Sql | undefined;
  const name = `troupe_bench_${Date.now().toString(36)}`;
  try {
    admin = postgres(base, { max: 1, connect_timeout: 3, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
  } catch {
    await admin?.end({ timeout: 1 });
    admin = undefined;
  }
  const database = await openDatabase({ databaseUrl: databaseUrl || 'memory:', poolSize: 20 });
  await migrate(database, databaseUrl);
  return {
    config, nats, databaseUrl, database, dir,
    async natsMessages() {
      const varz = (await (await fetch(`http://127.0.0.1:${monitorPort}/varz`)).json()) as { in_msgs: number; out_msgs: number };
      return varz.in_msgs + varz.out_msgs;
    },
    async close() {
      await database.close();
      if (admin) {
        await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
        await admin.end({ timeout: 2 });
      }
      await nats.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { connectAs };

/** Role processes still running when the benchmark exits are killed (one hook for all of them). */
const living = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of living) c.kill('SIGKILL');
});

/**
 * A `troupe <role>` child process for a benchmark (stopped with the benchmark). With
 * TROUPE_BENCH_CPU_PROF=<dir> each one writes a V8 CPU profile there when it exits (`node --cpu-prof`).
 */
export function spawnRole(args: string[], env: Record<string, string>): ChildProcess {
  const prof = process.env.TROUPE_BENCH_CPU_PROF;
  const profiling = prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`, `--cpu-prof-name=${args[0]}-${env.TROUPE_NODE_ID ?? 'x'}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profiling, ...troupeArgv(args)], {
    cwd: projectRoot, env: { ...process.env, TROUPE_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  living.add(child);
  child.once('exit', () => living.delete(child));
  return child;
}

export async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
}

/** Runs measured one after another as one: operations and seconds added, latencies merged. */
export function combineRuns(label: string, runs: LoadResult[]): LoadResult {
  const ops = runs.reduce((a, r) => a + r.ops, 0);
  const seconds = runs.reduce((a, r) => a + r.seconds, 0);
  const latencies = runs.flatMap((r) => r.latencies ?? []).sort((a, b) => a - b);
  return { label, ops, seconds, perSecond: ops / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors: runs.reduce((a, r) => a + r.errors, 0), latencies };
}

export function percentiles(values: number[]): { p50: number; p99: number } {
  const v = [...values].sort((a, b) => a - b);
  return { p50: percentile(v, 0.5), p99: percentile(v, 0.99) };
}
