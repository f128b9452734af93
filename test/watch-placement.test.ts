// Rooms on media servers (seed 000 bullets 3 and 5), the pure placement rules: one holder per
// room while it has capacity, a second holder when it is full, release at a room viewer count of
// 0, the mapping cleared when the room empties, stale and early viewer lists, node failures.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { placementRules as P, groupKind, type Placements } from '../actors/group/mod.ts';
import { step, initialState } from '../actors/runtime/mod.ts';
import type { GroupMember } from '../protocol/mod.ts';

type M = Omit<GroupMember, 'node'>;
const node = (over: Partial<M> = {}): M => ({
  url: 'http://n', state: 'active', appliedSeq: 10, lagRecords: 0, activeTransfers: 0, assigned: 0,
  bytesInPerSecond: 0, bytesOutPerSecond: 0, freeBytes: 1e9, totalBytes: 2e9, startedAt: 1, joinedAt: 1, lastBeatAt: 1, ...over,
});
// a, b, c hold the file (binlog seq 5); d has not replicated it yet
const members = { a: node(), b: node(), c: node(), d: node({ appliedSeq: 3 }) };
const file = { id: 'g1-1-aaaaaaaaaaaa', origin: 'a', binlogSeq: 5 };
const cap = { viewersPerNode: 2, bytesPerSecond: 0 };

function placeAll(p: Placements, room: string, viewers: string[], m: Record<string, M> = members, version = 1): { p: Placements; nodes: string[] } {
  p = P.syncViewers(p, { room, version, file, viewers });
  const nodes: string[] = [];
  for (const v of viewers) {
    const r = P.place(p, m, { room, viewer: v, version, file }, cap);
    if ('refused' in r) throw new Error(`${v} refused: ${r.refused}`);
    p = r.placements;
    nodes.push(r.node);
  }
  return { p, nodes };
}

test('a room\'s viewers read from one holder while it has capacity; a full node gets a second holder added to the room', () => {
  const { p, nodes } = placeAll({}, 'r1', ['v1', 'v2', 'v3', 'v4', 'v5']);
  assert.equal(nodes, ['a', 'a', 'b', 'b', 'c']);
  assert.equal(p.r1.nodes, ['a', 'b', 'c']);
  assert.not.ok(nodes.includes('d'), 'never a node that does not hold the file');
  assert.equal(P.roomsView(p), [{ room: 'r1', file: file.id, viewers: 5, nodes: [{ node: 'a', viewers: 2 }, { node: 'b', viewers: 2 }, { node: 'c', viewers: 1 }] }]);
});

test('capacity counts every room on a node, and bytes/s from heartbeats when configured', () => {
  let { p } = placeAll({}, 'r1', ['v1', 'v2']);
  const r = P.place(P.syncViewers(p, { room: 'r2', version: 1, file, viewers: ['w1'] }), members, { room: 'r2', viewer: 'w1', version: 1, file }, cap);
  assert.ok(!('refused' in r) && r.node === 'b', 'a is full with r1\'s viewers: r2 starts on the least loaded holder');
  const busy = { ...members, a: node({ bytesOutPerSecond: 9e6 }) };
  p = P.syncViewers({}, { room: 'r3', version: 1, file, viewers: ['x'] });
  const byBytes = P.place(p, busy, { room: 'r3', viewer: 'x', version: 1, file }, { viewersPerNode: 100, bytesPerSecond: 5e6 });
  assert.ok(!('refused' in byBytes) && byBytes.node !== 'a', 'a sends more than its bytes/s capacity');
});

test('every holder full: the least loaded serves anyway (a movie beats a refusal)', () => {
  const small = { a: node(), b: node() };
  const { nodes } = placeAll({}, 'r1', ['v1', 'v2', 'v3', 'v4', 'v5'], small);
  assert.equal(nodes, ['a', 'a', 'b', 'b', 'a']);
});

test('viewers leave: a node whose room viewer count falls to 0 is released; the last viewer clears the room', () => {
  let { p } = placeAll({}, 'r1', ['v1', 'v2', 'v3']);
  assert.equal(p.r1.nodes, ['a', 'b']);
  p = P.syncViewers(p, { room: 'r1', version: 2, file, viewers: ['v1', 'v2'] });
  assert.equal(p.r1.nodes, ['a'], 'b served only v3');
  p = P.syncViewers(p, { room: 'r1', version: 3, file, viewers: [] });
  assert.equal(p, {});
  assert.is(P.nodeViewers(p, 'a'), 0);
});

test('viewer lists are versioned: an old or repeated one changes nothing; a place before its list arrives is provisional', () => {
  let { p } = placeAll({}, 'r1', ['v1']);
  const same = P.syncViewers(p, { room: 'r1', version: 1, file, viewers: [] });
  assert.is(same, p, 'a repeated (or older) list is ignored');
  // the watch actor admitted v2 at version 2; its list is still on the way when v2 asks
  const early = P.place(p, members, { room: 'r1', viewer: 'v2', version: 2, file }, cap);
  assert.ok(!('refused' in early));
  p = (early as { placements: Placements }).placements;
  p = P.syncViewers(p, { room: 'r1', version: 2, file, viewers: ['v1', 'v2'] });
  assert.is(p.r1.viewers.v2, 'a', 'confirmed by the list, placement kept');
  // v3 joined and left (version 4) before its place arrived: it is gone
  p = P.syncViewers(p, { room: 'r1', version: 4, file, viewers: ['v1', 'v2'] });
  const late = P.place(p, members, { room: 'r1', viewer: 'v3', version: 3, file }, cap);
  assert.equal(late, { refused: 'gone' });
  // a provisional viewer the list does not confirm is dropped
  const ghost = P.place(p, members, { room: 'r1', viewer: 'v9', version: 5, file }, cap) as { placements: Placements };
  p = P.syncViewers(ghost.placements, { room: 'r1', version: 5, file, viewers: ['v1', 'v2'] });
  assert.not.ok('v9' in p.r1.viewers);
});

test('a new movie resets the room\'s nodes; a place for the old movie after that is stale', () => {
  let { p } = placeAll({}, 'r1', ['v1', 'v2', 'v3']);
  const other = { id: 'g1-2-bbbbbbbbbbbb', origin: 'c', binlogSeq: 9 };
  p = P.syncViewers(p, { room: 'r1', version: 2, file: other, viewers: ['v1', 'v2', 'v3'] });
  assert.equal(p.r1.nodes, []);
  assert.equal(P.place(p, members, { room: 'r1', viewer: 'v1', version: 1, file }, cap), { refused: 'gone' });
  const r = P.place(p, members, { room: 'r1', viewer: 'v1', version: 2, file: other }, cap);
  assert.ok(!('refused' in r) && r.node !== 'd');
});

test('node failure mid-play: the viewer avoiding it gets another holder; an offline node is dropped from every room', () => {
  let { p } = placeAll({}, 'r1', ['v1', 'v2']);
  const moved = P.place(p, members, { room: 'r1', viewer: 'v1', version: 1, file, avoid: 'a' }, cap);
  assert.ok(!('refused' in moved) && moved.node === 'b');
  p = (moved as { placements: Placements }).placements;
  assert.equal(p.r1.viewers, { v1: 'b', v2: 'a' });
  p = P.dropNode(p, 'a');
  assert.equal(p.r1.nodes, ['b']);
  assert.is(p.r1.viewers.v2, null);
  const offline = { ...members, a: node({ state: 'offline' }) };
  const again = P.place(p, offline, { room: 'r1', viewer: 'v2', version: 1, file }, cap);
  assert.ok(!('refused' in again) && again.node === 'b');
  // no active holder at all
  const none = { a: node({ state: 'offline' }), d: node({ appliedSeq: 1 }) };
  assert.equal(P.place(p, none, { room: 'r1', viewer: 'v2', version: 1, file }, cap), { refused: 'none' });
  // the failed node is the only holder left: try it again rather than nothing
  const only = P.place({}, { a: node() }, { room: 'r9', viewer: 'x', version: 0, file, avoid: 'a' }, cap);
  assert.ok(!('refused' in only) && only.node === 'a');
});

test('the group actor takes a room\'s viewer list only from that room\'s watch actor', () => {
  const kind = groupKind({ missedBeats: 3 });
  let state = initialState(kind, 'g1').state;
  const send = (body: Record<string, unknown>, from?: string) => {
    const event: { type: string; meta: unknown } = { type: String(body.type), ...body, meta: { at: 1, key: `k${Math.random()}`, asked: false, ...(from ? { from } : {}) } };
    state = step(kind, state, event).state;
  };
  const list = { type: 'viewers', room: 'gaaaaaaaaaaaa', version: 1, file, viewers: ['gw/1'] };
  send(list, 'gateway.gw1');
  send(list, 'watch.gbbbbbbbbbbbb');
  assert.equal((state.context as { rooms: Placements }).rooms, {}, 'not from the room\'s watch actor: ignored');
  send(list, 'watch.gaaaaaaaaaaaa');
  assert.equal(Object.keys((state.context as { rooms: Placements }).rooms), ['gaaaaaaaaaaaa']);
});

test.run();
