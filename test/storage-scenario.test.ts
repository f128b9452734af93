// Issue 5's "done when": two storage groups of two nodes each, every node a `troupe storage`
// process, a host and a gateway, a real nats-server and Postgres. Uploads through gateway tickets,
// ranged downloads from every node the group actor names, a node SIGKILLed (offline by missed
// beats) and restarted (catches up, active again), a new node joining and turning active, deletes
// reaching every replica. Every byte is checked by hash.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileIndex, filePath, parseFileId } from '../storage/mod.ts';
import type { GroupSummary, UploadResult } from '../protocol/mod.ts';
import type { TroupeClient } from '../protocol/client/mod.ts';
import { startStorageEnv, sha256, eventually, SECRET } from './helpers/storage.ts';
import { spawnRole, type RoleProcess } from './helpers/procs.ts';
import { freePort } from './helpers/ports.ts';
import { prng } from './helpers/prng.ts';

const BEAT_MS = 300;
const env = await startStorageEnv({ gateway: true, config: { storageMissedBeats: 3 } });
if (!env.db.url) throw new Error('this test needs Postgres (storage node processes share the database); set TROUPE_TEST_DATABASE_URL');
const seed = Number(process.env.SEED ?? Date.now() % 100_000);
const random = prng(seed);
console.log(`seed ${seed}`);

interface Node {
  name: string;
  group: string;
  dir: string;
  port: number;
  proc: RoleProcess;
  id: string;
  url: string;
}

const nodes = new Map<string, Node>();

async function start(name: string, group: string, port?: number): Promise<Node> {
  const dir = path.join(env.root, name);
  const p = port ?? await freePort();
  const proc = spawnRole(name, ['storage', '--group', group, '--data', dir, '--http', String(p), '--storage-bind', '127.0.0.1'], {
    NATS_URL: env.config.natsUrl, DATABASE_URL: env.db.url, TROUPE_STORAGE_SECRET: SECRET,
    TROUPE_STORAGE_HEARTBEAT_MS: String(BEAT_MS), TROUPE_STORAGE_SHUTDOWN_GRACE_MS: '1000', TROUPE_LOG_LEVEL: 'info',
  });
  const m = await proc.waitFor(/storage node (\S+) of group \w+: (http:\/\/\S+)/, 45_000);
  const node = { name, group, dir, port: p, proc, id: m[1], url: m[2] };
  nodes.set(name, node);
  return node;
}

async function groups(): Promise<GroupSummary[]> {
  return (await alice.request('storage.groups', {})).groups;
}

async function stateOf(node: Node): Promise<string | undefined> {
  return (await groups()).find((g) => g.name === node.group)?.nodes.find((n) => n.node === node.id)?.state;
}

interface Stored {
  r: UploadResult;
  body: Buffer;
  owner: TroupeClient;
}

const live = new Map<string, Stored>();
const deleted: Stored[] = [];

async function put(owner: TroupeClient, size: number): Promise<Stored> {
  const body = randomBytes(size);
  const grant = await owner.request('files.upload', { size });
  const res = await fetch(`${grant.url}&name=f${live.size}.bin`, { method: 'PUT', body: new Uint8Array(body), headers: { 'x-content-sha256': sha256(body) } });
  assert.is(res.status, 201, await res.clone().text());
  const r = (await res.json()) as UploadResult;
  assert.is(r.sha256, sha256(body));
  const s = { r, body, owner };
  live.set(r.fileId, s);
  return s;
}

/** One random range and the whole file from every node the group actor names; all checked. */
async function readEverywhere(s: Stored, expectNodes?: Node[]): Promise<void> {
  let grant = await s.owner.request('files.download', { id: s.r.fileId });
  if (expectNodes) {
    // a replica is named once its heartbeat has told the group how far it applied (every BEAT_MS)
    const names = (g: typeof grant) => new Set(g.urls.map((u) => new URL(u).origin));
    await eventually(async () => {
      grant = await s.owner.request('files.download', { id: s.r.fileId });
      return expectNodes.every((n) => names(grant).has(n.url));
    }, `every holder named for ${s.r.fileId}`, 20 * BEAT_MS).catch(() => {});
    const hosts = names(grant);
    for (const n of expectNodes) assert.ok(hosts.has(n.url), `${n.name} serves ${s.r.fileId}`);
  }
  for (const url of grant.urls) {
    const full = await fetch(url);
    assert.is(full.status, 200);
    assert.is(sha256(Buffer.from(await full.arrayBuffer())), s.r.sha256, `${url}: the whole file hashes right`);
    if (s.body.length === 0) continue;
    const start = Math.floor(random() * s.body.length);
    const end = Math.min(s.body.length - 1, start + Math.floor(random() * 300_000));
    const part = await fetch(url, { headers: { range: `bytes=${start}-${end}` } });
    assert.is(part.status, 206);
    assert.is(part.headers.get('content-range'), `bytes ${start}-${end}/${s.body.length}`);
    assert.is(sha256(Buffer.from(await part.arrayBuffer())), sha256(s.body.subarray(start, end + 1)), `${url}: bytes ${start}-${end}`);
  }
}

/** The node holds every live file of its group (read directly, ticket in hand) and no deleted one. */
async function holdsGroup(node: Node): Promise<void> {
  for (const s of live.values()) {
    if (s.r.group !== node.group) continue;
    const ticket = env.tickets.fileTicket('read', s.r.fileId, (s.owner.user as { id: number }).id, 60);
    const res = await fetch(`${node.url}/files/${s.r.fileId}?ticket=${ticket}`);
    assert.is(res.status, 200, `${node.name} holds ${s.r.fileId}`);
    assert.is(sha256(Buffer.from(await res.arrayBuffer())), s.r.sha256);
  }
  for (const s of deleted) {
    if (s.r.group !== node.group) continue;
    assert.not.ok(fs.existsSync(filePath(path.join(node.dir, 'files'), parseFileId(s.r.fileId)!.n)), `${node.name}: the bytes of ${s.r.fileId} are gone`);
  }
}

async function applied(node: Node, seq: number): Promise<void> {
  await eventually(async () => ((await (await fetch(`${node.url}/healthz`)).json()) as { appliedSeq: number }).appliedSeq >= seq, `${node.name} applies up to ${seq}`, 20_000);
}

const lastSeq = () => Math.max(...[...live.values(), ...deleted].map((s) => s.r.binlogSeq));

let alice: TroupeClient;
let bob: TroupeClient;
const sizes = [0, 1, 4096, 64 * 1024 + 3, 1024 * 1024, 3 * 1024 * 1024 + 17];

test('two groups of two node processes join and turn active', async () => {
  await Promise.all([start('a', 'g1'), start('b', 'g1'), start('c', 'g2'), start('d', 'g2')]);
  alice = await env.user('alice');
  bob = await env.user('bob');
  // t_router as an operator would seed it: the first writer wins, later picks keep it
  const index = new FileIndex(env.db.database.db);
  assert.is(await index.assignRoute((alice.user as { id: number }).id, 'g1'), 'g1');
  assert.is(await index.assignRoute((bob.user as { id: number }).id, 'g2'), 'g2');
  await eventually(async () => (await groups()).map((g) => `${g.name}:${g.active}`).join() === 'g1:2,g2:2', 'two active nodes in each group', 20_000);
});

test('uploads through gateway tickets land in each user\'s group; ranged reads from every holder', async () => {
  for (const size of sizes) {
    await put(alice, size);
    await put(bob, size);
  }
  assert.ok([...live.values()].every((s) => s.r.group === (s.owner === alice ? 'g1' : 'g2')));
  for (const n of nodes.values()) await applied(n, Math.max(...[...live.values()].filter((s) => s.r.group === n.group).map((s) => s.r.binlogSeq)));
  for (const s of live.values()) await readEverywhere(s, [...nodes.values()].filter((n) => n.group === s.r.group));
});

test('a SIGKILLed node goes offline; reads and writes go on; restarted, it catches up and is active again', async () => {
  const b = nodes.get('b')!;
  b.proc.signal('SIGKILL');
  await b.proc.exited;
  await eventually(async () => (await stateOf(b)) === 'offline', 'the group actor sees b offline after missed beats', 10_000);
  const g1 = [...live.values()].filter((s) => s.r.group === 'g1');
  for (const s of g1) {
    const { urls } = await alice.request('files.download', { id: s.r.fileId });
    assert.ok(urls.every((u) => !u.startsWith(b.url)), 'b is not named while offline');
  }
  const added = [await put(alice, 2 * 1024 * 1024 + 5), await put(alice, 777)];
  const gone = g1[3];
  await alice.request('files.delete', { id: gone.r.fileId });
  live.delete(gone.r.fileId);
  deleted.push(gone);
  for (const s of added) await readEverywhere(s, [nodes.get('a')!]);

  const again = await start('b', 'g1', b.port);
  assert.is(again.id, b.id, 'the data dir keeps the node id');
  await eventually(async () => (await stateOf(again)) === 'active', 'b active again', 20_000);
  await applied(again, lastSeq());
  await holdsGroup(again);
  for (const s of added) await readEverywhere(s, [nodes.get('a')!, again]);
});

test('a new node joins g1, copies everything, turns active and is named for reads', async () => {
  const e = await start('e', 'g1');
  await eventually(async () => (await stateOf(e)) === 'active', 'e active', 20_000);
  await applied(e, lastSeq());
  await holdsGroup(e);
  for (const s of live.values()) if (s.r.group === 'g1') await readEverywhere(s, [nodes.get('a')!, nodes.get('b')!, e]);
  assert.equal((await groups()).map((g) => `${g.name}:${g.active}/${g.nodes.length}`), ['g1:3/3', 'g2:2/2']);
});

test('deletes reach every replica of the group and leave the other group alone', async () => {
  const victims = [...live.values()].filter((s) => s.r.group === 'g2' && s.body.length > 0).slice(0, 2);
  for (const s of victims) {
    await bob.request('files.delete', { id: s.r.fileId });
    live.delete(s.r.fileId);
    deleted.push(s);
  }
  for (const n of nodes.values()) {
    await applied(n, Math.max(...[...live.values(), ...deleted].filter((s) => s.r.group === n.group).map((s) => s.r.binlogSeq)));
    await holdsGroup(n);
  }
  assert.equal((await bob.request('files.list', {})).files.length, sizes.length - 2);
});

test('every node stops cleanly on SIGTERM and leaves its group', async () => {
  for (const n of nodes.values()) n.proc.signal('SIGTERM');
  for (const n of nodes.values()) assert.is(await n.proc.exited, 0, `${n.name} exits 0`);
  await eventually(async () => (await groups()).every((g) => g.active === 0), 'no active node left');
});

test.after(async () => {
  for (const n of nodes.values()) n.proc.signal('SIGKILL');
  await env.stop();
});
test.run();
