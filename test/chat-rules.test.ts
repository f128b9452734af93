// Chat rules through a real gateway: membership and roles, edits and recalls of your own messages
// only, blocks, typing, read-only system conversations, and the token-protected admin API.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TroupeClient, PushMessage } from '../protocol/client/mod.ts';
import { startSystem } from './helpers/system.ts';
import { code, codeAndReason } from './helpers/outcome.ts';

const ADMIN = 'test-admin-token';
const sys = await startSystem({ gateways: 2, config: { adminToken: ADMIN, maxRoomMembers: 4 } });

interface U {
  c: TroupeClient;
  id: number;
  pushes: PushMessage[];
}

async function user(name: string, gateway = 0): Promise<U> {
  const c = await sys.client({ gateway, device: { type: 'desktop' } });
  await c.register(name, `${name}-pw-123`);
  const me = await c.login(name, `${name}-pw-123`);
  const u = { c, id: me.id, pushes: [] as PushMessage[] };
  c.on('push', (p: PushMessage) => u.pushes.push(p));
  return u;
}

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

const [owner, admin, member, outsider, extra] = [await user('olga'), await user('adam', 1), await user('mia'), await user('otto', 1), await user('eve')];
let room = '';

test('members only: outsiders neither read nor post; unknown rooms are not found', async () => {
  room = (await owner.c.request('rooms.create', { name: 'Staff', members: [admin.id, member.id] })).room.id;
  await owner.c.request('rooms.role', { room, user: admin.id, role: 'admin' });
  assert.is(await code(outsider.c.request('chat.send', { room, clientMsgId: 'x', body: 'let me in' })), 'forbidden');
  assert.is(await code(outsider.c.request('chat.history', { room })), 'forbidden');
  assert.is(await code(outsider.c.request('rooms.members', { room })), 'forbidden');
  assert.is(await code(outsider.c.request('chat.typing', { room })), 'forbidden');
  assert.is(await code(outsider.c.request('rooms.join', { room })), 'forbidden', 'invitation-only');
  assert.is(await code(owner.c.request('chat.send', { room: 'gaaaaaaaaaaaa', clientMsgId: 'x', body: 'hello?' })), 'not_found');
  assert.is(await code(owner.c.request('chat.send', { room, to: admin.id, clientMsgId: 'x', body: 'both' } as never)), 'bad_request');
});

test('a refusal for not being a member says so by its reason, from the room actor, the services and the watch actor alike; other refusals have none', async () => {
  for (const [what, p] of [
    ['post (room actor)', () => outsider.c.request('chat.send', { room, clientMsgId: 'why', body: 'let me in' })],
    ['history (chat service)', () => outsider.c.request('chat.history', { room })],
    ['typing (chat service)', () => outsider.c.request('chat.typing', { room })],
    ['watch (room actor)', () => outsider.c.request('watch.join', { room })],
  ] as const) assert.is(await codeAndReason(p()), 'forbidden/not_member', what);
  assert.is(await codeAndReason(outsider.c.request('rooms.join', { room })), 'forbidden', 'invitation-only is another reason');
  assert.is(await codeAndReason(member.c.request('rooms.kick', { room, user: admin.id })), 'forbidden', 'so is a missing role');
});

test('roles: admins kick members, not admins; only the owner sets roles; the room has a size limit', async () => {
  assert.is(await code(member.c.request('rooms.kick', { room, user: admin.id })), 'forbidden');
  assert.is(await code(admin.c.request('rooms.role', { room, user: member.id, role: 'admin' })), 'forbidden');
  assert.is(await code(admin.c.request('rooms.invite', { room, user: outsider.id })), 'ok');
  assert.is(await code(admin.c.request('rooms.invite', { room, user: extra.id })), 'limit_exceeded', 'maxRoomMembers is 4');
  await until('outsider hears he joined', () => outsider.pushes.some((p) => p.op === 'rooms.joined'));
  assert.is(await code(admin.c.request('rooms.kick', { room, user: outsider.id })), 'ok');
  await until('kicked is told', () => outsider.pushes.some((p) => p.op === 'rooms.left' && p.reason === 'kicked'));
  assert.is(await code(outsider.c.request('chat.history', { room })), 'forbidden', 'a kicked user reads nothing more');
  assert.is(await code(admin.c.request('rooms.kick', { room, user: owner.id })), 'forbidden');
  const members = await owner.c.request('rooms.members', { room });
  assert.equal(members.members.map((m) => [m.user.name, m.role]), [['olga', 'owner'], ['adam', 'admin'], ['mia', 'member']]);
});

test('nobody edits or recalls another\'s message; edits and recalls are entries of their own', async () => {
  const sent = await member.c.request('chat.send', { room, clientMsgId: 'm-1', body: 'first draft' });
  assert.is(await code(owner.c.request('chat.edit', { room, seq: sent.seq, body: 'hacked' })), 'forbidden');
  assert.is(await code(owner.c.request('chat.recall', { room, seq: sent.seq })), 'forbidden');
  const edit = await member.c.request('chat.edit', { room, seq: sent.seq, body: 'final text' });
  assert.is(edit.seq, sent.seq + 1);
  await until('the edit is pushed', () => owner.pushes.some((p) => p.op === 'chat.message' && p.kind === 'edit' && p.ref === sent.seq));
  const other = await member.c.request('chat.send', { room, clientMsgId: 'm-2', body: 'oops' });
  const recall = await member.c.request('chat.recall', { room, seq: other.seq });
  // the same recall again is the same request: its success is remembered, nothing is recalled twice
  assert.is((await member.c.request('chat.recall', { room, seq: other.seq })).seq, recall.seq);
  assert.is(await code(member.c.request('chat.edit', { room, seq: other.seq, body: 'back' })), 'conflict', 'a recalled message is not edited');
  const h = await owner.c.request('chat.history', { room });
  const byseq = new Map(h.messages.map((m) => [m.seq, m]));
  assert.is(byseq.get(sent.seq)!.body, 'final text');
  assert.ok(byseq.get(sent.seq)!.edited);
  assert.is(byseq.get(other.seq)!.body, '');
  assert.ok(byseq.get(other.seq)!.recalled);
  assert.is(byseq.get(edit.seq)!.kind, 'edit');
});

test('typing reaches the other members, not the typist\'s own connection', async () => {
  const before = member.pushes.length;
  await owner.c.request('chat.typing', { room });
  await until('admin sees typing', () => admin.pushes.some((p) => p.op === 'chat.typing' && p.user === owner.id));
  await until('member sees typing', () => member.pushes.slice(before).some((p) => p.op === 'chat.typing'));
  assert.not.ok(owner.pushes.some((p) => p.op === 'chat.typing'));
});

test('an owner who leaves hands the room to the longest-standing admin', async () => {
  await owner.c.request('rooms.leave', { room });
  const members = await admin.c.request('rooms.members', { room });
  assert.equal(members.members.map((m) => [m.user.name, m.role]), [['adam', 'owner'], ['mia', 'member']]);
  assert.is(await code(owner.c.request('chat.send', { room, clientMsgId: 'z', body: 'still here?' })), 'forbidden');
});

test('open rooms: discover and join', async () => {
  const open = (await admin.c.request('rooms.create', { name: 'Lobby', open: true })).room.id;
  const found = await outsider.c.request('rooms.discover', { query: 'lob' });
  assert.ok(found.rooms.some((r) => r.id === open));
  const joined = await outsider.c.request('rooms.join', { room: open });
  assert.is(joined.room.role, 'member');
  assert.is((await outsider.c.request('chat.send', { room: open, clientMsgId: 'hi', body: 'hi all' })).seq, 3);
});

test('blocks: no direct messages either way and no requests; unblocking restores them', async () => {
  await extra.c.request('chat.send', { to: outsider.id, clientMsgId: 'pre', body: 'hello otto' });
  await outsider.c.request('friends.block', { user: extra.id });
  // the block travels user actor -> outbox -> room actor
  await new Promise((r) => setTimeout(r, 300));
  assert.is(await code(extra.c.request('chat.send', { to: outsider.id, clientMsgId: 'b1', body: 'are you there' })), 'forbidden');
  assert.is(await code(outsider.c.request('chat.send', { to: extra.id, clientMsgId: 'b2', body: 'go away' })), 'forbidden');
  assert.is(await code(extra.c.request('friends.request', { user: outsider.id })), 'forbidden');
  await outsider.c.request('friends.unblock', { user: extra.id });
  await new Promise((r) => setTimeout(r, 300));
  assert.is(await code(extra.c.request('chat.send', { to: outsider.id, clientMsgId: 'b3', body: 'better now' })), 'ok');
  const found = await extra.c.request('users.find', { query: 'OT' });
  assert.equal(found.users.map((u) => u.name), ['otto']);
});

test('users.get names ids (senders of entries); unknown ids are left out; bad input is refused', async () => {
  const got = await extra.c.request('users.get', { ids: [outsider.id, extra.id, outsider.id, 999_999] });
  assert.equal(got.users.map((u) => u.name).sort(), ['eve', 'otto']);
  assert.is(await code(extra.c.request('users.get', { ids: [] })), 'bad_request');
  assert.is(await code(extra.c.request('users.get', { ids: Array.from({ length: 101 }, (_, i) => i + 1) })), 'bad_request');
});

test('a refused first message leaves no half-made conversation', async () => {
  const [bea, cid] = [await user('bea'), await user('cid', 1)];
  await cid.c.request('friends.block', { user: bea.id });
  await new Promise((r) => setTimeout(r, 300));
  assert.is(await code(bea.c.request('chat.send', { to: cid.id, clientMsgId: 'first', body: 'hi' })), 'forbidden');
  await cid.c.request('friends.unblock', { user: bea.id });
  await new Promise((r) => setTimeout(r, 300));
  const sent = await bea.c.request('chat.send', { to: cid.id, clientMsgId: 'second', body: 'hi again' });
  assert.is(sent.seq, 1);
  const listed = await cid.c.request('rooms.list', {});
  assert.ok(listed.conversations.some((c) => c.room.id === sent.room && c.unread === 1), 'the conversation exists for both');
  assert.is((await cid.c.request('rooms.members', { room: sent.room })).members.length, 2);
});

test('admin API: token required; system messages are read-only; rooms; who is online', async () => {
  const base = `http://127.0.0.1:${sys.gateways[0].httpPort}`;
  const post = (path: string, body: unknown, token: string | null = ADMIN) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  assert.is((await post('/api/admin/messages', { to: member.id, body: 'x' }, null)).status, 401);
  assert.is((await post('/api/admin/messages', { to: member.id, body: 'x' }, 'wrong')).status, 401);
  assert.is((await post('/api/admin/messages', { body: 'x' })).status, 400);
  assert.is((await post('/api/admin/messages', { to: 99999, body: 'x' })).status, 404);
  const sent = await post('/api/admin/messages', { to: member.id, body: 'maintenance at noon', clientMsgId: 'notice-1' });
  assert.is(sent.status, 200);
  const { room: sysRoom, seq } = (await sent.json()) as { room: string; seq: number };
  assert.is(sysRoom, `d0-${member.id}`);
  const again = (await (await post('/api/admin/messages', { to: member.id, body: 'maintenance at noon', clientMsgId: 'notice-1' })).json()) as { seq: number };
  assert.is(again.seq, seq, 'a retried POST with the same clientMsgId sends once');
  await until('the notice is pushed', () => member.pushes.some((p) => p.op === 'chat.message' && p.room === sysRoom && p.from === 0));
  assert.is(await code(member.c.request('chat.send', { room: sysRoom, clientMsgId: 'reply', body: 'ok' })), 'forbidden');
  const created = await post('/api/admin/rooms', { name: 'Announcements', owner: admin.id, members: [member.id] });
  assert.is(created.status, 200);
  const rid = ((await created.json()) as { room: { id: string } }).room.id;
  assert.is((await post('/api/admin/messages', { room: rid, body: 'welcome' })).status, 200);
  const online = (await (await fetch(`${base}/api/admin/online`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { users: { user: { name: string } }[] };
  assert.ok(['olga', 'adam', 'mia', 'otto', 'eve'].every((n) => online.users.some((u) => u.user.name === n)));
  const noAdmin = await fetch(`http://127.0.0.1:${sys.gateways[1].httpPort}/api/admin/online`, { headers: { authorization: 'Bearer nope' } });
  assert.is(noAdmin.status, 401);
});

test.after(() => sys.stop());
test.run();
