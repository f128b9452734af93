// The desktop player: `troupe client watch <room> --headless` drives a real mpv (no window, no
// sound) over its JSON IPC with the same sync rules as every player, in a room with a member on
// the client library. The terminal viewer's drift comes back through its watch.report relays.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseConfig, ConfigError } from '../lib/mod.ts';
import { TroupeError } from '../protocol/mod.ts';
import { WatchSession, type PushMessage } from '../protocol/client/mod.ts';
import { runClient, clientFlags, memoryIo } from '../ops/client/mod.ts';
import { findMpv } from '../ops/client/mpv.ts';
import { startWatchEnv } from './helpers/watch-env.ts';
import { eventually } from './helpers/storage.ts';
import { tempDir } from './helpers/env.ts';

if (!findMpv()) throw new Error('mpv is not installed: npm test installs it with apt-get when run as root; otherwise: sudo apt-get install mpv');

const env = await startWatchEnv({ gateways: 1, nodes: ['a'] });
const home = tempDir('troupe-mpv-client-');
const url = env.sys.tcpUrl(0);

async function cli(profile: string, argv: string[], io = memoryIo()): Promise<{ code: number; io: typeof io }> {
  let code: number;
  try {
    code = await runClient(parseConfig(['client'], ['--profile', profile, ...argv], clientFlags, { TROUPE_CLIENT_HOME: home }), io, {});
  } catch (e) {
    io.err(e instanceof TroupeError ? `${e.code}: ${e.message}` : e instanceof ConfigError ? `usage: ${e.message}` : (e as Error).message);
    code = e instanceof ConfigError ? 2 : 1;
  }
  return { code, io };
}

const alice = await env.user('alice');
assert.is((await cli('bob', ['register', 'bob', '--password', 'bob-pw-123', '--url', url])).code, 0);
assert.is((await cli('bob', ['login', 'bob', '--password', 'bob-pw-123', '--url', url])).code, 0);
const bobId = (await alice.c.request('users.find', { query: 'bob' })).users[0].id;
const room = (await alice.c.request('rooms.create', { name: 'mpv night', members: [bobId] })).room.id;
const movie = (await env.publishClip(alice)).file;

const io = memoryIo();
let watching: Promise<{ code: number }> | undefined;
const a = new WatchSession(alice.c, room, { refreshMs: 0 });
const reports = () => alice.pushes.filter((p: PushMessage) => p.op === 'watch.report' && p.user === bobId) as (PushMessage & { position: number; driftMs: number; status: string })[];
const type = (line: string) => io.input.write(`${line}\n`);

/** Bob's reports after `since` (ms into the test run) agree with the room. */
async function bobFollows(what: string, ok: (r: { position: number; driftMs: number }) => boolean, timeoutMs = 20_000) {
  const from = reports().length;
  await eventually(() => reports().slice(from).some(ok), what, timeoutMs);
  return reports().at(-1)!;
}

test('the terminal viewer joins with mpv, loads what the room picks and gets ready at the start', async () => {
  watching = cli('bob', ['watch', room, '--headless'], io);
  await a.join();
  await eventually(() => a.viewers.some((v) => v.user === bobId), 'bob (mpv) watches');
  await a.load({ library: movie });
  await eventually(() => io.stdout.some((l) => l.startsWith('source\t')), 'mpv reads from a media server');
  await eventually(() => a.viewers.find((v) => v.user === bobId)?.status === 'ready', 'mpv is ready at 0', 15_000);
  await a.ready(a.timeline!.epoch);
  await eventually(() => a.timeline?.state === 'playing', 'the room plays');
  await eventually(() => io.stdout.some((l) => l.startsWith('timeline\tplaying\t')), 'the terminal says it plays');
});

test('mpv plays in sync: its measured drift settles within 100 ms, its position moves with the room', async () => {
  const r = await bobFollows('drift under 100 ms while playing', (x) => Math.abs(x.driftMs) < 100 && x.position > 1000);
  console.log(`mpv drift ${r.driftMs} ms at ${r.position} ms`);
  const later = await bobFollows('a later report', (x) => x.position > r.position + 1500);
  assert.ok(Math.abs(later.driftMs) < 150, `drift ${later.driftMs}`);
});

test('pause and seek from the room: mpv holds at the room\'s position, then plays from the new one in sync', async () => {
  await a.pause();
  const held = a.timeline!.position;
  await bobFollows('mpv holds at the paused position', (x) => Math.abs(x.position - held) < 80);
  await a.seek(20_000);
  await eventually(() => a.viewers.find((v) => v.user === bobId)?.status === 'ready', 'mpv ready at 20 s');
  await a.play();
  await eventually(() => a.timeline?.state === 'playing', 'playing from 20 s');
  const r = await bobFollows('in sync after the seek', (x) => x.position > 20_500 && Math.abs(x.driftMs) < 100);
  console.log(`after the seek: drift ${r.driftMs} ms at ${r.position} ms`);
});

test('a command typed in the terminal controls the room; quit ends the viewer and mpv', async () => {
  type('pause');
  await eventually(() => a.timeline?.state === 'paused', 'bob paused the room');
  assert.is(alice.pushes.filter((p) => p.op === 'watch.timeline').at(-1)?.by, bobId);
  type('status');
  await eventually(() => io.stdout.some((l) => l.startsWith('status\tpaused\t')), 'status printed');
  type('seek nonsense');
  await eventually(() => io.stderr.some((l) => l.includes('not a time')), 'a bad command is explained');
  type('quit');
  assert.is((await watching!).code, 0, io.stderr.join('\n'));
  await eventually(() => !a.viewers.some((v) => v.user === bobId), 'bob no longer watches');
});

test.after(async () => {
  if (watching) {
    type('quit');
    await watching.catch(() => {});
  }
  await a.leave().catch(() => {});
  await env.stop();
});
test.run();
