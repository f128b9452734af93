// The runtime's pure parts and single-host behaviour under the simulated world: placement, machine
// steps, snapshot migration, timers and passivation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setup, assign, emit } from 'xstate';
import { T, Obj } from '../protocol/mod.ts';
import { partitionOf, ownerOf, defineKind, effects, step, initialState, restore, ActorHost, ActorClient, type Effect } from '../actors/runtime/mod.ts';
import { Committer, CommitTimeout, type CommitSource } from '../actors/runtime/committer.ts';
import { planBatch, parseMessage } from '../actors/runtime/plan.ts';
import { subjects } from '../protocol/mod.ts';
import { encodeJson, TIMERS } from '../actors/runtime/messages.ts';
import type { Store, CommitPart, Clock } from '../actors/runtime/ports.ts';
import { counterKind, SimScheduler, World, SimJetStream, SimCore, SimKv, SimDirectory, SimDatabase } from '../actors/runtime/sim/mod.ts';

test('partitions: stable, in range; rendezvous placement spreads and moves little when a host joins', () => {
  assert.is(partitionOf('user', '42', 64), partitionOf('user', '42', 64));
  const counts = new Map<string, number>();
  const three = ['h1', 'h2', 'h3'];
  for (let p = 0; p < 64; p++) {
    assert.ok(partitionOf('room', `r${p}`, 64) < 64);
    const o = ownerOf(p, three)!;
    counts.set(o, (counts.get(o) ?? 0) + 1);
  }
  for (const h of three) assert.ok(counts.get(h)! >= 12, `${h} owns ${counts.get(h)} of 64`);
  let moved = 0;
  for (let p = 0; p < 64; p++) if (ownerOf(p, three) !== ownerOf(p, [...three, 'h4'])) moved++;
  assert.ok(moved > 5 && moved < 30, `${moved} of 64 partitions move to a fourth host`);
  for (let p = 0; p < 64; p++) if (ownerOf(p, three) !== ownerOf(p, [...three, 'h4'])) assert.is(ownerOf(p, [...three, 'h4']), 'h4', 'only towards the new host');
});

const Msg = T.Union([Obj({ type: T.Literal('set'), v: T.String() })]);
const v1 = setup({ types: { context: {} as { value: string }, events: {} as { type: 'set'; v: string }, emitted: {} as Effect } }).createMachine({
  context: { value: '' },
  entry: emit(() => effects.publish('evt.user.1', { hello: true })),
  on: { set: { actions: [assign({ value: ({ event }) => event.v }), emit(({ event }) => effects.reply({ was: event.v }))] } },
});
const v2 = setup({ types: { context: {} as { values: string[] }, events: {} as { type: 'set'; v: string }, emitted: {} as Effect } }).createMachine({
  context: { values: [] },
  on: { set: { actions: [assign({ values: ({ context, event }) => [...context.values, event.v] }), emit(({ context }) => effects.reply({ count: context.values.length }))] } },
});

test('steps are pure: initial entry effects, then one transition with its effects', () => {
  const kind = defineKind({ kind: 'k', machine: v1, version: 1, messages: Msg });
  const init = initialState(kind, 'x');
  assert.equal(init.effects, [effects.publish('evt.user.1', { hello: true })]);
  const r = step(kind, init.state, { type: 'set', v: 'a', meta: { at: 1, key: 'k1', asked: true } } as never);
  assert.equal(r.state.context, { value: 'a' });
  assert.equal(r.effects, [effects.reply({ was: 'a' })]);
  assert.equal(init.state.context, { value: '' }, 'the input state is not mutated');
});

test('snapshots of an older machine version go through migrate(); newer ones and missing hooks are refused', () => {
  const kind2 = defineKind({ kind: 'k', machine: v2, version: 2, messages: Msg, migrate: (s, from) => ({ value: s.value, context: { values: from === 1 ? [String(s.context.value)] : [] } }) });
  const old = { value: {}, context: { value: 'legacy' } };
  const migrated = restore(kind2, old, 1);
  assert.equal(migrated.context, { values: ['legacy'] });
  assert.equal(step(kind2, migrated, { type: 'set', v: 'b', meta: { at: 1, key: 'k', asked: true } } as never).state.context, { values: ['legacy', 'b'] });
  assert.throws(() => restore(kind2, old, 3), /newer than this code/);
  assert.throws(() => restore({ ...kind2, migrate: undefined }, old, 1), /no migrate/);
});

/** One host over the in-memory world, without faults. */
async function world(passivateAfterMs: number) {
  const sched = new SimScheduler(1);
  const w = new World(sched, 4);
  const stream = new SimJetStream(w);
  const core = new SimCore(w);
  const kv = new SimKv(w, 10_000);
  const dir = new SimDirectory(w, 5000);
  const db = new SimDatabase(w, (k, id) => partitionOf(k, id, 4));
  const host = new ActorHost(
    { hostId: 'h1', partitions: 4, leaseTtlMs: 10_000, tickMs: 500, maxBatch: 16, passivateAfterMs },
    { kinds: [counterKind], store: db.port(undefined), mailboxes: stream.port(undefined), bus: core.bus(undefined), clock: sched.clock(), leases: kv.port(undefined), directory: dir.port('h1', undefined) },
  );
  void host.start(); // it resolves as the scheduler runs
  let n = 0;
  const client = new ActorClient({ mailboxes: stream.port(undefined), replies: core.inbox('_INBOX.t'), results: db.results(), clock: sched.clock(), partitions: 4, newKey: () => `k${++n}` });
  const run = async (ms: number) => sched.run(sched.now + ms);
  const ask = async <R>(body: { type: string; [k: string]: unknown }) => {
    let out: R | undefined;
    void client.ask<R>('counter', 'c1', body).then((r) => (out = r));
    await run(2000);
    return out!;
  };
  return { host, db, run, ask, sched };
}

test('idle actors leave memory and come back from their snapshot', async () => {
  const w = await world(2000);
  await w.run(2000);
  assert.equal(await w.ask({ type: 'add', n: 5 }), { total: 5 });
  const p = partitionOf('counter', 'c1', 4);
  assert.ok(w.host.peek(p, 'counter', 'c1'), 'active after a message');
  await w.run(10_000);
  assert.is(w.host.peek(p, 'counter', 'c1'), undefined, 'passivated after being idle');
  assert.equal(await w.ask({ type: 'add', n: 2 }), { total: 7 });
  assert.is(w.db.actors.get('counter.c1')!.version, 2, 'version continues from the snapshot');
});

test('a deadline in context fires once as a timer, also after the actor left memory', async () => {
  const w = await world(1000);
  await w.run(2000);
  await w.ask({ type: 'arm', in: 30_000 });
  assert.is(w.db.actors.get('counter.c1')!.deadline !== null, true);
  await w.run(10_000);
  assert.is(w.host.peek(partitionOf('counter', 'c1', 4), 'counter', 'c1'), undefined, 'passivated while waiting');
  await w.run(30_000);
  const ctx = w.db.actors.get('counter.c1')!.state.context as { armed: number; fired: number };
  assert.equal([ctx.armed, ctx.fired], [1, 1]);
  assert.is(w.db.actors.get('counter.c1')!.deadline, null);
});

test('a timer message fires the deadline it names, though the stream stamped it a millisecond before (a Node timer can fire early)', () => {
  const kinds = new Map([[counterKind.kind, counterKind]]);
  const p = partitionOf('counter', 'c1', 4);
  let state = initialState(counterKind, 'c1').state;
  state = step(counterKind, state, { type: 'arm', in: 1000, meta: { at: 0, key: 'k1', asked: true } } as { type: string }).state;
  const stored = { version: 2, epoch: 1, machineVersion: counterKind.version, state, deadline: 1000 };
  const fired = (body: object, time: number) => {
    const msg = { subject: subjects.actor('counter', p, 'c1'), seq: 7, key: 'timer:counter.c1:1000', time, data: encodeJson(body), ack: () => {} };
    const plan = planBatch({ kinds, epoch: 1, partitions: 4, parsed: [parseMessage(msg as never, kinds, new Set())], actorOf: () => stored, seenOf: () => undefined });
    return (plan.changes.get('counter.c1')?.stored.state.context as { fired?: number } | undefined)?.fired ?? 0;
  };
  assert.is(fired({ type: TIMERS, at: 1000 }, 999), 1, 'the deadline it was armed for is due');
  assert.is(fired({ type: TIMERS }, 1000), 1, 'a message without `at` (published by an older host): the stream time decides');
  assert.is(fired({ type: TIMERS, at: 900 }, 950), 0, 'a deadline moved later is not due yet');
});

test('a commit that never settles (its connection died under it) fails as CommitTimeout, to be retried', async () => {
  let committed = 0;
  const store = { commit: () => { committed++; return new Promise(() => {}); } } as unknown as Store;
  const clock: Clock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    setTimer: (ms, fn) => { const t = setTimeout(fn, ms); return { cancel: () => clearTimeout(t) }; },
  };
  const committer = new Committer(store, clock, { timeoutMs: 50 });
  const result = await new Promise<{ sent: unknown } | { error: unknown }>((settle) => {
    const source: CommitSource = { partition: 0, pending: () => 1, seal: () => ({ messages: 1 }) as unknown as CommitPart, settle };
    committer.ready(source);
  });
  assert.is(committed, 1);
  assert.ok('error' in result && result.error instanceof CommitTimeout, JSON.stringify(result));
});

test.run();
