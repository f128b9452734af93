// A private Postgres server for fault tests and the soak benchmark: its own data dir and port, so
// they can restart it or SIGKILL its postmaster without touching the machine's shared Postgres.
// Uses the server binaries of the installed PostgreSQL (pg_config --bindir, or
// /usr/lib/postgresql/<v>/bin). The server refuses to run as root, so as root it runs as the
// `postgres` user (setpriv).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { freePort } from '../lib/mod.ts';

function binDir(): string | null {
  const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = [r.status === 0 ? r.stdout.trim() : ''];
  try {
    for (const v of fs.readdirSync('/usr/lib/postgresql').sort().reverse()) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    // no Debian layout
  }
  return candidates.find((d) => d && fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'postgres'))) ?? null;
}

/** Where the server binaries are, or why there are none. */
export function postgresBinaries(): { dir: string } | { missing: string } {
  const dir = binDir();
  return dir ? { dir } : { missing: 'PostgreSQL server binaries (initdb, postgres) not found; install the Debian package postgresql' };
}

export interface OwnPostgres {
  url: string;
  port: number;
  /** The postmaster's pid (it changes with every start). */
  readonly pid: number | undefined;
  /** Clean restart (fast shutdown, then start). */
  restart(): Promise<void>;
  /** SIGKILLs the postmaster (its backends die with it), then starts it again once it can. */
  crashAndRecover(): Promise<void>;
  stop(): Promise<void>;
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function run(dir: string, cmd: string, args: string[]): ReturnType<typeof spawnSync> {
  const exe = path.join(dir, cmd);
  return asRoot
    ? spawnSync('setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', exe, ...args], { encoding: 'utf8' })
    : spawnSync(exe, args, { encoding: 'utf8' });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bins = postgresBinaries();
  if ('missing' in bins) throw new Error(bins.missing);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-pg-'));
  const data = path.join(base, 'data');
  fs.mkdirSync(data);
  if (asRoot) spawnSync('chown', ['-R', 'postgres:postgres', base]);
  fs.chmodSync(base, 0o755);
  const init = run(bins.dir, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  let log = '';

  const start = async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const exe = path.join(bins.dir, 'postgres');
      const args = ['-D', data, '-p', String(port), '-k', base, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
      child = asRoot ? spawn('setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', exe, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const me = child;
      me.stderr!.on('data', (b: Buffer) => { log = (log + b.toString()).slice(-20_000); });
      me.stdout!.on('data', () => {});
      while (Date.now() < deadline && me.exitCode === null) {
        if (await canConnect(port)) {
          // accepting TCP is not yet accepting queries: wait for recovery to finish
          const ready = spawnSync(path.join(bins.dir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]);
          if (ready.status === 0) return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      // after a SIGKILL, a start can fail while the old backends still hold shared memory
      if (Date.now() >= deadline) throw new Error(`postgres did not start on ${port}:\n${log}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url, port,
    get pid() {
      return child?.pid;
    },
    async restart() {
      const c = child!;
      c.kill('SIGINT'); // fast shutdown
      await exited(c);
      await start();
    },
    async crashAndRecover() {
      const c = child!;
      c.kill('SIGKILL');
      await exited(c);
      await start();
    },
    async stop() {
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        c.kill('SIGINT');
        await Promise.race([exited(c), new Promise((r) => setTimeout(r, 10_000))]);
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
