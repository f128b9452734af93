// Watch rooms through real failures: the host running a room's watch actor is SIGKILLed mid-play
// while a storage upload is under way (the timeline survives and takes the next command at the
// epoch the members saw; the upload completes, is stored once and nothing is half-written), a media
// server fails mid-play (the viewer gets another holder and goes on with a range request), and
// a gateway is SIGKILLed (the reaper releases its viewers and their place on the media servers).
import { test } from 'uvu';
import fs from 'node:fs';
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import * as assert from 'uvu/assert';
import { partitionOf } from '../actors/runtime/mod.ts';
import { callService } from '../lib/mod.ts';
import { TroupeClient, WatchSession } from '../protocol/client/mod.ts';
import type { WatchRoomSummary } from '../protocol/mod.ts';
import { startWatchEnv, CLIP_MS } from './helpers/watch-env.ts';
import { eventually } from './helpers/storage.ts';
import { spawnRole, type RoleProcess } from './helpers/procs.ts';
import { freePort } from './helpers/ports.ts';

const env = await startWatchEnv({ gateways: 1, nodes: ['a', 'b'] });
const { config } = env.sys;
if (!env.sys.db.url) throw new Error('this test needs Postgres (a second host process shares the database); set TROUPE_TEST_DATABASE_URL');
await env.nodesActive(2);
const procs: RoleProcess[] = [];
const roleEnv = {
  NATS_URL: config.natsUrl, DATABASE_URL: env.sys.db.url, TROUPE_PARTITIONS: String(config.partitions), TROUPE_LEASE_TTL_MS: String(config.leaseTtlMs),
  TROUPE_SCRYPT_COST: '1024', TROUPE_STORAGE_SECRET: config.storageSecret, TROUPE_STORAGE_MISSED_BEATS: String(config.storageMissedBeats),
};

const alice = await env.user('alice');
const bob = await env.user('bob');
const movie = (await env.publishClip(alice)).file;

const rooms = async () => (await callService(env.sys.hostNc, 'svc.watch.rooms', { limit: 50 })).rooms as WatchRoomSummary[];

/** PUTs `body` in 64 KiB pieces, 15 ms apart (an upload that takes a couple of seconds). */
function slowPut(url: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'PUT', headers: { 'content-length': body.length, 'content-type': 'application/octet-stream' } }, async (res) => {
      let text = '';
      for await (const c of res) text += String(c);
      resolve({ status: res.statusCode ?? 0, body: text });
    });
    req.on('error', reject);
    void (async () => {
      for (let i = 0; i < body.length; i += 64 * 1024) {
        req.write(body.subarray(i, i + 64 * 1024));
        await new Promise((r) => setTimeout(r, 15));
      }
      req.end();
    })();
  });
}

function held(h: RoleProcess): Set<number> {
  const out = new Set<number>();
  for (const l of h.logs()) {
    if (l.msg === 'partition claimed') out.add(l.p as number);
    if (l.msg === 'partition handed over' || l.msg === 'partition lost') out.delete(l.p as number);
  }
  return out;
}

async function watching(room: string) {
  const sessions = [new WatchSession(alice.c, room, { refreshMs: 0 }), new WatchSession(bob.c, room, { refreshMs: 0 })];
  for (const s of sessions) await s.join();
  return sessions;
}

async function playTogether(a: WatchSession, b: WatchSession) {
  await a.load({ library: movie });
  await eventually(() => b.timeline?.state === 'preparing', 'preparing');
  await Promise.all([a.ready(a.timeline!.epoch), b.ready(b.timeline!.epoch)]);
  await eventually(() => a.timeline?.state === 'playing' && b.timeline?.state === 'playing', 'playing');
}

test('the host running the room\'s watch actor is SIGKILLed mid-play: the timeline survives, the next command applies at the epoch members saw', async () => {
  // debug: its partition claims are read from its log
  const h2 = spawnRole('h2', ['host'], { ...roleEnv, TROUPE_NODE_ID: 'h2', TROUPE_LOG_LEVEL: 'debug' });
  procs.push(h2);
  await h2.waitFor(/host role started/);
  await eventually(() => held(h2).size > 0, 'the second host holds partitions', 30_000);
  // a room whose watch actor lives on h2
  let room = '';
  for (let i = 0; i < 40 && !room; i++) {
    const id = (await alice.c.request('rooms.create', { name: `Room ${i}`, members: [bob.id] })).room.id;
    if (held(h2).has(partitionOf('watch', id, config.partitions))) room = id;
  }
  assert.ok(room, 'found a room on h2');
  const [a, b] = await watching(room);
  await playTogether(a, b);
  const before = a.timeline!;
  // a second into the movie (the server clock is this machine's)
  await new Promise((r) => setTimeout(r, Math.max(0, before.at - Date.now()) + 1000));
  // and a storage upload is under way when the host dies
  const bytes = randomBytes(6 * 1024 * 1024);
  const grant = await alice.c.request('files.upload', { size: bytes.length });
  const uploading = slowPut(`${grant.url}&name=during-kill.bin`, bytes);
  await new Promise((r) => setTimeout(r, 300));
  h2.signal('SIGKILL');
  await h2.exited;
  // bob pauses with the epoch he saw; the ask rides out the takeover (lease TTL + a claim)
  const paused = await bob.c.request('watch.pause', { room, epoch: before.epoch }, { timeoutMs: 30_000 });
  assert.is(paused.timeline.epoch, before.epoch + 1, 'applied once, on the state the dead host left');
  assert.is(paused.timeline.media?.file, movie);
  assert.ok(paused.timeline.position >= 900 && paused.timeline.position <= CLIP_MS, `paused where the movie was when bob asked: ${paused.timeline.position}`);
  assert.equal((await alice.c.request('watch.state', { room })).timeline, paused.timeline);
  // the upload finished, is stored once and reads back whole; no node keeps a half-written file
  const stored = await uploading;
  assert.is(stored.status, 201, stored.body);
  const listed = (await alice.c.request('files.list', {})).files.filter((f) => f.name === 'during-kill.bin');
  assert.is(listed.length, 1, 'listed once');
  const read = await alice.c.request('files.download', { id: listed[0].id });
  const back = Buffer.from(await (await fetch(read.urls[0])).arrayBuffer());
  assert.is(createHash('sha256').update(back).digest('hex'), createHash('sha256').update(bytes).digest('hex'));
  await eventually(() => env.nodes.every((n) => fs.readdirSync(n.store.tmpRoot).length === 0), 'no temp file left on any node');
  await a.leave();
  await b.leave();
});

test('a media server fails mid-play: the viewer gets a URL on another holder and goes on with a range request', async () => {
  const room = (await alice.c.request('rooms.create', { name: 'Node failure', members: [bob.id] })).room.id;
  const [a, b] = await watching(room);
  await playTogether(a, b);
  const first = await b.source();
  const same = await a.source();
  assert.is(same.node, first.node, 'one node serves the room while it has capacity');
  const victim = env.nodes.find((n) => n.nodeId === first.node)!;
  await env.stopNode(victim);
  let failed = false;
  await fetch(first.url, { headers: { range: 'bytes=100000-' } }).catch(() => (failed = true));
  assert.ok(failed, 'the failed node does not answer');
  const next = await b.source(first.node);
  assert.is.not(next.node, first.node);
  const res = await fetch(next.url, { headers: { range: 'bytes=100000-' } });
  assert.is(res.status, 206, 'goes on from where it was');
  assert.is(Number(res.headers.get('content-length')), next.size - 100_000);
  await res.arrayBuffer();
  await eventually(async () => (await rooms()).find((r) => r.room === room)?.nodes.every((n) => n.node !== first.node) ?? false, 'the failed node left the room\'s mapping');
  await a.leave();
  await b.leave();
});

test('a gateway is SIGKILLed: the reaper releases its viewers (and their media server places)', async () => {
  const room = (await alice.c.request('rooms.create', { name: 'Gateway loss', members: [bob.id] })).room.id;
  const [http, tcp] = [await freePort(), await freePort()];
  const gw = spawnRole('gateway', ['gateway'], { NATS_URL: config.natsUrl, TROUPE_HTTP_PORT: String(http), TROUPE_TCP_PORT: String(tcp), TROUPE_NODE_ID: 'doomed', TROUPE_BIND: '127.0.0.1' });
  procs.push(gw);
  await gw.waitFor(/gateway listening/);
  const far = await TroupeClient.connect(`tcp://127.0.0.1:${tcp}`, { reconnect: false, heartbeatMs: 0, device: { type: 'mobile' } });
  await far.login('bob', 'bob-pw-123');
  const a = new WatchSession(alice.c, room, { refreshMs: 0 });
  await a.join();
  await a.load({ library: movie });
  const b = new WatchSession(far, room, { refreshMs: 0 });
  await b.join();
  await b.source();
  await eventually(() => a.viewers.length === 2, 'bob watches through the doomed gateway');
  await eventually(async () => (await rooms()).find((r) => r.room === room)?.viewers === 2, 'two viewers on record');
  const killedAt = Date.now();
  gw.signal('SIGKILL');
  await eventually(() => a.viewers.length === 1, 'bob\'s viewer released', 45_000);
  console.log(`the viewer of the killed gateway was released ${Date.now() - killedAt} ms after the kill`);
  const r = (await rooms()).find((x) => x.room === room)!;
  assert.is(r.viewers, 1);
  assert.ok(r.nodes.every((n) => n.viewers <= 1), 'its place on the media server is released');
  await far.close();
  await a.leave();
});

test.after(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.signal('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await env.stop();
});
test.run();
