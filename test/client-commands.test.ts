// The scripted terminal client against a whole system on two gateways: accounts and profiles,
// a friendship, direct (@user) and group rooms, send, history, read and unread, edit and recall,
// sync printing each entry once per profile, listen, and clear errors. Most commands run
// in-process through the same parse-and-run path as the CLI (a process costs a second or two
// to start); a few run as real processes for exit codes, stderr and the help text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { projectRoot, parseConfig, ConfigError } from '../lib/mod.ts';
import { TroupeError } from '../protocol/mod.ts';
import { runClient, clientFlags, memoryIo, Profile, withRetry, newClientMsgId } from '../ops/client/mod.ts';
import { startSystem } from './helpers/system.ts';
import { tempDir } from './helpers/env.ts';
import { troupeArgv } from '../ops/bundles.mjs';

const sys = await startSystem({ gateways: 2 });
const home = tempDir('troupe-client-');

interface Result {
  code: number;
  out: string[];
  err: string;
}

/** `troupe client <argv> --profile <profile>`, in this process; errors as main.ts reports them. */
async function cli(profile: string, ...argv: string[]): Promise<Result> {
  const io = memoryIo();
  let code: number;
  try {
    const parsed = parseConfig(['client'], ['--profile', profile, ...argv], clientFlags, { TROUPE_CLIENT_HOME: home });
    code = await runClient(parsed, io, {});
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`troupe client: ${e.message}`);
      code = 2;
    } else {
      io.err(e instanceof TroupeError ? `troupe client: ${e.code}: ${e.message}` : `troupe client: ${(e as Error).message}`);
      code = 1;
    }
  }
  return { code, out: io.stdout, err: io.stderr.join('\n') };
}

async function ok(profile: string, ...argv: string[]): Promise<string[][]> {
  const r = await cli(profile, ...argv);
  assert.is(r.code, 0, `${argv.join(' ')}: ${r.err}`);
  return r.out.map((l) => l.split('\t'));
}

function troupe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, troupeArgv(['client', ...args]), { env: { ...process.env, TROUPE_CLIENT_HOME: home }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const ids: Record<string, number> = {};
let direct = '';
let group = '';

test('register and log in four users; each profile remembers its gateway', async () => {
  for (const [name, gw] of [['alice', 0], ['bob', 1], ['carol', 0], ['dave', 1]] as const) {
    const [[line]] = await ok(name, 'register', name, '--password', `${name}-password`, '--url', sys.tcpUrl(gw));
    ids[name] = Number(/id (\d+)/.exec(line)![1]);
    await ok(name, 'login', name, '--password', `${name}-password`, '--url', gw ? sys.wsUrl(gw) : sys.tcpUrl(gw));
  }
  // no --url from here on: the profile's URL is used
  assert.equal(await ok('bob', 'whoami'), [[`bob (id ${ids.bob})`]]);
  assert.equal(await ok('alice', 'find', 'CA'), [['carol', String(ids.carol)]]);
});

test('a friendship: add, the other side sees the request, accept', async () => {
  assert.equal(await ok('alice', 'add', 'Bob'), [['bob', 'outgoing']]);
  // alice's user actor tells bob's: his side of the request lands a moment after her answer
  let incoming: string[][] = [];
  for (let i = 0; i < 50 && !incoming.length; i++) {
    incoming = (await ok('bob', 'friends')).map((f) => f.slice(0, 2));
    if (!incoming.length) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(incoming, [['alice', 'incoming']]);
  assert.equal(await ok('bob', 'accept', 'alice'), [['alice', 'friend']]);
  // bob's last command has just closed its connection: he shows offline once that is recorded,
  // and a friend once his user actor's answer reached hers
  let row: string[] = [];
  for (let i = 0; i < 50; i++) {
    [row] = await ok('alice', 'friends');
    if (row[1] === 'friend' && row[2] === 'offline') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(row.slice(0, 3), ['bob', 'friend', 'offline']);
  const presence = await ok('alice', 'presence', 'bob', 'carol');
  assert.equal(presence.map((p) => p[0]), ['bob', 'carol']);
  for (const p of presence) assert.ok(['online', 'offline'].includes(p[1]), p.join(' '));
});

test('direct messages by @name: send, the peer\'s rooms, history, read and unread', async () => {
  const [[room, seq]] = await ok('alice', 'send', '@bob', 'hello', 'bob');
  direct = room;
  assert.is(room, `d${Math.min(ids.alice, ids.bob)}-${Math.max(ids.alice, ids.bob)}`);
  assert.is(seq, '1');
  assert.equal(await ok('alice', 'send', '@BOB', 'two\nlines\tand a tab'), [[direct, '2']]);
  const rooms = await ok('bob', 'rooms');
  assert.equal(rooms.map((r) => r.slice(0, 3)), [[direct, '@alice', '2']]);
  const history = await ok('bob', 'history', '@alice');
  assert.equal(history.map((h) => [h[0], h[1], h[3], h[4], h[5]]), [[direct, '1', 'alice', 'text', 'hello bob'], [direct, '2', 'alice', 'text', 'two\\nlines\\tand a tab']]);
  assert.match(history[0][2], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // the room id works as well as @name
  assert.equal((await ok('bob', 'history', direct, '--limit', '1')).map((h) => h[1]), ['2']);
  assert.equal(await ok('bob', 'read', '@alice', '1'), [[direct, '1', '1']]);
  assert.equal((await ok('bob', 'rooms'))[0][2], '1');
  assert.equal(await ok('bob', 'read', '@alice'), [[direct, '2', '0']]);
  assert.equal((await ok('bob', 'rooms'))[0][2], '0');
});

test('history pages back with --before; "more" is said on stderr', async () => {
  for (let i = 3; i <= 6; i++) await ok('bob', 'send', '@alice', `reply ${i}`);
  const r = await cli('alice', 'history', '@bob', '--limit', '3');
  assert.is(r.code, 0, r.err);
  assert.equal(r.out.map((l) => l.split('\t')[1]), ['4', '5', '6']);
  assert.is(r.err, 'more: --before 4');
  const older = await cli('alice', 'history', '@bob', '--limit', '3', '--before', '4');
  assert.equal(older.out.map((l) => l.split('\t')[1]), ['1', '2', '3']);
  assert.is(older.err, '');
});

test('a group room: create with members, send by room name, invite, roles, kick, rename, members', async () => {
  const [[id, name]] = await ok('alice', 'create', 'Project', 'X', '--member', 'bob', '--description', 'the plan');
  group = id;
  assert.match(group, /^g[a-z2-7]{12}$/);
  assert.is(name, 'Project X');
  assert.equal(await ok('alice', 'send', 'project x', 'hi', 'all'), [[group, '2']]);
  assert.equal(await ok('bob', 'send', group, 'hi alice'), [[group, '3']]);
  // carol is not a member yet
  const denied = await cli('carol', 'history', group);
  assert.is(denied.code, 1);
  assert.match(denied.err, /forbidden: .*not a member/);
  assert.equal(await ok('alice', 'invite', group, 'carol'), [[group, 'invited', 'carol']]);
  assert.equal(await ok('alice', 'role', group, 'bob', 'admin'), [[group, 'admin', 'bob']]);
  assert.equal((await ok('carol', 'members', group)).map((m) => m.slice(0, 2)), [['alice', 'owner'], ['bob', 'admin'], ['carol', 'member']]);
  assert.equal(await ok('bob', 'kick', group, 'carol'), [[group, 'kicked', 'carol']]);
  const kicked = await cli('carol', 'send', group, 'still here?');
  assert.is(kicked.code, 1);
  assert.match(kicked.err, /forbidden/);
  assert.equal(await ok('bob', 'rename', group, 'Project', 'Y'), [[group, 'renamed', 'Project Y']]);
  const h = await ok('bob', 'history', group);
  // carol is no longer a member, so the member list does not name her: users.get does
  const carol = 'carol';
  assert.equal(h.map((e) => [e[1], e[3], e[4], e[5]]), [
    ['1', 'alice', 'system', 'alice created the room "Project X"'],
    ['2', 'alice', 'text', 'hi all'],
    ['3', 'bob', 'text', 'hi alice'],
    ['4', 'alice', 'system', `alice added ${carol}`],
    ['5', 'alice', 'system', 'alice made bob an admin'],
    ['6', 'bob', 'system', `bob removed ${carol}`],
    ['7', 'bob', 'system', 'bob renamed the room to "Project Y"'],
  ]);
});

test('open rooms: discover by prefix, join by name, leave', async () => {
  const [[lobby]] = await ok('alice', 'create', 'Lobby', '--open');
  assert.equal(await ok('carol', 'discover', 'lob'), [[lobby, 'Lobby', '1', '']]);
  assert.equal(await ok('carol', 'join', 'Lobby'), [[lobby, 'Lobby']]);
  assert.equal(await ok('carol', 'leave', lobby), [[lobby, 'left']]);
  assert.equal(await ok('carol', 'discover', 'nothing-like-it'), []);
});

test('edit and recall your own messages only', async () => {
  assert.equal(await ok('alice', 'edit', '@bob', '1', 'hello bob, edited'), [[direct, '7']]);
  assert.equal(await ok('alice', 'recall', '@bob', '2'), [[direct, '8']]);
  const notYours = await cli('bob', 'edit', '@alice', '1', 'hacked');
  assert.is(notYours.code, 1);
  assert.match(notYours.err, /forbidden: @alice: you can only edit your own messages/);
  const h = await ok('bob', 'history', '@alice', '--limit', '200');
  assert.equal(h.map((e) => [e[1], e[4], e[5]]).filter(([seq]) => ['1', '2', '7', '8'].includes(seq)), [
    ['1', 'edited', 'hello bob, edited'], ['2', 'recalled', ''], ['7', 'edit', '#1 hello bob, edited'], ['8', 'recall', '#2'],
  ]);
});

test('sync prints what the profile has not seen, once; its own sends count as seen', async () => {
  const first = await ok('bob', 'sync');
  const directSeqs = first.filter((e) => e[0] === direct).map((e) => Number(e[1]));
  assert.equal(directSeqs, [1, 2, 3, 4, 5, 6, 7, 8], 'everything, in order, the first time');
  assert.ok(first.some((e) => e[0] === group));
  assert.equal(await ok('bob', 'sync'), [], 'nothing new the second time');
  await ok('alice', 'send', '@bob', 'news');
  assert.equal((await ok('bob', 'sync')).map((e) => [e[0], e[1], e[3], e[5]]), [[direct, '9', 'alice', 'news']]);
  assert.equal(await ok('bob', 'sync'), []);
  // a send from the profile itself moves its cursor when nothing unseen lies before it
  await ok('bob', 'send', '@alice', 'mine');
  assert.equal(await ok('bob', 'sync'), []);
  assert.is(new Profile(home, 'bob').cursors()[direct], 10);
});

test('listen prints new entries and events as they arrive, then stops after --for', async () => {
  await ok('carol', 'sync');
  const listening = cli('carol', 'listen', '--for', '2');
  await new Promise((r) => setTimeout(r, 800));
  await ok('alice', 'send', '@carol', 'are you there?');
  await ok('alice', 'add', 'carol');
  const r = await listening;
  assert.is(r.code, 0, r.err);
  const lines = r.out.map((l) => l.split('\t'));
  const entry = lines.find((l) => l[0].startsWith('d'));
  assert.ok(entry, r.out.join('\n'));
  assert.equal([entry![1], entry![3], entry![4], entry![5]], ['1', 'alice', 'text', 'are you there?']);
  assert.ok(lines.some((l) => l[0] === 'friend' && l[1] === 'alice' && l[2] === 'incoming'), r.out.join('\n'));
  // listen saved how far it got: a sync afterwards has nothing
  assert.equal(await ok('carol', 'sync'), []);
});

test('decline, unfriend, block and unblock', async () => {
  assert.equal(await ok('carol', 'decline', 'alice'), [['alice', 'none']]);
  assert.equal(await ok('alice', 'unfriend', 'bob'), [['bob', 'none']]);
  assert.equal(await ok('alice', 'friends'), []);
  // (blocking before a conversation exists is left out: see the report on the room actor)
  assert.equal(await ok('carol', 'block', 'alice'), [['alice', 'blocked']]);
  assert.equal((await ok('carol', 'friends')).map((f) => f.slice(0, 2)), [['alice', 'blocked']]);
  const blocked = await cli('alice', 'send', '@carol', 'hi');
  assert.is(blocked.code, 1);
  assert.match(blocked.err, /forbidden: @carol: blocked/);
  assert.equal(await ok('carol', 'unblock', 'alice'), [['alice', 'none']]);
  assert.equal(await ok('alice', 'send', '@carol', 'hi again'), [[`d${Math.min(ids.alice, ids.carol)}-${Math.max(ids.alice, ids.carol)}`, '2']]);
});

test('a send retried after a lost answer uses the same id: stored once', async () => {
  const c = await sys.client();
  await c.login('alice', 'alice-password');
  const id = newClientMsgId();
  let attempts = 0;
  const r = await withRetry(c, async () => {
    const sent = await c.request('chat.send', { to: ids.carol, clientMsgId: id, body: 'once only' });
    // the first answer is "lost"
    if (attempts++ === 0) throw new TroupeError('timeout', 'no answer');
    return sent;
  });
  assert.is(attempts, 2);
  const h = await c.request('chat.history', { room: r.room });
  assert.is(h.messages.filter((m) => m.body === 'once only').length, 1);
  await c.close();
});

test('clear errors: unknown users and rooms, not logged in, bad arguments', async () => {
  const cases: [string, string[], number, RegExp][] = [
    ['alice', ['send', '@nobody', 'hi'], 1, /^troupe client: not_found: no user named "nobody"$/],
    ['alice', ['send', '@alice', 'hi'], 1, /bad_request: that is you/],
    ['alice', ['history', 'No Such Room'], 1, /not_found: no room "No Such Room" among yours/],
    ['alice', ['history', 'gaaaaaaaaaaaa'], 1, /forbidden: gaaaaaaaaaaaa: you are not a member of this room \(or it does not exist\)/],
    ['alice', ['history', '@carol'], 0, /^$/],
    ['alice', ['members', 'd998-999'], 1, /forbidden: d998-999 is a direct conversation of two other users/],
    ['dave', ['history', '@alice'], 1, /not_found: no conversation with @alice yet \(send a message first\)/],
    ['alice', ['invite', group, 'nobody'], 1, /not_found: no user named "nobody"/],
    ['alice', ['join', 'Nowhere'], 1, /not_found: no open room named "Nowhere"/],
    ['nobody', ['rooms'], 1, /unauthenticated: not logged in \(profile "nobody"\): run troupe client login <name> --profile nobody/],
    ['alice', ['send', '@bob'], 2, /send: missing arguments; usage: send <room\|@user> <text\.\.\.>/],
    ['alice', ['send', '@bob', 'hi', '--open'], 2, /send does not take --open/],
    ['alice', ['history', '@bob', '--limit', '0'], 2, /--limit must be between 1 and 200/],
    ['alice', ['role', group, 'bob', 'owner'], 2, /role must be admin or member/],
    ['alice', ['edit', '@bob', 'x', 'text'], 2, /seq must be a whole number/],
    ['alice', ['rooms', 'extra'], 2, /too many arguments/],
    ['alice', ['rooms', '--device', 'toaster'], 2, /--device must be one of/],
    ['alice', ['frobnicate'], 2, /unknown client command "frobnicate"/],
  ];
  for (const [profile, argv, code, pattern] of cases) {
    const r = await cli(profile, ...argv);
    assert.is(r.code, code, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, pattern, argv.join(' '));
  }
});

test('as real processes: help with the formats, exit codes and stderr', async () => {
  const [help, usage, unknown, sent] = await Promise.all([
    troupe(['--help']),
    troupe(['read', '--profile', 'alice']),
    troupe(['presence', 'ghost', '--profile', 'alice']),
    troupe(['send', '--profile', 'carol', '@alice', '--', '-1', 'degrees']),
  ]);
  assert.is(help.code, 0);
  for (const s of ['sync', 'listen', 'chat [room|@user]', 'history, sync, listen  entries: <room> <seq>', '--member']) assert.ok(help.stdout.includes(s), s);
  assert.is(usage.code, 2);
  assert.match(usage.stderr, /read: missing arguments/);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /not_found: no user named "ghost"/);
  assert.is(sent.code, 0, sent.stderr);
  assert.match(sent.stdout, /^d\d+-\d+\t4\n$/);
  assert.equal((await ok('alice', 'history', '@carol')).map((e) => e[5]), ['are you there?', 'hi again', 'once only', '-1 degrees']);
});

test.after(() => sys.stop());
test.run();
