// The storage-group and tracker machines, stepped purely (actors/runtime step/initialState): joins
// and beats, offline after missed beats and back, upload and read targets by load and by the
// holder rule, tracker reports only on material changes, group picking by free space.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { step, initialState, earliestDeadline, type Effect, type PersistedMachine } from '../actors/runtime/mod.ts';
import { groupKind } from '../actors/group/mod.ts';
import { trackerKind } from '../actors/tracker/mod.ts';
import { GroupMessage, TrackerMessage, isValid, type NodeReport, type GroupView, type GroupSummary } from '../protocol/mod.ts';

const GiB = 1024 ** 3;
const kind = groupKind({ missedBeats: 3 });

function report(node: string, extra: Partial<NodeReport> = {}): NodeReport {
  return {
    node, url: `http://${node}:8090`, state: 'active', startedAt: 1000, beatMs: 1000, appliedSeq: 0, lagRecords: 0,
    activeTransfers: 0, bytesInPerSecond: 0, bytesOutPerSecond: 0, freeBytes: 100 * GiB, totalBytes: 200 * GiB, ...extra,
  };
}

/** A group actor driven by hand: each message steps the persisted state; effects are kept. */
class Group {
  state: PersistedMachine;
  effects: Effect[] = [];
  constructor(readonly name = 'g1') {
    this.state = initialState(kind, name).state;
  }
  send(body: { type: string; [k: string]: unknown }, at: number): Effect[] {
    if (body.type !== 'timer') assert.ok(isValid(GroupMessage, body), `a valid group message: ${JSON.stringify(body)}`);
    const r = step(kind, this.state, { ...body, meta: { at, key: `k${at}-${body.type}`, asked: true } } as unknown as { type: string });
    this.state = r.state;
    this.effects.push(...r.effects);
    return r.effects;
  }
  /** Fires every deadline due at `at`, as the runtime does. */
  tick(at: number): Effect[] {
    const out: Effect[] = [];
    const d = this.state.context.deadlines as Record<string, number>;
    for (const [name, when] of Object.entries(d).sort((a, b) => a[1] - b[1])) if (when <= at) out.push(...this.send({ type: 'timer', name }, at));
    return out;
  }
  get view(): GroupView {
    const e = this.send({ type: 'view' }, 0).find((x) => x.type === 'reply') as { body: unknown };
    return e.body as GroupView;
  }
  stateOf(node: string): string | undefined {
    return this.view.members.find((m) => m.node === node)?.state;
  }
}

const replyOf = (effects: Effect[]) => effects.find((e) => e.type === 'reply') as { type: 'reply'; body: Record<string, unknown> } | undefined;
const failOf = (effects: Effect[]) => effects.find((e) => e.type === 'fail') as { type: 'fail'; code: string; message: string } | undefined;
const reportsOf = (effects: Effect[]) => effects.filter((e) => e.type === 'send') as { type: 'send'; kind: string; id: string; body: { type: string; group: string; nodes: { node: string; state: string; freeBytes: number }[] } }[];

test('a join answers the view, arms the offline deadline and reports to the tracker', () => {
  const g = new Group();
  const fx = g.send({ type: 'join', ...report('a', { state: 'syncing' }) }, 10_000);
  const view = replyOf(fx)!.body as GroupView;
  assert.is(view.group, 'g1');
  assert.equal(view.members.map((m) => [m.node, m.state, m.joinedAt]), [['a', 'syncing', 10_000]]);
  assert.is(earliestDeadline(g.state), 10_000 + 3 * 1000);
  const [r] = reportsOf(fx);
  assert.equal([r.kind, r.id, r.body.type, r.body.group], ['tracker', 'main', 'report', 'g1']);
  assert.ok(isValid(TrackerMessage, r.body), 'the report is a valid tracker message');
  assert.equal(r.body.nodes.map((n) => [n.node, n.state]), [['a', 'syncing']]);
});

test('beats move the deadline; a beat that changes nothing material reports nothing', () => {
  const g = new Group();
  g.send({ type: 'join', ...report('a') }, 0);
  for (let t = 1000; t <= 10_000; t += 1000) {
    const fx = g.send({ type: 'beat', ...report('a', { activeTransfers: t % 3, appliedSeq: t / 1000, freeBytes: 100 * GiB - t }) }, t);
    assert.equal(reportsOf(fx), [], `beat at ${t} is not material`);
    assert.is(earliestDeadline(g.state), t + 3000);
    assert.equal(g.tick(t + 2999), [], 'not due yet');
  }
  assert.is(g.stateOf('a'), 'active');
  assert.is(g.view.members[0].appliedSeq, 10);
});

test('missed beats: offline (reported); a later beat brings the reported state back', () => {
  const g = new Group();
  g.send({ type: 'join', ...report('a') }, 0);
  g.send({ type: 'join', ...report('b') }, 0);
  g.send({ type: 'beat', ...report('b') }, 2500);
  const fx = g.tick(3000);
  assert.is(g.stateOf('a'), 'offline');
  assert.is(g.stateOf('b'), 'active');
  assert.equal(reportsOf(fx)[0].body.nodes.map((n) => [n.node, n.state]), [['a', 'offline'], ['b', 'active']]);
  assert.not.ok('offline:a' in (g.state.context.deadlines as object), 'the fired deadline is gone');
  g.tick(6000);
  assert.is(g.stateOf('b'), 'offline', 'b missed its beats too');
  // a restarted node: new startedAt, syncing until it has caught up
  const back = g.send({ type: 'join', ...report('a', { state: 'syncing', startedAt: 9000, appliedSeq: 0 }) }, 9000);
  assert.is(g.stateOf('a'), 'syncing');
  assert.equal(reportsOf(back)[0].body.nodes.map((n) => n.state), ['syncing', 'offline']);
  g.send({ type: 'beat', ...report('a', { startedAt: 9000, appliedSeq: 7 }) }, 9500);
  assert.is(g.stateOf('a'), 'active');
});

test('a node that leaves is offline at once; its deadline is dropped', () => {
  const g = new Group();
  g.send({ type: 'join', ...report('a') }, 0);
  const fx = g.send({ type: 'leave', node: 'a' }, 100);
  assert.is(g.stateOf('a'), 'offline');
  assert.is(earliestDeadline(g.state), null);
  assert.is(reportsOf(fx).length, 1);
});

test('an operator forgets an offline node: gone from the group and the tracker report; a live one is refused', () => {
  const g = new Group();
  g.send({ type: 'join', ...report('a') }, 0);
  g.send({ type: 'join', ...report('b') }, 0);
  const live = failOf(g.send({ type: 'forget', node: 'a' }, 10))!;
  assert.is(live.code, 'conflict');
  assert.match(live.message, /only an offline node/);
  assert.is(failOf(g.send({ type: 'forget', node: 'zz' }, 10))!.code, 'not_found');
  g.send({ type: 'leave', node: 'a' }, 20);
  const fx = g.send({ type: 'forget', node: 'a' }, 30);
  assert.equal((replyOf(fx)!.body as GroupView).members.map((m) => m.node), ['b']);
  assert.equal(reportsOf(fx)[0].body.nodes.map((n) => n.node), ['b']);
  assert.equal(Object.keys(g.state.context.deadlines as object), ['offline:b'], 'its deadline is gone');
  // should it come back, it is a new member
  g.send({ type: 'beat', ...report('a', { state: 'syncing' }) }, 40);
  assert.is(g.stateOf('a'), 'syncing');
});

test('upload targets: active nodes with room, least-loaded first, counting targets handed out', () => {
  const g = new Group();
  g.send({ type: 'join', ...report('a', { activeTransfers: 2 }) }, 0);
  g.send({ type: 'join', ...report('b', { activeTransfers: 0 }) }, 0);
  g.send({ type: 'join', ...report('c', { state: 'syncing' }) }, 0);
  g.send({ type: 'join', ...report('d', { freeBytes: GiB }) }, 0);
  const picks: string[] = [];
  for (let i = 0; i < 4; i++) {
    const r = replyOf(g.send({ type: 'uploadTarget', minFreeBytes: 2 * GiB }, 10))!.body as { targets: { node: string; url: string }[] };
    picks.push(r.targets[0].node);
    assert.ok(r.targets.every((t) => t.node !== 'c' && t.node !== 'd'), 'never a syncing node or one without room');
    assert.is(r.targets[0].url, `http://${r.targets[0].node}:8090`);
  }
  assert.equal(picks, ['b', 'b', 'a', 'b'], 'b until its handed-out count reaches a\'s transfers, then turns');
  // a beat reports the node's real load and resets what was handed out
  g.send({ type: 'beat', ...report('b', { activeTransfers: 5 }) }, 20);
  assert.is((replyOf(g.send({ type: 'uploadTarget' }, 30))!.body as { targets: { node: string }[] }).targets[0].node, 'd');
  const none = failOf(g.send({ type: 'uploadTarget', minFreeBytes: 1000 * GiB }, 40))!;
  assert.is(none.code, 'limit_exceeded');
  assert.match(none.message, /bytes free/);
});

test('read targets follow the holder rule: the origin, and active nodes that applied the record', () => {
  const g = new Group();
  g.send({ type: 'join', ...report('a', { appliedSeq: 10 }) }, 0);
  g.send({ type: 'join', ...report('b', { appliedSeq: 4 }) }, 0);
  g.send({ type: 'join', ...report('c', { appliedSeq: 12, state: 'syncing' }) }, 0);
  const targets = (body: { origin: string; binlogSeq: number }) => {
    const fx = g.send({ type: 'readTargets', ...body }, 1);
    const r = replyOf(fx);
    return r ? (r.body as { targets: { node: string }[] }).targets.map((t) => t.node) : failOf(fx)!.code;
  };
  assert.equal(targets({ origin: 'b', binlogSeq: 8 }), ['a', 'b'], 'origin b, and a (applied 10 >= 8); c is syncing');
  assert.equal(targets({ origin: 'b', binlogSeq: 8 }), ['b', 'a'], 'a was handed out once since its beat');
  assert.equal(targets({ origin: 'a', binlogSeq: 11 }), ['a'], 'only the origin: b applied less, c is syncing');
  g.tick(3000);
  assert.is(targets({ origin: 'a', binlogSeq: 11 }), 'unavailable', 'the origin went offline and nobody else holds it');
});

test('free space: only a move beyond 1 % of the disk is material', () => {
  const g = new Group();
  g.send({ type: 'join', ...report('a') }, 0);
  assert.equal(reportsOf(g.send({ type: 'beat', ...report('a', { freeBytes: 100 * GiB - GiB }) }, 1000)), [], '1 GiB of 200 GiB is not');
  const fx = g.send({ type: 'beat', ...report('a', { freeBytes: 100 * GiB - 3 * GiB }) }, 2000);
  assert.is(reportsOf(fx)[0].body.nodes[0].freeBytes, 100 * GiB - 3 * GiB);
  assert.equal(reportsOf(g.send({ type: 'beat', ...report('a', { freeBytes: 100 * GiB - 4 * GiB }) }, 3000)), [], 'compared with what was last reported');
});

test('the machine state survives a JSON round trip (what the runtime persists)', () => {
  const g = new Group();
  g.send({ type: 'join', ...report('a') }, 0);
  g.state = JSON.parse(JSON.stringify(g.state));
  g.send({ type: 'beat', ...report('a', { appliedSeq: 3 }) }, 1000);
  assert.is(g.view.members[0].appliedSeq, 3);
});

// --- tracker -------------------------------------------------------------------------------------

class Tracker {
  state = initialState(trackerKind, 'main').state;
  send(body: { type: string; [k: string]: unknown }, at = 0): Effect[] {
    assert.ok(isValid(TrackerMessage, body), `a valid tracker message: ${JSON.stringify(body)}`);
    const r = step(trackerKind, this.state, { ...body, meta: { at, key: `t${at}`, asked: true } } as unknown as { type: string });
    this.state = r.state;
    return r.effects;
  }
}

const node = (n: string, state: string, freeGiB: number) => ({ node: n, url: `http://${n}`, state, freeBytes: freeGiB * GiB, totalBytes: 500 * GiB });

test('tracker: no groups, then the group with the most free space on its least-free active node', () => {
  const t = new Tracker();
  assert.match(failOf(t.send({ type: 'pickGroup' }))!.message, /no storage group has joined/);
  t.send({ type: 'report', group: 'g1', nodes: [node('a', 'active', 100), node('b', 'active', 40)] }, 1);
  t.send({ type: 'report', group: 'g2', nodes: [node('c', 'active', 60), node('d', 'offline', 10)] }, 2);
  t.send({ type: 'report', group: 'g3', nodes: [node('e', 'syncing', 400)] }, 3);
  assert.equal(replyOf(t.send({ type: 'pickGroup' }))!.body, { group: 'g2' }, 'g2 can take 60 GiB, g1 only 40, g3 has no active node');
  assert.is(failOf(t.send({ type: 'pickGroup', minFreeBytes: 70 * GiB }))!.code, 'unavailable');
  // g1's small node fills up less than g2's: a new report replaces the group's entry
  t.send({ type: 'report', group: 'g1', nodes: [node('a', 'active', 100), node('b', 'active', 80)] }, 4);
  assert.equal(replyOf(t.send({ type: 'pickGroup' }))!.body, { group: 'g1' });
  const groups = (replyOf(t.send({ type: 'groups' }))!.body as { groups: GroupSummary[] }).groups;
  assert.equal(groups.map((g) => [g.name, g.active, g.freeBytes / GiB, g.reportedAt]), [['g1', 2, 80, 4], ['g2', 1, 60, 2], ['g3', 0, 0, 3]]);
});

test('group and tracker together: a node going offline turns the tracker away from its group', () => {
  const g1 = new Group('g1');
  const g2 = new Group('g2');
  const t = new Tracker();
  const deliver = (effects: Effect[], at: number) => {
    for (const e of reportsOf(effects)) t.send(e.body, at);
  };
  deliver(g1.send({ type: 'join', ...report('a', { freeBytes: 300 * GiB }) }, 0), 0);
  deliver(g2.send({ type: 'join', ...report('c', { freeBytes: 100 * GiB }) }, 0), 0);
  assert.equal(replyOf(t.send({ type: 'pickGroup' }))!.body, { group: 'g1' });
  deliver(g2.send({ type: 'beat', ...report('c', { freeBytes: 100 * GiB }) }, 2000), 2000);
  deliver(g1.tick(3000), 3000);
  deliver(g2.tick(3000), 3000);
  assert.equal(replyOf(t.send({ type: 'pickGroup' }))!.body, { group: 'g2' }, 'g1\'s only node is offline');
});

test.run();
