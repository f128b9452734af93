// `troupe files` as a user runs it, against a gateway, a host and two storage nodes: upload
// (hashed, checked by the node), ls, size, download (verified), a resumed download from a partial
// file, a corrupt partial file caught by the hash, a slice to stdout, delete, groups, clear errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { projectRoot } from '../lib/mod.ts';
import { tempDir } from './helpers/env.ts';
import { Profile } from '../ops/client/mod.ts';
import { startStorageEnv, sha256, eventually } from './helpers/storage.ts';

const env = await startStorageEnv({ gateway: true });
// ids that sort: with equal loads the group actor names a first
const a = await env.node('g1', 'a', { nodeId: 'g1-a' });
const b = await env.node('g1', 'b', { nodeId: 'g1-b' });
await Promise.all([a.waitActive(), b.waitActive()]);
const home = tempDir('troupe-files-cli-');
const work = tempDir('troupe-files-work-');
const url = `tcp://127.0.0.1:${env.gateway!.tcpPort}`;

function troupe(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(projectRoot, 'ops', 'bootstrap.mjs'), ...args], {
      env: { ...process.env, TROUPE_CLIENT_HOME: home, TROUPE_URL: url, ...extra }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024, encoding: 'buffer',
    }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: stdout.toString('latin1'), stderr: stderr.toString() });
    });
  });
}

const big = randomBytes(5 * 1024 * 1024 + 321);
const bigFile = path.join(work, 'movie.mp4');
fs.writeFileSync(bigFile, big);
const small = Buffer.from('hello, storage\n');
const smallFile = path.join(work, 'note.txt');
fs.writeFileSync(smallFile, small);
let bigId = '';
let smallId = '';

test('without a session it says how to get one', async () => {
  const r = await troupe(['files', 'ls']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /unauthenticated: no saved session .*troupe client login/);
});

test('upload prints the ids; the node checked the hash', async () => {
  // the session `troupe client login` would save (cli.test.ts covers that command)
  const c = await env.user('erin');
  new Profile(home, 'default').saveSession({ url, token: c.token!, user: c.user!, expiresAt: '' });
  const r = await troupe(['files', 'upload', bigFile, smallFile]);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.is(lines.length, 2);
  [bigId, smallId] = lines.map((l) => l[0]);
  assert.equal(lines.map((l) => l.slice(1)), [[String(big.length), 'movie.mp4'], [String(small.length), 'note.txt']]);
  assert.match(bigId, /^g1-/);
  const renamed = await troupe(['files', 'upload', smallFile, '--name', 'renamed.txt', '--type', 'text/x-custom']);
  assert.is(renamed.code, 0, renamed.stderr);
  assert.match(renamed.stdout, /\trenamed\.txt\n$/);
});

test('ls and size', async () => {
  // independent commands run side by side (each is a process of its own)
  // one after another: each command logs in as a \`cli\` device, and a newer login of the same
  // device type kicks the older one (presence rules), which failed a command still running
  const ls = await troupe(['files', 'ls']);
  const one = await troupe(['files', 'ls', '--limit', '1']);
  const size = await troupe(['files', 'size', bigId]);
  assert.is(ls.code, 0, ls.stderr);
  const rows = ls.stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.is(rows.length, 3);
  assert.equal(rows.map((r) => r[4]), ['renamed.txt', 'note.txt', 'movie.mp4']);
  assert.equal(rows[0][3], 'text/x-custom');
  assert.is(one.stdout.trim().split('\n').length, 1);
  assert.is(size.code, 0, size.stderr);
  assert.equal(size.stdout.trim().split('\t'), [String(big.length), bigId, 'video/mp4', sha256(big), 'movie.mp4']);
});

test('download: verified; an existing file is not replaced without --force', async () => {
  const dir = tempDir('troupe-dl-');
  const r = await troupe(['files', 'download', bigId, path.join(dir, 'movie.mp4')]);
  assert.is(r.code, 0, r.stderr);
  assert.is(sha256(fs.readFileSync(path.join(dir, 'movie.mp4'))), sha256(big));
  assert.not.ok(fs.existsSync(path.join(dir, 'movie.mp4.part')));
  const again = await troupe(['files', 'download', bigId, path.join(dir, 'movie.mp4')]);
  assert.is(again.code, 1);
  assert.match(again.stderr, /conflict: .* exists \(--force replaces it\)/);
});

test('an interrupted download resumes from the partial file (a range request)', async () => {
  const out = path.join(work, 'resumed.mp4');
  fs.writeFileSync(`${out}.part`, big.subarray(0, 3_000_001));
  const before = a.replicator ? await served() : 0;
  const r = await troupe(['files', 'download', bigId, out]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /resuming .* at 2\.9 MiB of 5\.0 MiB/);
  assert.is(sha256(fs.readFileSync(out)), sha256(big));
  // only the rest went over the wire
  assert.is((await served()) - before, big.length - 3_000_001);
});

async function served(): Promise<number> {
  const { storageMetrics } = await import('../storage/mod.ts');
  const m = await storageMetrics.bytesOut.get();
  return m.values.filter((v) => v.labels.kind === 'download').reduce((s, v) => s + v.value, 0);
}

test('a corrupt partial file fails the hash and is removed', async () => {
  const out = path.join(work, 'corrupt.mp4');
  const bad = Buffer.from(big.subarray(0, 1_000_000));
  bad[500] ^= 0xff;
  fs.writeFileSync(`${out}.part`, bad);
  const r = await troupe(['files', 'download', bigId, out]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /internal: the downloaded bytes hash to [0-9a-f]{64}, not [0-9a-f]{64}; the partial file was removed/);
  assert.not.ok(fs.existsSync(`${out}.part`));
  assert.not.ok(fs.existsSync(out));
});

test('a slice by offset and length, to stdout', async () => {
  // one after another, as above (concurrent \`cli\` logins kick each other)
  const r = await troupe(['files', 'download', bigId, '-', '--offset', '1000', '--length', '5000', '-q']);
  const whole = await troupe(['files', 'download', smallId, '-']);
  const past = await troupe(['files', 'download', smallId, '-', '--offset', '999']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(Buffer.from(r.stdout, 'latin1'), big.subarray(1000, 6000));
  assert.is(whole.code, 0, whole.stderr);
  assert.is(whole.stdout, small.toString());
  assert.is(past.code, 1);
  assert.match(past.stderr, /bad_range/, past.stderr);
});

test('delete, then the file is gone everywhere; groups', async () => {
  const r = await troupe(['files', 'delete', smallId]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.trim(), `deleted ${smallId}`);
  const gone = await troupe(['files', 'size', smallId]);
  assert.is(gone.code, 1);
  assert.match(gone.stderr, /not_found/);
  await eventually(async () => (await a.store.meta(Number.parseInt(smallId.split('-')[1], 36))) === null && (await b.store.meta(Number.parseInt(smallId.split('-')[1], 36))) === null, 'both nodes dropped it');
  const groups = await troupe(['files', 'groups']);
  assert.is(groups.code, 0, groups.stderr);
  assert.match(groups.stdout, /^g1\t2\/2 active\t.* free\n/);
  assert.ok(groups.stdout.includes(`  ${a.nodeId}\tactive\t${a.url}\t`));
});

test('a node that stops answering HTTP (still beating, so still named) is passed over', async () => {
  // quiet for a few beats: no transfers, no rates, nothing handed out, so a comes first
  await new Promise((r) => setTimeout(r, 800));
  const server = (a as unknown as { server: import('node:http').Server }).server;
  server.close();
  server.closeAllConnections();
  const out = path.join(work, 'failover.mp4');
  const r = await troupe(['files', 'download', bigId, out]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`${a.url.replace('http://', '')}: .*ECONNREFUSED; trying the next node`));
  assert.is(sha256(fs.readFileSync(out)), sha256(big));
});

test('a profile that logged in over another URL is used there, without --url', async () => {
  const ws = `ws://127.0.0.1:${env.gateway!.httpPort}/ws`;
  const c = await env.user('walt');
  new Profile(home, 'walt').saveSession({ url: ws, token: c.token!, user: c.user!, expiresAt: '' });
  // nothing says where to connect: the profile's URL wins over the default (tcp://127.0.0.1:7070)
  const r = await troupe(['files', 'upload', smallFile, '--profile', 'walt'], { TROUPE_URL: '' });
  assert.is(r.code, 0, r.stderr);
  const listed = await troupe(['files', 'ls', '--profile', 'walt'], { TROUPE_URL: '' });
  assert.is(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /note\.txt/);
  // --url (or TROUPE_URL) still wins: a dead port fails
  const elsewhere = await troupe(['files', 'ls', '--profile', 'walt', '--url', 'tcp://127.0.0.1:1'], { TROUPE_URL: '' });
  assert.is.not(elsewhere.code, 0);
});

test('usage and help', async () => {
  const [none, help, bad] = await Promise.all([troupe(['files']), troupe(['files', '--help']), troupe(['files', 'download', 'nope'])]);
  assert.is(none.code, 2);
  assert.match(none.stderr, /upload <file>/);
  assert.is(help.code, 0);
  assert.match(help.stdout, /resumes/);
  assert.match(help.stdout, /--offset/);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /bad_request: id/);
});

test.after(() => env.stop());
test.run();
