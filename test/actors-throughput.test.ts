// The runtime's cheap paths on a real nats-server and Postgres: the host's committer puts many
// partitions' batches in one transaction; a message that changes nothing leaves no trace; a query
// is answered from the lease holder's memory without the mailbox; and when a fence moves under a
// commit of several partitions, only the fenced partition's part fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'drizzle-orm';
import { connectAs, metricsText } from '../lib/mod.ts';
import { startActorRuntime, natsActorClient, partitionOf, PgStore, type ActorRuntime, type ActorClient } from '../actors/runtime/mod.ts';
import { counterKind } from '../actors/runtime/sim/mod.ts';
import { FencedError } from '../actors/runtime/ports.ts';
import { queryRows } from '../schema/mod.ts';
import { TroupeError } from '../protocol/mod.ts';
import { testConfig, startTestNats, freshDatabase } from './helpers/env.ts';
import { jetstreamManager } from '@nats-io/jetstream';

const P = 8;
const config = testConfig({ partitions: P });
const nats = await startTestNats(config);
const db = await freshDatabase();
const hostNc = await connectAs(config, 'host', 'tp-host');
const clientNc = await connectAs(config, 'gateway', 'tp-client');
let runtime: ActorRuntime | undefined;
let client: ActorClient | undefined;

/** Commits so far and the partitions' batches they carried (the committer's histogram). */
async function commitTotals(): Promise<{ commits: number; parts: number }> {
  const text = (await metricsText()).body;
  const value = (suffix: string) => Number(new RegExp(`^troupe_actor_commit_partitions_${suffix} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { commits: value('count'), parts: value('sum') };
}

const count = async (q: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(db.database.db, q))[0].n;
const streamMessages = async () => (await (await jetstreamManager(hostNc)).streams.info('ACTORS')).state.messages;

test.before(async () => {
  runtime = await startActorRuntime(hostNc, db.database, { ...config, hostId: 'tp-host' }, [counterKind]);
  client = natsActorClient(clientNc, P);
  // every partition claimed
  for (let i = 0; i < 200 && runtime.host.holdings().filter((h) => h.state === 'running').length < P; i++) await new Promise((r) => setTimeout(r, 100));
});

test('concurrent asks to actors of many partitions share commit transactions', async () => {
  const actors = Array.from({ length: 32 }, (_, i) => `c${i}`);
  assert.ok(new Set(actors.map((a) => partitionOf('counter', a, P))).size > 4, 'the actors spread over partitions');
  const before = await count(sql`select count(*)::int as n from actor_inbox`);
  const commits = await commitTotals();
  const totals = await Promise.all(actors.flatMap((a) => [1, 2, 3].map((n) => client!.ask<{ total: number }>('counter', a, { type: 'add', n }))));
  assert.is(totals.length, 96);
  assert.is(await count(sql`select count(*)::int as n from actor_inbox`) - before, 96, 'one inbox row per applied message');
  const sums = await queryRows<{ t: number }>(db.database.db, sql`select sum((state->'context'->>'total')::int)::int as t from actor_state where kind = 'counter'`);
  assert.is(sums[0].t, 32 * 6);
  const after = await commitTotals();
  assert.ok(after.parts - commits.parts > after.commits - commits.commits && after.commits > commits.commits, `some commit carried several partitions' batches (${after.commits - commits.commits} commits, ${after.parts - commits.parts} parts)`);
});

test('a message that changes nothing writes no snapshot, version or inbox row', async () => {
  await client!.ask('counter', 'quiet', { type: 'add', n: 5 });
  const version = async () => (await queryRows<{ v: number }>(db.database.db, sql`select version::int as v from actor_state where kind = 'counter' and id = 'quiet'`))[0].v;
  const v = await version();
  const rows = await count(sql`select count(*)::int as n from actor_inbox where id = 'quiet'`);
  const got = await client!.ask<{ total: number; applied: number }>('counter', 'quiet', { type: 'get' });
  assert.is(got.total, 5);
  assert.is(await version(), v, 'no new version');
  assert.is(await count(sql`select count(*)::int as n from actor_inbox where id = 'quiet'`), rows, 'no inbox row');
});

test('a flood of messages that change nothing (more than a backlog holds) is all answered', async () => {
  await client!.ask('counter', 'flood', { type: 'add', n: 2 });
  const got = await Promise.all(Array.from({ length: 600 }, () => client!.ask<{ total: number }>('counter', 'flood', { type: 'get' })));
  assert.ok(got.every((g) => g.total === 2));
});

test('a query is answered from the holder\'s memory, sees what was committed, and leaves the mailbox alone', async () => {
  await client!.ask('counter', 'q', { type: 'add', n: 3 });
  const before = await streamMessages();
  const got = await client!.query<{ total: number }>('counter', 'q', { type: 'get' });
  assert.is(got.total, 3);
  assert.is(await streamMessages(), before, 'the query did not go through the ACTORS stream');
  await client!.ask('counter', 'q', { type: 'add', n: 4 });
  assert.is((await client!.query<{ total: number }>('counter', 'q', { type: 'get' })).total, 7, 'an ask answered before the query was sent is seen');
  // an actor that does not exist yet answers from its initial state, and is not created
  assert.is((await client!.query<{ total: number }>('counter', 'never', { type: 'get' })).total, 0);
  assert.is(await count(sql`select count(*)::int as n from actor_state where id = 'never'`), 0);
  // only declared types are queries
  try {
    await client!.query('counter', 'q', { type: 'add', n: 1 });
    assert.unreachable('add is not a query');
  } catch (e) {
    assert.instance(e, TroupeError);
    assert.is((e as TroupeError).code, 'bad_request');
  }
  assert.is((await client!.query<{ total: number }>('counter', 'q', { type: 'get' })).total, 7, 'the refused query changed nothing');
});

test('a commit of several partitions where one was fenced meanwhile: only that part fails', async () => {
  // the store on its own: two partitions of a fresh epoch, then another holder fences one of them
  const store = new PgStore(db.database);
  const [pa, pb] = [100, 101];
  await store.fence(pa, 1, 'a');
  await store.fence(pb, 1, 'a');
  const part = (p: number, id: string) => ({
    partition: p, epoch: 1, appliedSeq: 10, messages: 1,
    plan: { saves: [{ kind: 'counter', id, baseVersion: 0, version: 1, machineVersion: 1, state: { value: {}, context: { total: 1 } }, deadline: null }], inbox: [{ key: `fence-${id}`, kind: 'counter', id, seq: 10, reply: { ok: true }, final: true }], outbox: [], writes: [] },
  });
  await store.fence(pb, 2, 'b');
  try {
    await store.commit([part(pa, 'fa'), part(pb, 'fb')]);
    assert.unreachable('the commit of both must fail');
  } catch (e) {
    assert.instance(e, FencedError, `classified by SQLSTATE: ${(e as Error).message}`);
  }
  assert.is(await count(sql`select count(*)::int as n from actor_state where id in ('fa', 'fb')`), 0, 'nothing of either part was written');
  // part by part, as the committer retries it: the fenced one fails, the other commits
  await store.commit([part(pa, 'fa')]);
  await store.commit([part(pb, 'fb')]).then(() => assert.unreachable('fenced'), (e) => assert.instance(e, FencedError));
  assert.is(await count(sql`select count(*)::int as n from actor_state where id = 'fa'`), 1);
  assert.is(await count(sql`select count(*)::int as n from actor_state where id = 'fb'`), 0);
});

test('context fields kept apart are written only when they change, and read back whole', async () => {
  const store = new PgStore(db.database);
  const p = 102;
  await store.fence(p, 1, 'a');
  const members = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [String(i), { r: 'member', t: i }]));
  const save = (base: number, context: Record<string, unknown>, changed: boolean) => ({
    partition: p, epoch: 1, appliedSeq: 20 + base, messages: 1,
    plan: { saves: [{ kind: 'room', id: 'gapart', baseVersion: base, version: base + 1, machineVersion: 1, state: { value: 'live', context }, deadline: null, apart: { keys: ['members'], changed } }], inbox: [], outbox: [], writes: [] },
  });
  const row = async () => (await queryRows<{ state: string; apart: string | null }>(db.database.db, sql`select state::text as state, apart::text as apart from actor_state where kind = 'room' and id = 'gapart'`))[0];
  await store.commit([save(0, { seq: 0, members }, true)]);
  assert.not.match((await row()).state, /"members"/, 'the members are not in the state column');
  assert.ok((await row()).apart!.length > 3000);
  // a post: the sequence moves, the members are not sent
  await store.commit([save(1, { seq: 1, members }, false)]);
  const loaded = await store.load('room', 'gapart');
  assert.equal(loaded!.state.context, { seq: 1, members }, 'read back whole');
  // a row written before the kind kept members apart: they move to their column on the next write
  await db.database.db.execute(sql`update actor_state set state = jsonb_build_object('value', 'live', 'context', jsonb_build_object('seq', 1, 'members', apart)), apart = null where kind = 'room' and id = 'gapart'`);
  await store.commit([save(2, { seq: 2, members }, false)]);
  assert.equal((await store.load('room', 'gapart'))!.state.context, { seq: 2, members });
  assert.not.match((await row()).state, /"members"/);
});

test.after(async () => {
  client?.close();
  await runtime?.stop();
  await clientNc.close();
  await hostNc.close();
  await db.drop();
  await nats.stop();
});

test.run();
