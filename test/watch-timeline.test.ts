// The watch actor's statechart, driven directly with messages (pure: no runtime, no clock): the
// roster from the room actor, coordinated starts, epochs against stale and retried commands,
// seek coalescing, authority and the control rate limit, stalls with and without the room
// pausing for them, joiners mid-play, the end of the movie, and placement reports to the group.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { targetPosition } from '../protocol/mod.ts';
import { WatchDriver, timelinePushes, media } from './helpers/watch.ts';
import type { Effect } from '../actors/runtime/mod.ts';

const OWNER = 1;
const ADMIN = 2;
const MEMBER = 3;
const STRANGER = 9;

/** A room with a roster and two viewers (the owner's and the member's connections). */
function room(opts: ConstructorParameters<typeof WatchDriver>[1] = {}) {
  const w = new WatchDriver('gaaaaaaaaaaaa', { startLeadMs: 400, prepareMs: 3000, ...opts });
  w.roster({ [OWNER]: 'owner', [ADMIN]: 'admin', [MEMBER]: 'member' }, 1000);
  assert.is(w.send({ type: 'join', user: OWNER, name: 'olga', conn: 'gw1@a/1', gateway: 'gw1@a' }, 1100).reply?.viewer, 'gw1@a/1');
  assert.ok(w.send({ type: 'join', user: MEMBER, name: 'mia', conn: 'gw2@b/7', gateway: 'gw2@b' }, 1200).reply);
  return w;
}

/** Loads the clip and reports both viewers ready: the room plays. */
function playing(w = room()) {
  const load = w.send({ type: 'load', by: OWNER, epoch: w.ctx.epoch, ...media() }, 2000);
  assert.is(load.reply !== undefined, true, JSON.stringify(load.error));
  assert.is(w.value, 'preparing');
  w.send({ type: 'ready', user: OWNER, conn: 'gw1@a/1', epoch: w.ctx.epoch }, 2100);
  w.send({ type: 'ready', user: MEMBER, conn: 'gw2@b/7', epoch: w.ctx.epoch }, 2200);
  assert.is(w.value, 'playing');
  return w;
}

test('join: refused (and the actor not created) until the room actor sent its roster; only members join; roster messages from anyone else are ignored', () => {
  const w = new WatchDriver();
  const first = w.send({ type: 'join', user: OWNER, name: 'olga', conn: 'gw1@a/1', gateway: 'gw1@a' }, 1000);
  assert.is(first.error?.code, 'not_found');
  assert.is(first.effects.length, 1, 'a refusal changes nothing');
  w.send({ type: 'roster', members: { [STRANGER]: 'owner' } }, 1001, 'user.9');
  assert.is(w.ctx.roster, null, 'a roster not from room.<rid> is ignored');
  w.roster({ [OWNER]: 'owner' }, 1002);
  assert.is(w.send({ type: 'join', user: STRANGER, name: 'x', conn: 'gw1@a/2', gateway: 'gw1@a' }, 1003).error?.code, 'forbidden');
  const ok = w.send({ type: 'join', user: OWNER, name: 'olga', conn: 'gw1@a/1', gateway: 'gw1@a' }, 1004);
  assert.equal(ok.reply?.timeline, { epoch: 0, state: 'idle', position: 0, at: 0, rate: 1, media: null });
  assert.is(ok.reply?.mayControl, true);
  assert.ok(ok.effects.some((e) => e.type === 'write' && e.op === 'viewers'), 'the viewer row is written (the reaper finds it)');
  // joining again on the same connection changes nothing
  const again = w.send({ type: 'join', user: OWNER, name: 'olga', conn: 'gw1@a/1', gateway: 'gw1@a' }, 1005);
  assert.is(again.effects.length, 1);
});

test('viewers revisions: every change members see raises it, in pushes and answers alike (a client keeps the highest)', () => {
  const w = room();
  const pushes = (effects: Effect[]) => effects.filter((e): e is Extract<Effect, { type: 'publish' }> => e.type === 'publish').map((e) => (e.body as { push: Record<string, unknown> }).push).filter((p) => p.op === 'watch.viewers');
  const a = w.send({ type: 'join', user: ADMIN, name: 'ada', conn: 'gw1@a/2', gateway: 'gw1@a' }, 3000);
  const revA = (a.reply as { viewersRev: number }).viewersRev;
  assert.equal(pushes(a.effects).map((p) => p.viewersRev), [revA]);
  const b = w.send({ type: 'join', user: MEMBER, name: 'max', conn: 'gw2@b/3', gateway: 'gw2@b' }, 3001);
  const revB = (b.reply as { viewersRev: number }).viewersRev;
  assert.ok(revB > revA, `${revB} > ${revA}`);
  assert.equal(pushes(b.effects).map((p) => p.viewersRev), [revB]);
  // the state answer says which list it is; a join again changes nothing and raises nothing
  assert.is((w.send({ type: 'state', user: ADMIN }, 3002).reply as { viewersRev: number }).viewersRev, revB);
  const again = w.send({ type: 'join', user: MEMBER, name: 'max', conn: 'gw2@b/3', gateway: 'gw2@b' }, 3003);
  assert.equal(pushes(again.effects), []);
  assert.is((again.reply as { viewersRev: number }).viewersRev, revB);
});

test('coordinated start: load prepares at 0; play starts when everyone is ready, at a server time ahead by the lead plus twice the slowest round trip', () => {
  const w = room();
  const load = w.send({ type: 'load', by: OWNER, epoch: 0, ...media() }, 2000);
  assert.is(w.value, 'preparing');
  const tl = load.reply?.timeline as { epoch: number; until: number; position: number };
  assert.is(tl.epoch, 1);
  assert.is(tl.position, 0);
  assert.is(tl.until, 5000, 'the prepare deadline is in the timeline');
  assert.ok(load.effects.some((e) => e.type === 'send' && e.kind === 'group' && e.id === 'g1'), 'the group actor hears what the room watches');
  w.send({ type: 'ready', user: OWNER, conn: 'gw1@a/1', epoch: 1, rttMs: 30 }, 2100);
  assert.is(w.value, 'preparing', 'one viewer is not ready yet');
  const last = w.send({ type: 'ready', user: MEMBER, conn: 'gw2@b/7', epoch: 1, rttMs: 80 }, 2300);
  assert.is(w.value, 'playing');
  const [start] = timelinePushes(last.effects);
  assert.is(start.cause, 'start');
  assert.is(start.timeline.at, 2300 + 400 + 2 * 80);
  assert.is(start.timeline.epoch, 2);
  assert.is(targetPosition(start.timeline, start.timeline.at - 100), 0, 'before the start the target holds at the position');
  assert.is(targetPosition(start.timeline, start.timeline.at + 1000), 1000);
});

test('start lead learned from start reports: a start that reached a viewer late sets the next ones further ahead at once, a generous one brings them back halfway, each start teaches once', () => {
  const w = playing(room({ startLeadMs: 250, startSpareMs: 50 }));
  const first = w.ctx.lastStart!;
  assert.equal(first, { epoch: w.ctx.epoch, leadMs: 250 }, 'no reports yet: the configured lead');
  const seekAndReady = (at: number, start?: { epoch: number; marginMs: number; leadMs: number }) => {
    w.send({ type: 'seek', by: OWNER, epoch: w.ctx.epoch, position: at * 2 }, at);
    w.send({ type: 'ready', user: OWNER, conn: 'gw1@a/1', epoch: w.ctx.epoch }, at + 100);
    const last = w.send({ type: 'ready', user: MEMBER, conn: 'gw2@b/7', epoch: w.ctx.epoch, ...(start ? { start } : {}) }, at + 200);
    assert.is(w.value, 'playing');
    const [pushed] = timelinePushes(last.effects).filter((t) => t.cause === 'start');
    return { lead: pushed.timeline.at - (at + 200), epoch: pushed.timeline.epoch };
  };
  // the member's push came 120 ms after `at`, and its player needs 80 ms before `at`: the start
  // needed 250 + 120 + 80 = 450 ms; the next is set that far plus the spare
  const late = seekAndReady(10_000, { epoch: first.epoch, marginMs: -120, leadMs: 80 });
  assert.is(late.lead, 500);
  assert.is(w.ctx.viewers['gw2@b/7'].nd, 450);
  // the same start reported again (a paused seek's ready) teaches nothing more
  w.send({ type: 'ready', user: MEMBER, conn: 'gw2@b/7', epoch: w.ctx.epoch, start: { epoch: first.epoch, marginMs: -900, leadMs: 80 } }, 10_400);
  assert.is(w.ctx.viewers['gw2@b/7'].nd, 450);
  // that start reached it 400 ms early: it needed only 500 - 400 + 80 = 180; halfway back from 450
  const back = seekAndReady(20_000, { epoch: late.epoch, marginMs: 400, leadMs: 80 });
  assert.is(w.ctx.viewers['gw2@b/7'].nd, 315);
  assert.is(back.lead, 365);
  // a report on a start that is not the last one (it crossed a newer start) is ignored
  seekAndReady(30_000, { epoch: late.epoch, marginMs: -5000, leadMs: 80 });
  assert.is(w.ctx.viewers['gw2@b/7'].nd, 315);
  // the configured lead and the round trips stay the floor; the most is the cap
  const w2 = playing(room({ startLeadMs: 250, startSpareMs: 50, maxStartLeadMs: 2000 }));
  w2.send({ type: 'seek', by: OWNER, epoch: w2.ctx.epoch, position: 1000 }, 10_000);
  w2.send({ type: 'ready', user: OWNER, conn: 'gw1@a/1', epoch: w2.ctx.epoch, start: { epoch: w2.ctx.lastStart!.epoch, marginMs: -60_000, leadMs: 80 } }, 10_100);
  const capped = w2.send({ type: 'ready', user: MEMBER, conn: 'gw2@b/7', epoch: w2.ctx.epoch, start: { epoch: w2.ctx.lastStart!.epoch, marginMs: 500, leadMs: 0 } }, 10_200);
  assert.is(timelinePushes(capped.effects).find((t) => t.cause === 'start')!.timeline.at, 10_200 + 2000);
});

test('the prepare deadline starts the room without a straggler; a joiner while preparing is not waited for', () => {
  const w = room();
  w.send({ type: 'load', by: OWNER, epoch: 0, ...media() }, 2000);
  w.send({ type: 'ready', user: OWNER, conn: 'gw1@a/1', epoch: 1 }, 2100);
  w.send({ type: 'join', user: ADMIN, name: 'adam', conn: 'gw1@a/3', gateway: 'gw1@a' }, 2200);
  assert.equal(w.ctx.waiting, ['gw2@b/7'], 'the owner is ready, the joiner is not waited for');
  assert.is(w.nextDeadline(), 5000);
  const [fired] = w.timers(5000);
  assert.is(w.value, 'playing');
  assert.is(timelinePushes(fired.effects)[0].timeline.at, 5400);
  assert.is(w.ctx.deadlines.prepare, undefined);
  assert.is(w.ctx.deadlines.end, 5400 + 60_000, 'the end of the movie is a deadline');
});

test('epochs: a stale command is refused, a retried one applies once, and nothing undoes a newer change', () => {
  const w = playing();
  const e = w.ctx.epoch;
  const p = w.send({ type: 'pause', by: OWNER, epoch: e }, 10_000);
  assert.is(w.value, 'paused');
  assert.is(w.ctx.epoch, e + 1);
  // the owner's answer was lost; a retry (same command, same epoch) changes nothing
  const retry = w.send({ type: 'pause', by: OWNER, epoch: e }, 10_050);
  assert.is(retry.error, undefined, 'already paused: answered with the timeline');
  assert.is(w.ctx.epoch, e + 1);
  // the member saw epoch e and asks for a seek: it is based on an older timeline
  const stale = w.send({ type: 'seek', by: MEMBER, epoch: e, position: 30_000 }, 10_100);
  assert.is(stale.error?.code, 'conflict');
  assert.is(w.ctx.position, (p.reply?.timeline as { position: number }).position, 'the pause stands');
  // a future epoch is no better
  assert.is(w.send({ type: 'seek', by: MEMBER, epoch: e + 5, position: 1 }, 10_200).error?.code, 'conflict');
});

test('pause holds the target position; play again starts at once when everyone was ready there', () => {
  const w = playing();
  const startAt = w.ctx.at;
  w.send({ type: 'pause', by: MEMBER, epoch: w.ctx.epoch }, startAt + 12_345);
  assert.is(w.ctx.position, 12_345);
  const resumed = w.send({ type: 'play', by: MEMBER, epoch: w.ctx.epoch }, startAt + 20_000);
  assert.is(w.value, 'playing', 'no one needs to get ready: the position did not jump');
  const [prep, start] = timelinePushes(resumed.effects);
  assert.is(prep.timeline.state, 'preparing');
  assert.is(start.timeline.state, 'playing');
  assert.is(start.timeline.position, 12_345);
  assert.ok(start.timeline.at > startAt + 20_000);
});

test('seek while playing: everyone gets ready at the new position, then play resumes together; a paused seek stays paused', () => {
  const w = playing();
  w.send({ type: 'seek', by: OWNER, epoch: w.ctx.epoch, position: 40_000 }, 8000);
  assert.is(w.value, 'preparing');
  assert.is(w.ctx.position, 40_000);
  assert.equal(w.ctx.waiting.sort(), ['gw1@a/1', 'gw2@b/7']);
  // a ready report about the old position does not count
  w.send({ type: 'ready', user: OWNER, conn: 'gw1@a/1', epoch: w.ctx.epoch - 1 }, 8100);
  assert.is(w.value, 'preparing');
  w.send({ type: 'ready', user: OWNER, conn: 'gw1@a/1', epoch: w.ctx.epoch }, 8200);
  w.send({ type: 'ready', user: MEMBER, conn: 'gw2@b/7', epoch: w.ctx.epoch }, 8300);
  assert.is(w.value, 'playing');
  w.send({ type: 'pause', by: OWNER, epoch: w.ctx.epoch }, 20_000);
  w.send({ type: 'seek', by: OWNER, epoch: w.ctx.epoch, position: 5000 }, 21_000);
  assert.is(w.value, 'paused');
  assert.is(w.ctx.position, 5000);
  assert.is(w.ctx.posEpoch, w.ctx.epoch, 'viewers must get ready at the new position');
});

test('seeks within 150 ms coalesce: the first applies, the burst\'s last position applies when it ends, once', () => {
  const w = room();
  w.send({ type: 'load', by: OWNER, epoch: 0, ...media() }, 2000);
  w.send({ type: 'pause', by: OWNER, epoch: 1 }, 2100);
  const base = w.ctx.epoch;
  const first = w.send({ type: 'seek', by: OWNER, epoch: base, position: 1000 }, 3000);
  assert.is(w.ctx.epoch, base + 1);
  assert.is(first.reply?.pending, undefined);
  // dragging: the member's next seeks are based on the epoch before the burst or after its first seek
  const second = w.send({ type: 'seek', by: OWNER, epoch: base, position: 2000 }, 3050);
  const third = w.send({ type: 'seek', by: OWNER, epoch: base + 1, position: 3000 }, 3100);
  assert.is(second.reply?.pending, true);
  assert.is(third.reply?.pending, true);
  assert.is(w.ctx.epoch, base + 1, 'no new timeline while the burst lasts');
  assert.is(timelinePushes([...second.effects, ...third.effects]).length, 0);
  assert.is(w.nextDeadline(), 3150);
  const [end] = w.timers(3150);
  assert.is(w.ctx.position, 3000);
  assert.is(w.ctx.epoch, base + 2);
  assert.is(timelinePushes(end.effects).length, 1);
  // after the burst a seek based on an old epoch is stale again
  assert.is(w.send({ type: 'seek', by: OWNER, epoch: base, position: 9000 }, 3400).error?.code, 'conflict');
  assert.is(w.timers(3400).length, 0, 'no burst deadline left');
});

test('who may control is a room setting: everyone, admins (and the owner), or the owner; only the owner and admins change it', () => {
  const w = playing();
  assert.is(w.send({ type: 'settings', by: MEMBER, control: 'admins' }, 5000).error?.code, 'forbidden');
  assert.is(w.send({ type: 'settings', by: ADMIN, control: 'owner' }, 5001).error?.code, 'forbidden', 'an admin cannot hand control to the owner alone');
  const set = w.send({ type: 'settings', by: ADMIN, control: 'admins' }, 5002);
  assert.equal(set.reply?.settings, { control: 'admins', pauseForStalls: false });
  assert.is(w.send({ type: 'pause', by: MEMBER, epoch: w.ctx.epoch }, 5003).error?.code, 'forbidden');
  assert.is(w.send({ type: 'pause', by: ADMIN, epoch: w.ctx.epoch }, 5004).error, undefined);
  w.send({ type: 'settings', by: OWNER, control: 'owner' }, 5005);
  assert.is(w.send({ type: 'play', by: ADMIN, epoch: w.ctx.epoch }, 5006).error?.code, 'forbidden');
  assert.is(w.send({ type: 'play', by: STRANGER, epoch: w.ctx.epoch }, 5007).error?.code, 'forbidden');
  assert.is(w.send({ type: 'play', by: OWNER, epoch: w.ctx.epoch }, 5008).error, undefined);
});

test('each user has a control rate limit (burst, then a refill per minute)', () => {
  const w = room({ controlBurst: 3, controlPerMinute: 60 });
  w.send({ type: 'load', by: OWNER, epoch: 0, ...media() }, 2000);
  w.send({ type: 'pause', by: OWNER, epoch: 1 }, 2001);
  w.send({ type: 'seek', by: OWNER, epoch: 2, position: 1 }, 2002);
  const limited = w.send({ type: 'seek', by: OWNER, epoch: 3, position: 2 }, 2500);
  assert.is(limited.error?.code, 'rate_limited');
  assert.is(w.send({ type: 'seek', by: MEMBER, epoch: 3, position: 2 }, 2501).error, undefined, 'another user has a bucket of their own');
  assert.is(w.send({ type: 'seek', by: OWNER, epoch: 4, position: 3 }, 3500).error, undefined, 'a token came back after a second');
});

test('a joiner mid-play never pauses the others: no new timeline, it catches up from the one it gets', () => {
  const w = playing();
  const e = w.ctx.epoch;
  const joined = w.send({ type: 'join', user: ADMIN, name: 'adam', conn: 'gw1@a/3', gateway: 'gw1@a' }, 9000);
  assert.is(w.value, 'playing');
  assert.is(w.ctx.epoch, e);
  assert.is(timelinePushes(joined.effects).length, 0);
  assert.is((joined.reply?.timeline as { state: string }).state, 'playing');
});

test('a stalled member: by default the others play on; with pauseForStalls the room waits for it, at most stallPauseMs, and not for one that keeps stalling', () => {
  const w = playing(room({ stallPauseMs: 8000, stallPauseLimit: 2 }));
  const e = w.ctx.epoch;
  const stalled = w.send({ type: 'stall', user: MEMBER, conn: 'gw2@b/7', epoch: e }, 10_000);
  assert.is(w.value, 'playing');
  assert.is(w.ctx.epoch, e, 'nobody is paused');
  assert.ok(stalled.effects.some((x) => x.type === 'publish' && JSON.stringify(x.body).includes('"stalled"')), 'the others see it buffer');
  w.send({ type: 'ready', user: MEMBER, conn: 'gw2@b/7', epoch: e }, 11_000);

  w.send({ type: 'settings', by: OWNER, pauseForStalls: true }, 12_000);
  const startAt = w.ctx.at;
  w.send({ type: 'stall', user: MEMBER, conn: 'gw2@b/7', epoch: w.ctx.epoch }, 13_000);
  assert.is(w.value, 'preparing', 'the room holds for the staller');
  assert.is(w.ctx.position, 13_000 - startAt, 'where the movie was');
  assert.equal(w.ctx.waiting, ['gw2@b/7'], 'only the staller is waited for');
  assert.is(w.ctx.deadlines.prepare, 21_000);
  w.send({ type: 'ready', user: MEMBER, conn: 'gw2@b/7', epoch: w.ctx.epoch }, 14_000);
  assert.is(w.value, 'playing', 'it recovered: play on together');

  // the second pause is cut at the cap
  w.send({ type: 'stall', user: MEMBER, conn: 'gw2@b/7', epoch: w.ctx.epoch }, 20_000);
  assert.is(w.value, 'preparing');
  w.timers(28_000);
  assert.is(w.value, 'playing', 'never stuck: the cap ends the wait');
  // a third stall within the window: the room no longer pauses for this member
  const e3 = w.ctx.epoch;
  w.send({ type: 'stall', user: MEMBER, conn: 'gw2@b/7', epoch: e3 }, 40_000);
  assert.is(w.value, 'playing');
  assert.is(w.ctx.epoch, e3);
});

test('the movie ends at its length (rate taken into account); play from the end starts over', () => {
  const w = playing();
  const startAt = w.ctx.at;
  w.send({ type: 'rate', by: OWNER, epoch: w.ctx.epoch, rate: 2 }, startAt + 10_000);
  assert.is(w.ctx.position, 10_000);
  assert.is(w.ctx.deadlines.end, startAt + 10_000 + 25_000);
  const [end] = w.timers(startAt + 35_000);
  assert.is(w.value, 'ended');
  assert.is(w.ctx.position, 60_000);
  assert.is(timelinePushes(end.effects)[0].cause, 'end');
  w.send({ type: 'play', by: OWNER, epoch: w.ctx.epoch }, startAt + 40_000);
  assert.is(w.value, 'preparing');
  assert.is(w.ctx.position, 0);
});

test('viewers go: leave, gateway lost, removed from the room; the group actor hears each viewer list, with a rising version', () => {
  const w = playing();
  w.send({ type: 'join', user: ADMIN, name: 'adam', conn: 'gw2@b/9', gateway: 'gw2@b' }, 9000);
  const syncs: { version: number; viewers: string[] }[] = [];
  const collect = (s: { effects: { type: string }[] }) => {
    for (const e of s.effects) if (e.type === 'send') syncs.push((e as unknown as { body: { version: number; viewers: string[] } }).body);
  };
  collect(w.send({ type: 'gatewayDown', gateway: 'gw2@b' }, 9100));
  assert.equal(Object.keys(w.ctx.viewers), ['gw1@a/1']);
  collect(w.send({ type: 'member', user: OWNER, role: null }, 9200, `room.${w.rid}`));
  assert.equal(w.ctx.viewers, {});
  assert.equal(syncs.map((s) => s.viewers), [['gw1@a/1'], []]);
  assert.ok(syncs[1].version > syncs[0].version);
  assert.is(w.value, 'playing', 'an empty room keeps its timeline');
});

test('a member removed from the room is told its watch ended (and its gateway stops relaying)', () => {
  const w = playing();
  const r = w.send({ type: 'member', user: MEMBER, role: null }, 9000, `room.${w.rid}`);
  const told = r.effects.find((e) => e.type === 'publish' && e.subject === `evt.user.${MEMBER}`) as { body: { watch: unknown; push: { op: string } } } | undefined;
  assert.equal(told?.body.watch, { leave: [w.rid] });
  assert.is(told?.body.push.op, 'watch.left');
  assert.is(w.send({ type: 'pause', by: MEMBER, epoch: w.ctx.epoch }, 9001).error?.code, 'forbidden');
});

test('source: only this room\'s viewers get the movie to read, with the placement version', () => {
  const w = playing();
  assert.is(w.send({ type: 'source', user: MEMBER, conn: 'gw1@a/1' }, 9000).error?.code, 'forbidden', 'another user\'s connection');
  const s = w.send({ type: 'source', user: MEMBER, conn: 'gw2@b/7' }, 9001);
  assert.is(s.reply?.file, 'g1-1-aaaaaaaaaaaa');
  assert.is(s.reply?.version, w.ctx.vv);
});

test.run();
