// `troupe storage` as an operator runs it: it registers, serves, and on SIGTERM lets a transfer in
// flight finish, leaves the registry and exits 0.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import http from 'node:http';
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connectAs, openKv, projectRoot } from '../lib/mod.ts';
import { buckets, type GroupMember } from '../protocol/mod.ts';
import { startHostRole } from '../ops/roles.ts';
import { Tickets } from '../storage/mod.ts';
import { testConfig, startTestNats, freshDatabase, tempDir } from './helpers/env.ts';
import { sha256, eventually } from './helpers/storage.ts';

const config = testConfig({ partitions: 8, leaseTtlMs: 4000 });
const nats = await startTestNats(config);
const db = await freshDatabase();
const host = await connectAs(config, 'host', 'cli-host');
// the group actor the node joins runs on a host
const hostRole = await startHostRole(host, db.database, config, 'cli-host');
const kv = await openKv(host, buckets.nodes);
const dataDir = tempDir('troupe-storage-cli-');
const bootstrap = path.join(projectRoot, 'ops', 'bootstrap.mjs');
const env = { ...process.env, NATS_URL: config.natsUrl, DATABASE_URL: db.url, TROUPE_LOG_LEVEL: 'warn', TROUPE_STORAGE_HEARTBEAT_MS: '200', TROUPE_STORAGE_SHUTDOWN_GRACE_MS: '4000' };
// the secret the node inherits from this process's environment, as a host would sign with it
const tickets = new Tickets(config.storageSecret);

async function memberState(nodeId: string): Promise<string | undefined> {
  const view = await hostRole.runtime.client.ask<{ members: GroupMember[] }>('group', 'g1', { type: 'view' });
  return view.members.find((m) => m.node === nodeId)?.state;
}

test('without --group it says what is missing', async () => {
  const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(process.execPath, [bootstrap, 'storage', '--data', dataDir], { env, timeout: 30_000 }, (err, _out, stderr) => resolve({ code: (err as { code?: number } | null)?.code ?? 0, stderr }));
  });
  assert.is(r.code, 2);
  assert.match(r.stderr, /--group is required/);
});

test('runs, registers, serves; SIGTERM finishes the transfer in flight and exits 0', async () => {
  const child = spawn(process.execPath, [bootstrap, 'storage', '--group', 'g1', '--data', dataDir, '--http', '0', '--storage-bind', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b));
  child.stderr.on('data', (b: Buffer) => (out += b));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    await eventually(() => /storage node \S+ of group g1: http:\/\/127\.0\.0\.1:\d+/.test(out), 'the node prints its URL', 30_000);
    const [, nodeId, url] = /storage node (\S+) of group g1: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)!;
    await eventually(async () => (await kv.get(`storage.${nodeId}`))?.json<{ state: string }>().state === 'active', 'registered as active');
    await eventually(async () => (await memberState(nodeId)) === 'active', 'active in its group actor\'s view');
    const health = await (await fetch(`${url}/healthz`)).json() as { state: string; nodeId: string };
    assert.is(health.nodeId, nodeId);

    const body = randomBytes(16 * 1024 * 1024);
    const up = await fetch(`${url}/files?ticket=${tickets.uploadTicket('g1', 7, 60)}`, { method: 'PUT', body: new Uint8Array(body) });
    assert.is(up.status, 201);
    const { fileId } = await up.json() as { fileId: string };

    // a download that has started but reads slowly when the signal comes
    const received: Buffer[] = [];
    const done = new Promise<void>((resolve, reject) => {
      http.get(`${url}/files/${fileId}?ticket=${tickets.fileTicket('read', fileId, 7, 60)}`, (res) => {
        assert.is(res.statusCode, 200);
        res.pause();
        res.once('readable', () => {
          child.kill('SIGTERM');
          setTimeout(() => {
            res.on('data', (c: Buffer) => received.push(c));
            res.on('end', resolve);
            res.on('error', reject);
            res.resume();
          }, 500);
        });
      }).on('error', reject);
    });
    await done;
    assert.is(sha256(Buffer.concat(received)), sha256(body), 'the transfer in flight finished');
    assert.is(await exited, 0);
    assert.is(await kv.get(`storage.${nodeId}`).then((e) => (e && e.operation === 'PUT' ? 'present' : 'gone')), 'gone', 'left the registry');
    assert.is(await memberState(nodeId), 'offline', 'left its group');
    stoppedNode = nodeId;
  } finally {
    child.kill('SIGKILL');
    if (!/storage node/.test(out)) console.log(out);
  }
});

let stoppedNode = '';

function troupe(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bootstrap, ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: (err as { code?: number } | null)?.code ?? 0, stdout, stderr }));
  });
}

test('storage-forget removes the offline node from its group; a bad or unknown node gets a clear error', async () => {
  assert.ok(stoppedNode, 'the node of the previous test stopped');
  const bad = await troupe('storage-forget', 'g1', '../etc');
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /not a storage node id/);
  const unknown = await troupe('storage-forget', 'g1', 'g1-nobody-1');
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /has no node g1-nobody-1/);
  const r = await troupe('storage-forget', 'g1', stoppedNode);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`forgot ${stoppedNode}; storage group g1 now has no nodes`));
  assert.is(await memberState(stoppedNode), undefined);
});

test.after(async () => {
  await hostRole.stop();
  await host.close();
  await db.drop();
  await nats.stop();
});
test.run();
