// Who decides what: the room actor decides authorship and recalled state from its own rows (never
// from what the gateway read before the ask), and a refusal is never a key's final answer (a retry
// after the reason is gone is judged afresh; a success is remembered).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'drizzle-orm';
import { TroupeError } from '../protocol/mod.ts';
import { connectAs } from '../lib/mod.ts';
import { natsActorClient } from '../actors/runtime/mod.ts';
import { queryRows } from '../schema/mod.ts';
import type { TroupeClient } from '../protocol/client/mod.ts';
import { startSystem } from './helpers/system.ts';
import { code } from './helpers/outcome.ts';

const sys = await startSystem({ gateways: 2 });

interface U {
  c: TroupeClient;
  id: number;
}

async function user(name: string, gateway = 0): Promise<U> {
  const c = await sys.client({ gateway, device: { type: 'desktop' } });
  await c.register(name, `${name}-pw-123`);
  const me = await c.login(name, `${name}-pw-123`);
  return { c, id: me.id };
}

async function row(room: string, seq: number): Promise<{ body: string; recalled: boolean } | undefined> {
  const [r] = await queryRows<{ body: string; recalled: boolean }>(sys.db.database.db, sql`select body, recalled from messages where room_id = ${room} and seq = ${seq}`);
  return r;
}

const [ann, ben, cat] = [await user('ann'), await user('ben', 1), await user('cat')];
const room = (await ann.c.request('rooms.create', { name: 'Decisions', members: [ben.id] })).room.id;

test('a member refused the recall of someone else\'s message does not stop its author from recalling it', async () => {
  const sent = await ann.c.request('chat.send', { room, clientMsgId: 'r1', body: 'oops' });
  assert.is(await code(ben.c.request('chat.recall', { room, seq: sent.seq })), 'forbidden');
  assert.is(await code(ben.c.request('chat.recall', { room, seq: sent.seq })), 'forbidden', 'and again');
  const recalled = await ann.c.request('chat.recall', { room, seq: sent.seq });
  assert.ok(recalled.seq > sent.seq);
  assert.is((await row(room, sent.seq))?.recalled, true);
  // the author's success is remembered: asked again, the same answer, no second recall entry
  const again = await ann.c.request('chat.recall', { room, seq: sent.seq });
  assert.is(again.seq, recalled.seq);
});

test('an edit queued right behind a recall in the room\'s mailbox is refused; the message stays recalled', async () => {
  const nc = await connectAs(sys.config, 'gateway', 'race');
  const actors = natsActorClient(nc, sys.config.partitions);
  try {
    const sent = await ann.c.request('chat.send', { room, clientMsgId: 'r2', body: 'first words' });
    // both go into the room's mailbox before either is handled: nothing read before may decide
    const [recall, edit] = await Promise.allSettled([
      actors.ask('room', room, { type: 'recall', by: ann.id, target: sent.seq }, { timeoutMs: 10_000 }),
      actors.ask('room', room, { type: 'edit', by: ann.id, target: sent.seq, body: 'written back' }, { timeoutMs: 10_000 }),
    ]);
    assert.is(recall.status, 'fulfilled', String((recall as PromiseRejectedResult).reason));
    assert.is(edit.status, 'rejected');
    assert.is(((edit as PromiseRejectedResult).reason as TroupeError).code, 'conflict');
    const stored = await row(room, sent.seq);
    assert.equal(stored, { body: '', recalled: true });
    const history = await ann.c.request('chat.history', { room });
    assert.not.ok(history.messages.some((m) => m.kind === 'edit' && m.ref === sent.seq), 'no edit entry');
  } finally {
    actors.close();
    await nc.close();
  }
});

test('pipelined on one connection, a recall then an edit: the edit is refused and the text stays gone', async () => {
  const sent = await ann.c.request('chat.send', { room, clientMsgId: 'r3', body: 'secret' });
  const [recall, edit] = await Promise.all([
    code(ann.c.request('chat.recall', { room, seq: sent.seq })),
    code(ann.c.request('chat.edit', { room, seq: sent.seq, body: 'secret again' })),
  ]);
  assert.is(recall, 'ok');
  assert.is(edit, 'conflict');
  assert.equal(await row(room, sent.seq), { body: '', recalled: true });
});

test('authorship is the room\'s record: someone else\'s message is not editable, a missing one is not found', async () => {
  const sent = await ben.c.request('chat.send', { room, clientMsgId: 'r4', body: 'ben speaking' });
  assert.is(await code(ann.c.request('chat.edit', { room, seq: sent.seq, body: 'ann speaking' })), 'forbidden');
  assert.is(await code(ann.c.request('chat.edit', { room, seq: sent.seq + 50, body: 'nothing' })), 'not_found');
  const sys0 = (await ann.c.request('chat.history', { room })).messages.find((m) => m.kind === 'system')!;
  assert.is(sys0.from, ann.id, 'she created the room');
  assert.is(await code(ann.c.request('chat.recall', { room, seq: sys0.seq })), 'conflict', 'a system entry is not a text message');
  assert.is((await ben.c.request('chat.edit', { room, seq: sent.seq, body: 'ben, edited' })).seq, sent.seq + 1);
});

test('a send refused before an invite goes through when retried with the same clientMsgId', async () => {
  // inside JetStream's duplicate window: the retry must be judged afresh, not answered the refusal
  assert.is(await code(cat.c.request('chat.send', { room, clientMsgId: 'kept', body: 'may I?' })), 'forbidden');
  await ann.c.request('rooms.invite', { room, user: cat.id });
  const sent = await cat.c.request('chat.send', { room, clientMsgId: 'kept', body: 'may I?' });
  assert.ok(sent.seq > 0);
  const again = await cat.c.request('chat.send', { room, clientMsgId: 'kept', body: 'may I?' });
  assert.is(again.seq, sent.seq, 'a success is remembered');
  const mine = (await ann.c.request('chat.history', { room })).messages.filter((m) => m.clientMsgId === 'kept');
  assert.is(mine.length, 1, 'stored once');
});

test('a direct message refused while blocked goes through after the unblock with the same clientMsgId', async () => {
  await ben.c.request('chat.send', { to: cat.id, clientMsgId: 'hello', body: 'hi cat' });
  await cat.c.request('friends.block', { user: ben.id });
  // the block travels user actor -> outbox -> room actor: probe until it is in force
  let probe = 'ok';
  for (let i = 0; i < 100 && probe !== 'forbidden'; i++) {
    probe = await code(ben.c.request('chat.send', { to: cat.id, clientMsgId: `probe-${i}`, body: 'probe' }));
    if (probe !== 'forbidden') await new Promise((r) => setTimeout(r, 100));
  }
  assert.is(probe, 'forbidden');
  assert.is(await code(ben.c.request('chat.send', { to: cat.id, clientMsgId: 'pending', body: 'still there?' })), 'forbidden');
  await cat.c.request('friends.unblock', { user: ben.id });
  let result = 'forbidden';
  for (let i = 0; i < 50 && result === 'forbidden'; i++) {
    result = await code(ben.c.request('chat.send', { to: cat.id, clientMsgId: 'pending', body: 'still there?' }));
    if (result === 'forbidden') await new Promise((r) => setTimeout(r, 100));
  }
  assert.is(result, 'ok', 'the same clientMsgId is not stuck on the old refusal');
});

test.after(() => sys.stop());
test.run();
