// The chat scenario across the cluster: three users on two gateways and two host processes — a
// friendship, a group, direct and group messages, one user offline and back (everything once, in
// order), a host killed mid-conversation (nothing lost, nothing doubled), read receipts and
// unread counts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectAs } from '../lib/mod.ts';
import { startGatewayRole } from '../ops/roles.ts';
import type { Gateway } from '../gateway/mod.ts';
import { TroupeClient, ChatSession, type ChatEntry, type PushMessage } from '../protocol/client/mod.ts';
import { testConfig, startTestNats, freshDatabase } from './helpers/env.ts';
import { spawnRole, type RoleProcess } from './helpers/procs.ts';

const P = 16;
// the storm below sends faster than a person types: lift the per-connection rate limit
const config = testConfig({ partitions: P, leaseTtlMs: 4000, httpPort: 0, tcpPort: 0, bind: '127.0.0.1', scryptCost: 1024, rateBurst: 1000, ratePerSecond: 500 });
const nats = await startTestNats(config);
const db = await freshDatabase();
if (!db.url) throw new Error('this test needs Postgres (host processes share the database)');
const env = { NATS_URL: config.natsUrl, DATABASE_URL: db.url, TROUPE_PARTITIONS: String(P), TROUPE_LEASE_TTL_MS: '4000', TROUPE_SCRYPT_COST: '1024' };
const hosts: RoleProcess[] = ['h1', 'h2'].map((id) => spawnRole(id, ['host'], { ...env, TROUPE_NODE_ID: id }));
for (const h of hosts) await h.waitFor(/host role started/);
const gateways: Gateway[] = [];
const gwConns: Awaited<ReturnType<typeof connectAs>>[] = [];
for (const i of [0, 1]) {
  const nc = await connectAs(config, 'gateway', `gw${i}`);
  gwConns.push(nc);
  gateways.push(await startGatewayRole(nc, config, `gw${i}`));
}

interface Person {
  client: TroupeClient;
  chat: ChatSession;
  id: number;
  entries: ChatEntry[];
  pushes: PushMessage[];
}

async function person(name: string, gw: number, register: boolean, cursors?: Record<string, number>, device: 'desktop' | 'web' = 'desktop'): Promise<Person> {
  const client = await TroupeClient.connect(`tcp://127.0.0.1:${gateways[gw].tcpPort}`, { heartbeatMs: 0, device: { type: device } });
  if (register) await client.register(name, `${name}-password`);
  const user = await client.login(name, `${name}-password`);
  const p: Person = { client, chat: new ChatSession(client, { cursors, confirmDelayMs: 20, resyncMs: 2000 }), id: user.id, entries: [], pushes: [] };
  p.chat.on('entry', (e: ChatEntry) => p.entries.push(e));
  client.on('push', (x: PushMessage) => p.pushes.push(x));
  await p.chat.start();
  return p;
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends until answered; a resend reuses the client message id, so it never doubles. */
async function send(p: Person, target: { room?: string; to?: number }, clientMsgId: string, body: string): Promise<{ room: string; seq: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await p.chat.send(target, clientMsgId, body, { timeoutMs: 3000 });
    } catch (e) {
      if (attempt > 40) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Each room's entries as a session saw them: seqs must be 1..n with no gap and no repeat. */
function checkOnceInOrder(p: Person, room: string, expectLast: number): void {
  const seqs = p.entries.filter((e) => e.room === room).map((e) => e.seq);
  const first = seqs[0] ?? 1;
  const expected = Array.from({ length: expectLast - first + 1 }, (_, i) => first + i);
  assert.equal(seqs, expected, `entries of ${room} once and in order`);
}

const alice = await person('alice', 0, true);
const bob = await person('bob', 1, true);
let carol = await person('carol', 1, true);
let direct = '';
let group = '';

test('a friendship: request, accept, both see it, and presence reaches friends', async () => {
  assert.is((await alice.client.request('friends.request', { user: bob.id })).status, 'outgoing');
  await until('bob sees the request', () => bob.pushes.some((p) => p.op === 'friends.update' && p.status === 'incoming'));
  await bob.client.request('friends.accept', { user: alice.id });
  await until('alice is told', () => alice.pushes.some((p) => p.op === 'friends.update' && p.status === 'friend'));
  const list = await alice.client.request('friends.list', {});
  assert.equal(list.friends.map((f) => [f.user.name, f.status, f.online]), [['bob', 'friend', true]]);
  // presence: bob's second device shows up at alice
  const bob2 = await TroupeClient.connect(`tcp://127.0.0.1:${gateways[0].tcpPort}`, { heartbeatMs: 0, reconnect: false, device: { type: 'mobile' } });
  await bob2.login('bob', 'bob-password');
  await until('alice hears bob\'s mobile', () => alice.pushes.some((p) => p.op === 'presence' && p.user === bob.id && (p.devices as string[]).includes('mobile')));
  await bob2.close();
});

test('direct and group messages reach every member once, in order, across gateways', async () => {
  for (let i = 1; i <= 5; i++) direct = (await send(alice, { to: bob.id }, `a-b-${i}`, `hello bob ${i}`)).room;
  const created = await alice.client.request('rooms.create', { name: 'Project', members: [bob.id, carol.id] });
  group = created.room.id;
  for (let i = 1; i <= 4; i++) await send([alice, bob, carol][i % 3], { room: group }, `g-${i}`, `group message ${i}`);
  // created (1) + 4 messages
  await until('everyone has the group', () => [alice, bob, carol].every((p) => p.entries.filter((e) => e.room === group).length === 5));
  await until('bob has the direct messages', () => bob.entries.filter((e) => e.room === direct).length === 5);
  for (const p of [alice, bob, carol]) checkOnceInOrder(p, group, 5);
  checkOnceInOrder(bob, direct, 5);
  checkOnceInOrder(alice, direct, 5);
  const again = await alice.client.request('chat.send', { to: bob.id, clientMsgId: 'a-b-5', body: 'hello bob 5' });
  assert.is(again.seq, 5, 'a resend answers with the first seq and adds nothing');
});

test('a user offline and back gets everything she missed, once, in order', async () => {
  const cursors = Object.fromEntries(carol.chat.cursors);
  carol.chat.stop();
  await carol.client.close();
  for (let i = 5; i <= 12; i++) await send(i % 2 ? alice : bob, { room: group }, `g-${i}`, `while carol is away ${i}`);
  for (let i = 1; i <= 3; i++) await send(bob, { to: carol.id }, `b-c-${i}`, `carol, ${i}`);
  // back on another gateway, from the cursors she had
  carol = await person('carol', 0, false, cursors);
  await until('carol caught up', () => carol.entries.filter((e) => e.room === group).length === 8 && carol.entries.some((e) => e.body === 'carol, 3'));
  assert.equal(carol.entries.filter((e) => e.room === group).map((e) => e.seq), [6, 7, 8, 9, 10, 11, 12, 13]);
  const dm = carol.entries.filter((e) => e.room !== group);
  assert.equal(dm.map((e) => [e.seq, e.body]), [[1, 'carol, 1'], [2, 'carol, 2'], [3, 'carol, 3']]);
  // a brand-new device starts after what was delivered: nothing old again
  await carol.chat.flush();
  const fresh = await person('carol', 1, false, undefined, 'web');
  await new Promise((r) => setTimeout(r, 500));
  assert.is(fresh.entries.length, 0, 'delivered entries are not delivered again');
  fresh.chat.stop();
  await fresh.client.close();
});

test('a host killed mid-conversation: nothing lost, nothing doubled', async () => {
  const before = { group: alice.chat.cursors.get(group)!, direct: alice.chat.cursors.get(direct)! };
  const sends: Promise<unknown>[] = [];
  let killed = false;
  for (let i = 0; i < 40; i++) {
    sends.push(send(alice, { room: group }, `storm-a-${i}`, `alice storm ${i}`));
    sends.push(send(bob, { to: alice.id }, `storm-b-${i}`, `bob storm ${i}`));
    if (i === 10) {
      hosts[0].signal('SIGKILL');
      killed = true;
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  assert.ok(killed);
  await Promise.all(sends);
  const groupLast = before.group + 40;
  const directLast = before.direct + 40;
  await until('all sessions caught up', () => [alice, bob, carol].every((p) => (p.chat.cursors.get(group) ?? 0) >= groupLast) && alice.chat.cursors.get(direct) === directLast && bob.chat.cursors.get(direct) === directLast, 30_000);
  for (const p of [alice, bob, carol]) checkOnceInOrder(p, group, groupLast);
  checkOnceInOrder(alice, direct, directLast);
  checkOnceInOrder(bob, direct, directLast);
  // and the record agrees: each storm message stored once
  const history = await carol.client.request('chat.history', { room: group, limit: 60 });
  const storm = history.messages.filter((m) => m.clientMsgId?.startsWith('storm-a-'));
  assert.is(storm.length, 40);
  assert.is(new Set(storm.map((m) => m.clientMsgId)).size, 40);
});

test('read receipts reach the sender and the reader\'s other devices; unread counts are right', async () => {
  const listed = async (p: Person, room: string) => (await p.client.request('rooms.list', {})).conversations.find((c) => c.room.id === room)!;
  const bobDirect = await listed(bob, direct);
  assert.is(bobDirect.unread, 5, 'bob has read nothing from alice yet (he sent the storm himself)');
  const bobGroup = await listed(bob, group);
  const groupUnreadExpected = bob.entries.filter((e) => e.room === group && e.kind === 'text' && e.from !== bob.id).length;
  assert.is(bobGroup.unread, groupUnreadExpected);
  const bobPhone = await TroupeClient.connect(`tcp://127.0.0.1:${gateways[0].tcpPort}`, { heartbeatMs: 0, reconnect: false, device: { type: 'mobile' } });
  await bobPhone.login('bob', 'bob-password');
  const phoneReceipt = bobPhone.nextPush('chat.read', (p) => p.room === direct);
  const aliceReceipt = alice.client.nextPush('chat.read', (p) => p.room === direct && p.user === bob.id);
  const r = await bob.client.request('chat.read', { room: direct, seq: bobDirect.lastSeq });
  assert.is(r.unread, 0);
  assert.is((await aliceReceipt).seq, bobDirect.lastSeq);
  assert.is((await phoneReceipt).seq, bobDirect.lastSeq);
  assert.is((await listed(bob, direct)).unread, 0);
  const half = bob.entries.filter((e) => e.room === group && e.kind === 'text' && e.from !== bob.id)[3].seq;
  await bob.client.request('chat.read', { room: group, seq: half });
  const after = await listed(bob, group);
  assert.is(after.unread, bob.entries.filter((e) => e.room === group && e.kind === 'text' && e.from !== bob.id && e.seq > half).length);
  assert.is(after.readSeq, half);
  await bobPhone.close();
});

test.after(async () => {
  for (const p of [alice, bob, carol]) {
    p.chat.stop();
    await p.client.close().catch(() => {});
  }
  for (const g of gateways) await g.stop();
  for (const nc of gwConns) await nc.close();
  for (const h of hosts) if (h.child.exitCode === null && h.child.signalCode === null) h.signal('SIGTERM');
  await Promise.race([Promise.all(hosts.map((h) => h.exited)), new Promise((r) => setTimeout(r, 10_000).unref())]);
  for (const h of hosts) if (h.child.exitCode === null) h.signal('SIGKILL');
  await db.drop();
  await nats.stop();
});

test.run();
