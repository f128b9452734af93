// The install lock (lib/lockfile.mjs) that keeps troupe processes started side by side in a fresh
// clone from running npm ci into the same node_modules at once: with concurrent processes and a
// fake install, with stale locks, and end to end with three real bootstraps on a copy of the repo.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { projectRoot } from '../lib/mod.ts';
import { withLock, readLockOwner } from '../lib/lockfile.mjs';
import { tempDir } from './helpers/env.ts';

interface Done {
  code: number | null;
  out: string;
}

function runNode(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { child: ReturnType<typeof spawn>; done: Promise<Done> } {
  const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  process.on('exit', () => child.kill('SIGKILL'));
  return { child, done: new Promise((r) => child.once('exit', (code) => r({ code, out }))) };
}

/** A process that takes the lock and, unless the marker exists, "installs" (slowly) and writes it. */
const installer = `
import fs from 'node:fs';
import { withLock } from ${JSON.stringify(path.join(projectRoot, 'lib', 'lockfile.mjs'))};
const [lock, marker, log] = process.argv.slice(1);
await withLock(lock, async () => {
  if (fs.existsSync(marker)) { console.log('already installed'); return; }
  fs.appendFileSync(log, process.pid + '\\n');
  await new Promise((r) => setTimeout(r, 1500));
  fs.writeFileSync(marker, 'ok');
  console.log('installed');
}, { pollMs: 50, onWait: (o) => console.log('waiting for ' + o.pid), onStale: (r) => console.log('stale: ' + r) });
`;

test('processes started at once: one installs, the others wait and then go on without installing', async () => {
  const dir = tempDir('troupe-lock-');
  try {
    const [lock, marker, log] = ['install.lock', 'installed', 'installs.log'].map((f) => path.join(dir, f));
    const runs = [1, 2, 3, 4].map(() => runNode(['--input-type=module', '-e', installer, lock, marker, log]));
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) assert.is(r.code, 0, r.out);
    assert.is(fs.readFileSync(log, 'utf8').trim().split('\n').length, 1, 'exactly one install ran');
    assert.is(results.filter((r) => r.out.includes('installed\n') && !r.out.includes('already')).length, 1);
    assert.is(results.filter((r) => r.out.includes('already installed')).length, 3);
    assert.ok(results.filter((r) => /waiting for \d+/.test(r.out)).length >= 1, 'a waiter says it waits');
    assert.not.ok(fs.existsSync(lock), 'the lock is released');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock left by a dead process is taken over', async () => {
  const dir = tempDir('troupe-lock-');
  try {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const lock = path.join(dir, 'install.lock');
    fs.writeFileSync(lock, `${dead.stdout}\n${os.hostname()}\nleft-behind\n`);
    const stale: string[] = [];
    const got = await withLock(lock, () => 'held', { pollMs: 20, onStale: (r) => stale.push(r) });
    assert.is(got, 'held');
    assert.equal(stale.length, 1);
    assert.match(stale[0], new RegExp(`pid ${dead.stdout}\\) is gone`));
    assert.not.ok(fs.existsSync(lock));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock whose live-looking owner stopped refreshing it is taken over; a fresh one is waited for', async () => {
  const dir = tempDir('troupe-lock-');
  try {
    const lock = path.join(dir, 'install.lock');
    // pid 1 is alive but is not the owner (a reused pid, or an owner on another host)
    fs.writeFileSync(lock, `1\nsome-other-host\nold\n`);
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(lock, old, old);
    const stale: string[] = [];
    await withLock(lock, () => undefined, { pollMs: 20, staleMs: 60_000, onStale: (r) => stale.push(r) });
    assert.match(stale[0], /has not refreshed it for \d+ s/);

    // held by a live process that keeps it fresh: we wait until it lets go
    const holder = runNode(['--input-type=module', '-e', `
      import { withLock } from ${JSON.stringify(path.join(projectRoot, 'lib', 'lockfile.mjs'))};
      await withLock(${JSON.stringify(lock)}, async () => { console.log('holding'); await new Promise((r) => setTimeout(r, 1200)); }, { heartbeatMs: 100 });
    `]);
    while (!fs.existsSync(lock) || readLockOwner(lock)?.partial !== false) await new Promise((r) => setTimeout(r, 20));
    const waited: number[] = [];
    await withLock(lock, () => undefined, { pollMs: 20, staleMs: 1000, onWait: (o) => waited.push(o.pid), onStale: (r) => stale.push(r) });
    assert.equal(waited, [holder.child.pid]);
    assert.is(stale.length, 1, 'the refreshed lock was not mistaken for a stale one');
    assert.is((await holder.done).code, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The checkout's files (tracked and new, not ignored), as a fresh clone would have them. */
function copyCheckout(to: string): void {
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: projectRoot, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    const from = path.join(projectRoot, f);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    fs.copyFileSync(from, path.join(to, f));
  }
}

test('three troupe commands started at once in a clone without packages: one npm ci, all run', async () => {
  const clone = tempDir('troupe-clone-');
  try {
    copyCheckout(clone);
    assert.not.ok(fs.existsSync(path.join(clone, 'node_modules')));
    const env = { ...process.env, npm_config_prefer_offline: 'true' };
    const runs = [1, 2, 3].map(() => runNode([path.join(clone, 'ops', 'bootstrap.mjs'), '--help'], { cwd: clone, env }));
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) {
      assert.is(r.code, 0, r.out);
      assert.match(r.out, /Usage: troupe <command>/);
      assert.not.match(r.out, /ENOTEMPTY|ENOENT/);
    }
    assert.is(results.filter((r) => r.out.includes('installing npm packages')).length, 1, results.map((r) => r.out).join('\n----\n'));
    // the other two waited for it (one started late on a loaded machine may find the packages there)
    const waited = results.filter((r) => /is installing the npm packages; waiting/.test(r.out));
    assert.ok(waited.length >= 1);
    for (const r of waited) assert.match(r.out, /installed meanwhile; going on/);
    assert.ok(fs.existsSync(path.join(clone, 'node_modules', '.package-lock.json')));
    assert.not.ok(fs.existsSync(path.join(clone, '.troupe-install.lock')));
  } finally {
    fs.rmSync(clone, { recursive: true, force: true });
  }
});

test.run();
