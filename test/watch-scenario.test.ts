// Watching together through the real system: two members on two gateways (protocol clients with
// the client library's WatchSession), the movie from the public library on the storage nodes.
// Play (a coordinated start), pause, seek, a member joining mid-play, a member that stalls (with
// and without the room pausing for it), stale commands, the library and its admin API, read
// tickets only for viewers, and the rooms -> media servers mapping.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TroupeError, type Timeline, type WatchRoomSummary } from '../protocol/mod.ts';
import { WatchSession } from '../protocol/client/mod.ts';
import { callService } from '../lib/mod.ts';
import { startWatchEnv, pushesOf, CLIP_MS, type WatchUser } from './helpers/watch-env.ts';
import { eventually } from './helpers/storage.ts';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../lib/mod.ts';
import { troupeArgv } from '../ops/bundles.mjs';

const env = await startWatchEnv({ gateways: 2, nodes: ['a', 'b'] });
await env.nodesActive(2);

const alice = await env.user('alice', 0);
const bob = await env.user('bob', 1);
const carol = await env.user('carol', 1);
const dave = await env.user('dave', 0);
const room = (await alice.c.request('rooms.create', { name: 'Movie night', members: [bob.id, carol.id] })).room.id;
let movie = '';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    assert.instance(e, TroupeError);
    return (e as TroupeError).code;
  }
}

/** A member watching, recording the timelines it was told. */
async function watcher(u: WatchUser) {
  const s = new WatchSession(u.c, room, { refreshMs: 0, clock: { burst: 3, burstGapMs: 20 } });
  const seen: (Timeline & { cause?: string })[] = [];
  s.on('timeline', (t) => seen.push(t));
  await s.join();
  return { s, seen, last: () => s.timeline! };
}

let a: Awaited<ReturnType<typeof watcher>>;
let b: Awaited<ReturnType<typeof watcher>>;

const until = (what: string, cond: () => boolean) => eventually(cond, what);

test('the library: an admin publishes (HTTP API), everyone browses and searches it; bad requests are refused', async () => {
  const item = await env.publishClip(alice, 'Test Pattern: The Movie');
  movie = item.file;
  assert.is(item.durationMs, CLIP_MS);
  assert.equal(item.addedBy, { id: alice.id, name: 'alice' });
  const found = await bob.c.request('library.list', { query: 'pattern' });
  assert.equal(found.items.map((i) => i.title), ['Test Pattern: The Movie']);
  assert.is(found.items[0].size, item.size);
  assert.is((await bob.c.request('library.list', { query: 'nothing like it' })).items.length, 0);
  assert.is((await env.admin('POST', '/api/admin/library', { file: 'g1-zz-aaaaaaaaaaaa', title: 'x' })).status, 404);
  assert.is((await env.admin('POST', '/api/admin/library', { file: movie })).status, 400, 'a title is required');
  const noToken = await fetch(`http://127.0.0.1:${env.sys.gateways[0].httpPort}/api/admin/library`, { method: 'POST', body: '{}' });
  assert.is(noToken.status, 401);
});

test('watch.join: members only; the first join brings the roster from the room actor', async () => {
  assert.is(await code(dave.c.request('watch.join', { room })), 'forbidden');
  assert.is(await code(dave.c.request('watch.join', { room: 'gzzzzzzzzzzzz' })), 'not_found');
  a = await watcher(alice);
  b = await watcher(bob);
  assert.is(a.last().state, 'idle');
  assert.is(a.s.mayControl, true);
  assert.is(a.s.role, 'owner');
  assert.ok(a.s.clock.estimator.count >= 3, 'the clock was sampled on join');
  assert.ok(Math.abs(a.s.clock.estimator.offset!) < 50, 'one machine: the offset is about 0');
  await until('alice sees two viewers', () => a.s.viewers.length === 2);
  assert.is(await code(dave.c.request('watch.source', { room })), 'forbidden');
});

test('load and a coordinated start: preparing until both are ready, then playing from a start ahead of now, the same timeline on both gateways', async () => {
  assert.is(await code(bob.c.request('watch.load', { room, epoch: 0, library: 'g1-zz-aaaaaaaaaaaa' })), 'not_found');
  await a.s.load({ library: movie });
  await until('both preparing', () => a.last().state === 'preparing' && b.last().state === 'preparing');
  assert.is(b.last().media?.title, 'Test Pattern: The Movie');
  // both read the movie from a media server: a range request with their own ticket
  for (const w of [a, b]) {
    const src = await w.s.source();
    const res = await fetch(src.url, { headers: { range: 'bytes=0-1023' } });
    assert.is(res.status, 206, `${w === a ? 'alice' : 'bob'} reads the movie`);
    assert.is((await res.arrayBuffer()).byteLength, 1024);
  }
  await a.s.ready(a.last().epoch);
  await until('still preparing: bob is not ready', () => a.last().state === 'preparing');
  const before = Date.now();
  await b.s.ready(b.last().epoch);
  await until('both playing', () => a.last().state === 'playing' && b.last().state === 'playing');
  assert.equal(a.last(), b.last(), 'the same timeline on both gateways');
  assert.is(a.seen.at(-1)!.cause, 'start');
  assert.ok(a.last().at >= before, 'the start is scheduled ahead');
  assert.is(a.last().position, 0);
});

test('rooms on media servers: both viewers on one node while it has capacity', async () => {
  const { rooms } = await callService(env.sys.hostNc, 'svc.watch.rooms', { limit: 10 });
  const r = rooms.find((x: WatchRoomSummary) => x.room === room)!;
  assert.is(r.viewers, 2);
  assert.is(r.title, 'Test Pattern: The Movie');
  assert.is(r.state, 'playing');
  assert.is(r.nodes.length, 1);
  assert.is(r.nodes[0].viewers, 2);
});

test('pause: everyone holds at the same position; a stale command is refused and applies nothing', async () => {
  const playing = b.last();
  // past the scheduled start (the server clock is this machine's)
  await new Promise((r) => setTimeout(r, Math.max(0, playing.at - Date.now()) + 500));
  await b.s.pause();
  await until('both paused', () => a.last().state === 'paused' && b.last().state === 'paused');
  assert.equal(a.last(), b.last());
  assert.ok(a.last().position > 0 && a.last().position < 10_000, `paused at ${a.last().position}`);
  assert.is(pushesOf(alice, 'watch.timeline', room).at(-1)?.by, bob.id);
  // alice resumes with the epoch of the timeline before the pause: refused, not applied
  assert.is(await code(alice.c.request('watch.play', { room, epoch: playing.epoch })), 'conflict');
  assert.is(a.last().state, 'paused');
  // play again: everyone was ready there, so it starts without waiting
  await a.s.play();
  await until('both playing again', () => a.last().state === 'playing' && b.last().state === 'playing');
  assert.is(a.last().position, b.last().position);
});

test('seek while playing: members get ready at the new position and play resumes together; nobody else paused it; the start is set as far ahead as the viewers\' reports on the last start need', async () => {
  const started = a.last();
  assert.is(a.s.lastStart?.epoch, started.epoch, 'alice noted how the last start reached her');
  assert.ok(Number.isFinite(a.s.lastStart!.marginMs));
  await b.s.seek(20_000);
  await until('preparing at 20 s', () => a.last().state === 'preparing' && a.last().position === 20_000);
  const before = Date.now();
  // alice says her player needs 1.5 s before a start: the room must set this one at least that far ahead
  await Promise.all([a.s.ready(a.last().epoch, 1500), b.s.ready(b.last().epoch)]);
  await until('playing from 20 s', () => a.last().state === 'playing' && b.last().state === 'playing');
  assert.is(a.last().position, 20_000);
  assert.ok(a.last().at >= before + 1500, `the start is ${a.last().at - before} ms ahead of the ready reports`);
});

test('a member joining mid-play gets the playing timeline and pauses nobody', async () => {
  const epoch = a.last().epoch;
  const pushesBefore = pushesOf(alice, 'watch.timeline', room).length;
  const c = await watcher(carol);
  assert.is(c.last().state, 'playing');
  assert.is(c.last().epoch, epoch);
  await until('alice sees carol', () => a.s.viewers.some((v) => v.user === carol.id));
  assert.is(pushesOf(alice, 'watch.timeline', room).length, pushesBefore, 'no new timeline for the others');
  assert.is(a.last().state, 'playing');
  await c.s.leave();
  await until('carol gone', () => !a.s.viewers.some((v) => v.user === carol.id));
});

test('a member that stalls: the others play on; with pauseForStalls the room waits for it until it is ready', async () => {
  const epoch = a.last().epoch;
  await b.s.stall(epoch);
  await until('alice sees bob stalled', () => a.s.viewers.find((v) => v.user === bob.id)?.status === 'stalled');
  assert.is(a.last().epoch, epoch, 'alice is not paused');
  assert.is(a.last().state, 'playing');
  await b.s.ready(epoch);
  await until('bob ready again', () => a.s.viewers.find((v) => v.user === bob.id)?.status === 'ready');

  assert.is(await code(bob.c.request('watch.settings', { room, pauseForStalls: true })), 'forbidden', 'a member does not change settings');
  await a.s.setSettings({ pauseForStalls: true });
  await b.s.stall(a.last().epoch);
  await until('the room waits for bob', () => a.last().state === 'preparing');
  assert.is(a.seen.at(-1)!.cause, 'stall');
  await b.s.ready(b.last().epoch);
  await until('playing again', () => a.last().state === 'playing' && b.last().state === 'playing');
  await a.s.setSettings({ pauseForStalls: false });
});

test('reports relay drift to the room; control needs the right role', async () => {
  await b.s.report(21_000, 12.5, 'ready');
  await until('alice got bob\'s report', () => pushesOf(alice, 'watch.report', room).some((p) => p.user === bob.id && p.driftMs === 12.5));
  assert.is(await code(carol.c.request('watch.report', { room, position: 1, driftMs: 0, status: 'ready' })), 'forbidden', 'carol left the watch');
  await a.s.setSettings({ control: 'owner' });
  assert.is(await code(bob.c.request('watch.pause', { room, epoch: b.last().epoch })), 'forbidden');
  await a.s.setSettings({ control: 'everyone' });
});

test('a room file: a member loads a file shared in the room (its length from the loader), and reads it with the room\'s grant', async () => {
  const up = await env.upload(carol, Buffer.alloc(50_000, 7), 'home video.mp4');
  const { seq } = await carol.c.request('chat.send', { room, clientMsgId: 'share-1', body: 'our video', file: up.fileId });
  assert.is(await code(bob.c.request('watch.load', { room, epoch: b.last().epoch, entry: seq - 1 })), 'not_found', 'that entry shares no file');
  await b.s.load({ entry: seq, durationMs: 12_000 });
  await until('alice has the room file', () => a.last().media?.file === up.fileId);
  assert.equal({ source: a.last().media!.source, title: a.last().media!.title, durationMs: a.last().media!.durationMs }, { source: 'room', title: 'home video.mp4', durationMs: 12_000 });
  const src = await a.s.source();
  const res = await fetch(src.url);
  assert.is(res.status, 200, 'alice reads carol\'s file through the watch grant');
  assert.is((await res.arrayBuffer()).byteLength, 50_000);
});

/** `troupe <args>` as a process, against this test's NATS. */
function troupe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, troupeArgv(args), { env: { ...process.env, NATS_URL: env.sys.config.natsUrl, TROUPE_LOG_LEVEL: 'warn' }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('operators: troupe watch rooms shows the room, its movie, viewers and media server; troupe library publishes and lists', async () => {
  const rooms = await troupe(['watch', 'rooms']);
  assert.is(rooms.code, 0, rooms.stderr);
  const line = rooms.stdout.split('\n').find((l) => l.startsWith(room))!;
  assert.ok(line, rooms.stdout);
  assert.match(line, /\s2\s/);
  assert.match(line, /home video\.mp4/);
  assert.match(line, /g1-[^ ]+\(1\)/, 'alice reads the room file (bob has not asked yet)');
  const up = await env.upload(bob, Buffer.alloc(10_000, 1), 'short.mp4');
  const pub = await troupe(['library', 'publish', up.fileId, '--title', 'A Short One', '--duration', '1:05']);
  assert.is(pub.code, 0, pub.stderr);
  assert.match(pub.stdout, /published .*A Short One \(1:05\.0, 10000 bytes, added by bob\)/);
  const ls = await troupe(['library', 'ls', 'short']);
  assert.match(ls.stdout, new RegExp(`${up.fileId}\\s+1:05\\.0\\s+10000\\s+video/mp4\\s+bob\\s+A Short One`));
  assert.is((await troupe(['library', 'unpublish', up.fileId])).code, 0);
  assert.is((await bob.c.request('library.list', { query: 'short' })).items.length, 0);
  const bad = await troupe(['library', 'publish', 'nonsense', '--title', 'x']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /usage: troupe library publish/);
});

test('leaving and logging out release viewers; the room\'s nodes are released with the last one', async () => {
  await b.s.leave();
  await until('bob gone', () => a.s.viewers.length === 1);
  await alice.c.logout();
  const rooms = async () => (await callService(env.sys.hostNc, 'svc.watch.rooms', { limit: 10 })).rooms.find((x: WatchRoomSummary) => x.room === room)!;
  await eventually(async () => (await rooms()).viewers === 0, 'no viewers after alice logged out');
  await eventually(async () => (await rooms()).nodes.length === 0, 'the room holds no media server');
});

test.after(async () => {
  for (const w of [a, b]) await w?.s.leave();
  await env.stop();
});
test.run();
