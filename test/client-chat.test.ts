// The interactive terminal client: `troupe client chat` as a child process driven through its
// stdin and stdout (no terminal: one line in, plain lines out), and on a terminal in-process for
// what needs one (typing indicators, the prompt).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot, parseConfig } from '../lib/mod.ts';
import { ChatSession, type ChatEntry, type PushMessage, type TroupeClient } from '../protocol/client/mod.ts';
import { runClient, clientFlags, memoryIo, Profile, ChatUi } from '../ops/client/mod.ts';
import { startSystem } from './helpers/system.ts';
import { tempDir } from './helpers/env.ts';
import { troupeArgv } from '../ops/bundles.mjs';

const sys = await startSystem({ gateways: 2 });
const home = tempDir('troupe-chat-');

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// alice uses the terminal client (profile saved by `troupe client login`); bob is a library client
const reg = await sys.client();
await reg.register('alice', 'alice-password');
await reg.register('bob', 'bob-password');
const login = await runClient(parseConfig(['client'], ['login', 'alice', '--password', 'alice-password', '--url', sys.tcpUrl(0), '--profile', 'alice'], clientFlags, { TROUPE_CLIENT_HOME: home }), memoryIo(), {});
assert.is(login, 0);
const bob: TroupeClient = await sys.client({ gateway: 1, device: { type: 'desktop' } });
await bob.login('bob', 'bob-password');
const bobChat = new ChatSession(bob, { confirmDelayMs: 20 });
const bobEntries: ChatEntry[] = [];
const bobPushes: PushMessage[] = [];
bobChat.on('entry', (e: ChatEntry) => bobEntries.push(e));
bob.on('push', (p: PushMessage) => bobPushes.push(p));
await bobChat.start();
const aliceId = new Profile(home, 'alice').load()!.user.id;
let direct = '';
for (let i = 1; i <= 25; i++) direct = (await bobChat.send({ to: aliceId }, `old-${i}`, `old message ${i}`)).room;

test('chat in a child process: list, /open, /more, send, live messages, notices, read marks, /quit', async () => {
  const child = spawn(process.execPath, troupeArgv(['client', 'chat', '--profile', 'alice']), {
    cwd: projectRoot, env: { ...process.env, TROUPE_CLIENT_HOME: home, TROUPE_LOG_LEVEL: 'warn' }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const type = (line: string) => child.stdin.write(line + '\n');
  const see = (pattern: RegExp, what = String(pattern)) => until(`${what} in:\n${out}\n${err}`, () => pattern.test(out), 15_000);

  await see(/Conversations:\n {2}1\. @bob {2}\[d\d+-\d+\] {2}25 unread/);
  const receipt = bob.nextPush('chat.read', (p) => p.room === direct && p.seq === 25);
  type('/open 1');
  await see(/--- @bob \(d\d+-\d+\) ---\n(\[#\d+ [^\n]+\n){20}/, 'the last 20 messages');
  assert.match(out, /\[#6 \d\d:\d\d\] bob: old message 6\n/);
  assert.match(out, /\[#25 \d\d:\d\d\] bob: old message 25\n/);
  assert.not.match(out, /\[#5 /);
  // shown means read: bob gets the receipt
  assert.is((await receipt).seq, 25);

  type('/more');
  await see(/-- earlier: #1 to #5 --\n(\[#\d+ [^\n]+\n){5}-- that is the beginning --/);

  type('hello from alice');
  await until('bob gets alice\'s message', () => bobEntries.some((e) => e.body === 'hello from alice'));
  await see(/\[#26 \d\d:\d\d\] alice: hello from alice\n/);

  await bob.request('chat.typing', { room: direct });
  await see(/~ bob is typing…/);
  await bobChat.send({ room: direct }, 'live-1', 'live from bob');
  await see(/\[#27 \d\d:\d\d\] bob: live from bob\n/);

  // another room: a one-line notice with the unread count, not the message in the open room
  const side = await bob.request('rooms.create', { name: 'Side', members: [aliceId] });
  await bobChat.send({ room: side.room.id }, 'side-1', 'psst');
  await see(/\* \[Side\] bob: psst {2}\(1 unread\)/);

  // a line with quotes and a /command that fails keep the session going
  type('/edit 99 nothing there');
  await see(/! not_found: @bob: no such message/);
  type("it's fine");
  await see(/\[#28 \d\d:\d\d\] alice: it's fine\n/);

  // the connection drops: the client reconnects, resumes and catches up, each entry once, in order
  for (const c of sys.gateways[0].connections) if (c.session?.user.id === aliceId) c.shutdown();
  for (let i = 1; i <= 3; i++) await bobChat.send({ room: direct }, `away-${i}`, `while away ${i}`);
  await see(/! connection lost/);
  await see(/\* reconnected/);
  await see(/\[#31 [^\n]+ bob: while away 3\n/);
  const at = [1, 2, 3].map((n) => out.search(new RegExp(`\\[#${28 + n} [^\\n]+ bob: while away ${n}\\n`)));
  assert.ok(at[0] > 0 && at[0] < at[1] && at[1] < at[2], `in order: ${at}`);
  type('after the reconnect');
  await see(/\[#32 [^\n]+ alice: after the reconnect\n/);
  for (const n of [1, 2, 3]) assert.is(out.split(`while away ${n}`).length, 2, `while away ${n} shows once`);

  type('/quit');
  assert.is(await exited, 0, err);
  assert.is(err, '');
  assert.ok(new Profile(home, 'alice').cursors()[direct] >= 32, 'the cursors are saved for the next run');
});

test('on a terminal: typing is sent (throttled) while a line is typed and shown in the prompt', async () => {
  const io = memoryIo({ terminal: true });
  const ui = new ChatUi({ url: '', profile: new Profile(home, 'alice'), io, env: {}, device: 'desktop' }, { open: '@bob' });
  const done = ui.run();
  await until('the conversation is open', () => io.screen().includes('--- @bob'));
  const typingBefore = bobPushes.filter((p) => p.op === 'chat.typing').length;
  for (const ch of 'hey there') {
    io.input.write(ch);
    await new Promise((r) => setTimeout(r, 30));
  }
  io.input.write('\r');
  await until('bob gets the message', () => bobEntries.some((e) => e.body === 'hey there'));
  assert.is(bobPushes.filter((p) => p.op === 'chat.typing').length - typingBefore, 1, 'one typing push for one burst of keys');
  await bob.request('chat.typing', { room: direct });
  await until('the prompt says bob is typing', () => io.screen().includes('@bob (bob typing…)> '));
  io.input.write('/quit\r');
  assert.is(await done, 0);
});

test('without a saved session it asks for the name and the password (the next input lines on a pipe)', async () => {
  const io = memoryIo();
  const profile = new Profile(home, 'asked');
  const ui = new ChatUi({ url: sys.tcpUrl(1), profile, io, env: {}, device: 'web' }, {});
  io.input.write('bob\nbob-password\n/open @alice\n/quit\n');
  assert.is(await ui.run(), 0, io.stdout.join('\n'));
  assert.is(profile.load()?.user.name, 'bob');
  assert.ok(io.stdout.some((l) => l.startsWith('logged in as bob')), io.stdout.join('\n'));
  assert.ok(io.stdout.some((l) => /bob: old message 25$/.test(l)), io.stdout.join('\n'));
});

test.after(async () => {
  bobChat.stop();
  await sys.stop();
});
test.run();
