// The client library's pure watch modules: the NTP-style clock estimate (lowest round trips win)
// and the sync decisions every player follows (rate within ±5 % for small drift, a seek only for
// a large one and not more than once per cooldown, holds before a scheduled start, ready and
// stall reports), including a simulated player converging from small and large drifts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ClockEstimator, ClockSync, decide, initialSyncState, defaultSyncOptions, browserSyncOptions, type PlayerView, type SyncState } from '../protocol/client/mod.ts';
import type { Timeline } from '../protocol/mod.ts';
import { prng } from './helpers/prng.ts';

test('clock: the offset of symmetric samples is exact; the lowest round trips win over queued ones', () => {
  const c = new ClockEstimator({ keep: 16, best: 4 });
  assert.is(c.offset, null);
  // the server is 5000 ms ahead; the network takes 10 ms each way
  c.add(1000, 6010, 1020);
  assert.is(c.offset, 5000);
  assert.is(c.rtt, 20);
  // queued samples: the answer waited 300 ms on the way back (offset seems 150 ms lower)
  for (let i = 0; i < 6; i++) c.add(2000 + i * 1000, 7010 + i * 1000, 2320 + i * 1000);
  assert.is(c.offset, 5000 - 150 + 0, 'only one good sample, three queued ones among the best four: the median leans on them');
  for (let i = 0; i < 3; i++) c.add(9000 + i * 100, 14_011 + i * 100, 9022 + i * 100);
  assert.ok(Math.abs(c.offset! - 5000) <= 1, `four good samples now: ${c.offset}`);
  assert.is(c.uncertainty, 11);
  assert.is(c.serverTime(20_000), 20_000 + c.offset!);
  assert.is(c.add(5, 10, 4), null, 'a negative round trip is no sample');
});

test('clock: random jitter, the estimate stays within the best round trip\'s half', () => {
  const rnd = prng(42);
  const c = new ClockEstimator();
  const offset = -12_345.6;
  for (let i = 0; i < 40; i++) {
    const sent = i * 15_000;
    const up = 2 + rnd() * 40;
    const down = 2 + rnd() * 40;
    c.add(sent, sent + up + offset, sent + up + down);
  }
  assert.ok(Math.abs(c.offset! - offset) <= c.uncertainty!, `${c.offset} vs ${offset} ± ${c.uncertainty}`);
});

test('clock sync: samples taken on a congested, lopsided link are replaced soon after it clears, not minutes later', async () => {
  // a fake network on a fake local clock: the server's clock equals ours; the way up takes `up` ms, the way back `down`
  let local = 1_000_000;
  let up = 300;
  let down = 20;
  const client = {
    request: async () => {
      const server = local + up;
      local += up + down;
      return { now: server };
    },
    on: () => {},
    off: () => {},
  };
  // periodic samples only every minute: only the uncertain path can fix the estimate in time
  const sync = new ClockSync(client as never, { burst: 5, burstGapMs: 1, everyMs: 60_000, uncertainEveryMs: 5, now: () => local });
  try {
    await sync.start();
    assert.ok(sync.estimator.offset! > 100, `lopsided congestion skews the estimate (${sync.estimator.offset} ms)`);
    assert.ok(sync.uncertain, 'and the estimate knows it rests on slow round trips');
    up = 1;
    down = 1;
    const deadline = Date.now() + 20_000;
    // (the burst after the first fast sample is in flight meanwhile: wait for all of it)
    while ((Math.abs(sync.estimator.offset!) > 2 || sync.uncertain) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.ok(Math.abs(sync.estimator.offset!) <= 2, `after the link cleared: ${sync.estimator.offset} ms`);
    assert.not.ok(sync.uncertain);
  } finally {
    sync.stop();
  }
});

const media = { file: 'g1-1-aaaaaaaaaaaa', title: 't', durationMs: 600_000, size: 1, contentType: 'video/mp4', source: 'library' as const };
const tl = (over: Partial<Timeline>): Timeline => ({ epoch: 5, state: 'playing', position: 10_000, at: 100_000, rate: 1, media, ...over });
const player = (over: Partial<PlayerView>): PlayerView => ({ position: 0, measuredAt: 0, paused: false, rate: 1, buffering: false, seeking: false, canPlay: true, ...over });

test('hold: before a scheduled start the player waits paused at the position, is told when to wake, and says ready once', () => {
  const t = tl({ at: 100_000 });
  let s = initialSyncState();
  let r = decide(s, t, 99_000, player({ position: 3000, measuredAt: 99_000, paused: true }));
  assert.is(r.decision.play, false);
  assert.is(r.decision.seekTo, 10_000);
  assert.is(r.decision.wakeAt, 100_000 - defaultSyncOptions.startLeadMs, 'woken early by the (first guess of the) start lead');
  assert.is(r.decision.report, undefined, 'not there yet');
  s = r.state;
  r = decide(s, t, 99_200, player({ position: 10_000, measuredAt: 99_200, paused: true }));
  assert.equal(r.decision.report, { type: 'ready', epoch: 5 });
  r = decide(r.state, t, 99_300, player({ position: 10_000, measuredAt: 99_300, paused: true }));
  assert.is(r.decision.report, undefined, 'once per epoch');
  r = decide(r.state, t, 100_000, player({ position: 10_000, measuredAt: 100_000, paused: true }));
  assert.is(r.decision.play, true, 'the start time came');
  assert.is(r.decision.seekTo, undefined);
});

test('start lead: a scheduled start is made early by how long the player takes to show frames, learned from the drift after it', () => {
  const t = tl({ at: 100_000 });
  const lead0 = defaultSyncOptions.startLeadMs;
  let r = decide(initialSyncState(), t, 99_000, player({ position: 10_000, measuredAt: 99_000, paused: true }));
  assert.is(r.decision.wakeAt, 100_000 - lead0);
  // woken early: play, with nothing to correct before the room starts
  r = decide(r.state, t, 100_000 - lead0, player({ position: 10_000, measuredAt: 100_000 - lead0, paused: true }));
  assert.is(r.decision.play, true);
  assert.is(r.decision.rate, 1);
  assert.is(r.decision.driftMs, null);
  r = decide(r.state, t, 99_990, player({ position: 10_000, measuredAt: 99_990, paused: false }));
  assert.is(r.decision.play, true);
  assert.is(r.decision.rate, 1, 'still nothing to correct');
  // its first frames came 100 ms later than the lead allowed for: 100 ms behind
  const at = 100_000 + defaultSyncOptions.learnStartAfterMs + 50;
  r = decide(r.state, t, at, player({ position: 10_000 + (at - 100_000) - 100, measuredAt: at, paused: false }));
  assert.ok(Math.abs((r.decision.driftMs ?? 0) + 100) < 1e-6);
  assert.is(r.state.startLeadMs, lead0 + 50, 'half the miss is learned');
  assert.is(r.state.started, null, 'once per start');
  // the next start after a seek is made that much earlier
  const next = tl({ epoch: 6, at: 200_000, position: 50_000 });
  const seeking = decide(r.state, next, 199_000, player({ position: 10_000, measuredAt: 199_000, paused: true }));
  assert.is(seeking.decision.seekTo, 50_000);
  const held = decide(seeking.state, next, 199_100, player({ position: 50_000, measuredAt: 199_100, paused: true }));
  assert.is(held.decision.wakeAt, 200_000 - (lead0 + 50));
});

test('just after a start: the first frames (a frame early) set no rate; the drift that lasts is corrected once the start has settled', () => {
  const t = tl({ at: 100_000 });
  const lead0 = defaultSyncOptions.startLeadMs;
  let r = decide(initialSyncState(), t, 99_000, player({ position: 10_000, measuredAt: 99_000, paused: true }));
  r = decide(r.state, t, 100_000 - lead0, player({ position: 10_000, measuredAt: 100_000 - lead0, paused: true }));
  assert.is(r.decision.play, true);
  // the first frame came 32 ms early, then frames run 35 ms late: no rate until the start settled
  r = decide(r.state, t, 100_040, player({ position: 10_067, measuredAt: 100_035 }));
  assert.is(r.decision.rate, 1, 'a frame early right after the start: no 0.95');
  for (let now = 100_100; now < 100_000 + defaultSyncOptions.learnStartAfterMs; now += 50) {
    r = decide(r.state, t, now, player({ position: 10_000 + (now - 100_000) - 35, measuredAt: now }));
    assert.is(r.decision.rate, 1, `still settling at +${now - 100_000}`);
  }
  // settled: what lasted (behind) is corrected, faster
  for (let now = 100_300; now <= 100_600; now += 50) r = decide(r.state, t, now, player({ position: 10_000 + (now - 100_000) - 35, measuredAt: now }));
  assert.ok(r.decision.rate > 1, `behind: faster (${r.decision.rate})`);
});

test('just after a start: the player\'s early readings (a browser\'s currentTime runs ahead of its first frames) are not averaged into the drift the rate and the lead act on', () => {
  const t = tl({ at: 100_000 });
  const lead0 = defaultSyncOptions.startLeadMs;
  let r = decide(initialSyncState(), t, 99_000, player({ position: 10_000, measuredAt: 99_000, paused: true }));
  r = decide(r.state, t, 100_000 - lead0, player({ position: 10_000, measuredAt: 100_000 - lead0, paused: true }));
  // 40 ms ahead for the first 50 ms, then the frames: 5 ms ahead
  for (let now = 100_010; now <= 100_050; now += 10) r = decide(r.state, t, now, player({ position: 10_000 + (now - 100_000) + 40, measuredAt: now }));
  for (let now = 100_060; now <= 100_400; now += 20) r = decide(r.state, t, now, player({ position: 10_000 + (now - 100_000) + 5, measuredAt: now }));
  assert.is(r.decision.rate, 1, 'on time: no correction');
  assert.ok(Math.abs(r.state.startLeadMs - (lead0 - 2.5)) < 1, `the lead learns from the frames (5 ms early), not from the early readings: ${r.state.startLeadMs}`);
});

test('start lead: a start from a plain pause (warm) and one after a seek (cold) each have their own learned lead', () => {
  const o = { ...defaultSyncOptions, startLeadMs: 80, warmStartLeadMs: 10 };
  // it played, then the room paused at 20 000 where the player stands (no seek needed)
  let r = decide(initialSyncState(o), tl({ epoch: 5, at: 0, position: 0 }), 20_000, player({ position: 20_000, measuredAt: 20_000 }), o);
  assert.is(r.state.played, true);
  const paused = tl({ epoch: 6, state: 'paused', position: 20_000, at: 20_000 });
  r = decide(r.state, paused, 21_000, player({ position: 20_000, measuredAt: 21_000, paused: true }), o);
  assert.is(r.decision.seekTo, undefined, 'standing where the room paused');
  // the resume: warm, so it wakes only the warm lead early
  const resume = tl({ epoch: 7, position: 20_000, at: 30_000 });
  r = decide(r.state, resume, 29_000, player({ position: 20_000, measuredAt: 29_000, paused: true }), o);
  assert.is(r.decision.wakeAt, 30_000 - 10);
  r = decide(r.state, resume, 29_990, player({ position: 20_000, measuredAt: 29_990, paused: true }), o);
  assert.is(r.decision.play, true);
  // a cold start keeps its own lead once playing (being played makes the player warm, but this
  // start was decided cold): the element's events between play() and the start must not pause it
  const cold = tl({ epoch: 9, position: 0, at: 60_000 });
  let c = decide(initialSyncState(o), cold, 59_900, player({ position: 0, measuredAt: 59_900, paused: true }), o);
  c = decide(c.state, cold, 59_921, player({ position: 0, measuredAt: 59_921, paused: true }), o);
  assert.is(c.decision.play, true, 'woken 80 ms early');
  for (const t of [59_930, 59_950, 59_985]) {
    c = decide(c.state, cold, t, player({ position: 0, measuredAt: t, paused: false, buffering: true }), o);
    assert.is(c.decision.play, true, `still playing at ${t}`);
  }
  // it started 40 ms late: the warm lead learns half of that, the cold one stays
  const at = 30_000 + o.learnStartAfterMs + 10;
  r = decide(r.state, resume, at, player({ position: 20_000 + (at - 30_000) - 40, measuredAt: at }), o);
  assert.is(r.state.warmStartLeadMs, 30);
  assert.is(r.state.startLeadMs, 80);
  // a seek: the player seeks while holding, so the start is cold and wakes the cold lead early
  const sought = tl({ epoch: 8, position: 5000, at: 40_000 });
  r = decide(r.state, sought, 39_000, player({ position: 21_000, measuredAt: 39_000, paused: true }), o);
  assert.is(r.decision.seekTo, 5000);
  r = decide(r.state, sought, 39_200, player({ position: 5000, measuredAt: 39_200, paused: true }), o);
  assert.is(r.decision.wakeAt, 40_000 - 80);
  // a player that never played starts cold too
  const fresh = decide(initialSyncState(o), tl({ epoch: 1, position: 0, at: 50_000 }), 49_000, player({ position: 0, measuredAt: 49_000, paused: true }), o);
  assert.is(fresh.decision.wakeAt, 50_000 - 80);
});

test('hold: a seek lands on a frame near the position; the player takes it, says ready, and does not seek again', () => {
  const t = tl({ state: 'paused', position: 12_345 });
  let r = decide(initialSyncState(), t, 1000, player({ position: 3000, measuredAt: 1000, paused: true }));
  assert.is(r.decision.seekTo, 12_345);
  // it landed on the next frame of a 15 fps video, 55 ms off
  r = decide(r.state, t, 1200, player({ position: 12_400, measuredAt: 1200, paused: true }));
  assert.is(r.decision.seekTo, undefined, 'no seek loop');
  assert.equal(r.decision.report, { type: 'ready', epoch: 5 });
  // knowing the frame length does the same without the first guess
  const known = decide(initialSyncState(), t, 1000, player({ position: 12_400, measuredAt: 1000, paused: true, frameMs: 1000 / 15 }));
  assert.is(known.decision.seekTo, undefined);
});

test('a browser after a pause: a page that stopped 20 ms past the position seeks to it (a paused video stands where it was sought), so every page resumes from the same place', () => {
  const t = tl({ state: 'paused', position: 12_345 });
  const past = decide(initialSyncState(browserSyncOptions), t, 1000, player({ position: 12_365, measuredAt: 1000, paused: true }), browserSyncOptions);
  assert.is(past.decision.seekTo, 12_345);
  const there = decide(past.state, t, 1100, player({ position: 12_345, measuredAt: 1100, paused: true }), browserSyncOptions);
  assert.is(there.decision.seekTo, undefined);
  assert.equal(there.decision.report, { type: 'ready', epoch: 5 });
  // the default (mpv, the client library) allows 30 ms: its position is read, not set
  assert.is(decide(initialSyncState(), t, 1000, player({ position: 12_365, measuredAt: 1000, paused: true })).decision.seekTo, undefined);
});

test('a browser prepares every start with a seek to its position, even standing there; ready once it landed; once per epoch', () => {
  const t = tl({ state: 'preparing', position: 12_345, epoch: 8 });
  let r = decide(initialSyncState(browserSyncOptions), t, 1000, player({ position: 12_345, measuredAt: 1000, paused: true }), browserSyncOptions);
  assert.is(r.decision.seekTo, 12_345);
  assert.is(r.decision.report, undefined, 'not ready before the seek');
  r = decide(r.state, t, 1050, player({ position: 12_345, measuredAt: 1050, paused: true, seeking: true, canPlay: false }), browserSyncOptions);
  assert.is(r.decision.seekTo, undefined);
  r = decide(r.state, t, 1100, player({ position: 12_345, measuredAt: 1100, paused: true }), browserSyncOptions);
  assert.is(r.decision.seekTo, undefined);
  assert.equal(r.decision.report, { type: 'ready', epoch: 8 });
  // a paused room is not a start being prepared: no seek where we stand
  assert.is(decide(initialSyncState(browserSyncOptions), tl({ state: 'paused', position: 12_345 }), 1000, player({ position: 12_345, measuredAt: 1000, paused: true }), browserSyncOptions).decision.seekTo, undefined);
});

test('small drift: the rate corrects it, within ±5 %, with a dead band and hysteresis', () => {
  const t = tl({ at: 0, position: 0 });
  const at = (drift: number, s: SyncState = initialSyncState(), now = 50_000) => decide(s, t, now, player({ position: now + drift, measuredAt: now }));
  assert.is(at(12).decision.rate, 1, 'inside the dead band');
  const ahead = at(40);
  assert.ok(ahead.decision.rate < 1 && ahead.decision.rate >= 0.95, `ahead: slower (${ahead.decision.rate})`);
  const behind = at(-300);
  assert.is(behind.decision.rate, 1.05, 'behind: faster, capped at +5 %');
  assert.is(at(900).decision.rate, 0.95, 'capped at −5 % below the seek threshold');
  assert.is(at(900).decision.seekTo, undefined);
  // hysteresis: once correcting, it goes on down to the dead band (measured a while later: a fresh average)
  assert.ok(at(18, ahead.state, 52_000).decision.rate < 1);
  assert.is(at(4, ahead.state, 52_000).decision.rate, 1);
  const fast = decide(initialSyncState(), { ...t, rate: 2 }, 50_000, player({ position: 100_100, measuredAt: 50_000, rate: 2 }));
  assert.ok(fast.decision.rate <= 2 && fast.decision.rate >= 1.9, 'relative to the room\'s rate');
});

test('frame-sized noise: samples a frame apart around a small drift do not make the rate hunt; a real drift under them is still corrected', () => {
  const t = tl({ at: 0, position: 0 });
  const frame = 1000 / 15;
  // at 15 fps a frame shown a frame late reads 67 ms lower: samples alternate around the true drift
  const run = (truth: number) => {
    let s = initialSyncState();
    const rates: number[] = [];
    for (let i = 0; i < 45; i++) {
      const now = 50_000 + i * frame;
      const sample = truth + (i % 2 ? 33 : -33);
      const r = decide(s, t, now, player({ position: now + sample, measuredAt: now }));
      s = r.state;
      if (i >= 8) rates.push(r.decision.rate);
    }
    return rates;
  };
  const calm = run(-4);
  assert.ok(calm.every((r) => r === 1) || !(calm.some((r) => r >= 1.04) && calm.some((r) => r <= 0.96)), `no hunting between −5 % and +5 %: ${calm.map((r) => r.toFixed(3)).join(' ')}`);
  assert.ok(calm.slice(-10).every((r) => Math.abs(r - 1) < 0.02), 'settled near the room\'s rate');
  const behind = run(-60);
  assert.ok(behind.slice(-10).every((r) => r > 1.02), `60 ms behind under the noise: faster (${behind.slice(-10).map((r) => r.toFixed(3)).join(' ')})`);
});

test('large drift: one seek aimed ahead by the seek latency, then none during the cooldown; the latency is learned', () => {
  const t = tl({ at: 0, position: 0 });
  let r = decide(initialSyncState(), t, 50_000, player({ position: 40_000, measuredAt: 50_000 }));
  assert.is(r.decision.seekTo, 50_000 + defaultSyncOptions.seekLatencyMs);
  r = decide(r.state, t, 51_000, player({ position: 45_000, measuredAt: 51_000 }));
  assert.is(r.decision.seekTo, undefined, 'cooling down');
  assert.is(r.decision.rate, 1.05, 'the rate does what it can meanwhile');
  assert.is(r.state.seekAimedAt, null);
  assert.is(r.state.seekLatencyMs, defaultSyncOptions.seekLatencyMs + 500, 'the seek landed 5 s short: seeks take longer here (learned halfway, at most a second per seek)');
  r = decide(r.state, t, 54_000, player({ position: 48_000, measuredAt: 54_000 }));
  assert.ok(r.decision.seekTo !== undefined, 'after the cooldown, another seek');
});

test('stalls: buffering while the room plays is reported once after a while, and ready when it is over', () => {
  const t = tl({ at: 0, position: 0 });
  let r = decide(initialSyncState(), t, 10_000, player({ position: 10_000, measuredAt: 10_000 }));
  assert.equal(r.decision.report, { type: 'ready', epoch: 5 }, 'playing in a new epoch: ready');
  r = decide(r.state, t, 11_000, player({ position: 10_900, measuredAt: 11_000, buffering: true }));
  assert.is(r.decision.report, undefined, 'a short wait is no stall');
  r = decide(r.state, t, 11_600, player({ position: 10_900, measuredAt: 11_600, buffering: true }));
  assert.equal(r.decision.report, { type: 'stall', epoch: 5 });
  r = decide(r.state, t, 12_000, player({ position: 10_900, measuredAt: 12_000, buffering: true }));
  assert.is(r.decision.report, undefined, 'once');
  r = decide(r.state, t, 13_000, player({ position: 11_000, measuredAt: 13_000 }));
  assert.equal(r.decision.report, { type: 'ready', epoch: 5 });
  assert.ok(r.decision.seekTo !== undefined, '2 s behind: it catches up by itself');
});

test('a start that came late: seek while still standing, hold, and play at our own start, not +5 % for seconds', () => {
  const t = tl({ at: 100_000, position: 10_000 });
  // the start push came 300 ms after the room began to play: we stand at 10 000, the room is at 10 300
  let r = decide(initialSyncState(), t, 100_300, player({ position: 10_000, measuredAt: 100_300, paused: true }));
  const lead = defaultSyncOptions.rejoinLeadMs;
  assert.is(r.decision.play, false);
  assert.is(r.decision.seekTo, 10_300 + lead, 'where the room will be when we start');
  assert.is(r.decision.wakeAt, 100_300 + lead);
  // the seek is under way, then landed: stand until our start
  r = decide(r.state, t, 100_350, player({ position: 10_000, measuredAt: 100_350, paused: true, seeking: true }));
  assert.is(r.decision.play, false, 'no play while the seek lands');
  assert.is(r.decision.seekTo, undefined);
  r = decide(r.state, t, 100_400, player({ position: 10_300 + lead, measuredAt: 100_400, paused: true }));
  assert.is(r.decision.play, false);
  assert.is(r.decision.driftMs, 0, 'standing exactly where we will start');
  // our start: play, in step with the room
  r = decide(r.state, t, 100_300 + lead, player({ position: 10_300 + lead, measuredAt: 100_300 + lead, paused: true }));
  assert.is(r.decision.play, true);
  assert.is(r.decision.seekTo, undefined);
  assert.is(r.decision.driftMs, 0);
  assert.is(r.state.rejoin, null);
  // a little late (under rejoinAboveMs) is the rate's to fix: play at once
  const slight = decide(initialSyncState(), t, 100_060, player({ position: 10_000, measuredAt: 100_060, paused: true }));
  assert.is(slight.decision.play, true);
  assert.is(slight.decision.seekTo, undefined);
  assert.ok(slight.decision.rate > 1);
  // a new epoch meanwhile forgets our own start
  const moved = decide(r.state, { ...t, epoch: 6, state: 'paused' }, 100_300, player({ position: 10_550, measuredAt: 100_300, paused: true }));
  assert.is(moved.state.rejoin, null);
});

test('a start that came a little late: when playing now would leave us more than rejoinAboveMs behind (the time missed plus our start lead), our own start; just late, play at once', () => {
  const t = tl({ at: 100_000, position: 10_000 });
  const lead = defaultSyncOptions.startLeadMs;
  // 60 ms late: playing now shows frames 60 + lead ms behind, over rejoinAboveMs
  const late = 100_000 + defaultSyncOptions.rejoinAboveMs - lead + 20;
  const r = decide(initialSyncState(), t, late, player({ position: 10_000, measuredAt: late, paused: true }));
  assert.is(r.decision.play, false);
  assert.ok(r.decision.seekTo !== undefined && r.decision.seekTo > 10_000 + (late - 100_000), 'its own start, ahead of the room');
  // a few ms late: play
  const barely = 100_000 + defaultSyncOptions.rejoinAboveMs - lead - 20;
  const r2 = decide(initialSyncState(), t, barely, player({ position: 10_000, measuredAt: barely, paused: true }));
  assert.is(r2.decision.play, true);
  assert.is(r2.decision.seekTo, undefined);
});

test('a slow link: when our own start comes before its seek landed, stand until it lands and set the next start far enough ahead for seeks that slow', () => {
  const t = tl({ at: 100_000, position: 10_000 });
  const lead = defaultSyncOptions.rejoinLeadMs;
  // standing 1 s behind a playing room: our own start, `lead` ahead
  let r = decide(initialSyncState(), t, 101_000, player({ position: 10_000, measuredAt: 101_000, paused: true }));
  assert.is(r.decision.seekTo, 11_000 + lead);
  // the seek takes 700 ms here: our start comes first; stand, do not play into a seek
  for (const now of [101_100, 101_000 + lead, 101_600]) {
    r = decide(r.state, t, now, player({ position: 10_000, measuredAt: now, paused: true, seeking: true }));
    assert.is(r.decision.play, false, `standing at ${now}`);
    assert.is(r.decision.seekTo, undefined);
  }
  assert.ok(r.state.rejoinLeadMs >= 1.5 * 600, `the lead grew past what seeks take (${r.state.rejoinLeadMs})`);
  // it landed, behind the room: a new start, far enough ahead this time
  r = decide(r.state, t, 101_700, player({ position: 11_000 + lead, measuredAt: 101_700, paused: true }));
  const next = r.state.rejoin!;
  assert.ok(next.at - 101_700 >= 1.5 * 700, `the next start is ${next.at - 101_700} ms ahead`);
  assert.is(r.decision.seekTo, next.position);
  // this seek lands in 700 ms too, before the start: play at the start, in step
  r = decide(r.state, t, 102_400, player({ position: next.position, measuredAt: 102_400, paused: true }));
  assert.is(r.decision.play, false);
  r = decide(r.state, t, next.at, player({ position: next.position, measuredAt: next.at, paused: true }));
  assert.is(r.decision.play, true);
  assert.is(r.decision.driftMs, 0);
});

test('paused, preparing, ended and idle: never play; a paused room holds the position', () => {
  for (const state of ['paused', 'preparing', 'ended'] as const) {
    const r = decide(initialSyncState(), tl({ state }), 200_000, player({ position: 10_005, measuredAt: 200_000, paused: true }));
    assert.is(r.decision.play, false);
    assert.is(r.decision.seekTo, undefined, 'within the hold tolerance');
  }
  const idle = decide(initialSyncState(), { ...tl({ state: 'idle' }), media: null }, 1, player({}));
  assert.is(idle.decision.play, false);
});

/**
 * A player that follows the decisions: it plays at the rate it is given, its seeks land after
 * `seekMs`, its measurement is a little noisy. Returns the drift over time.
 */
function simulate(startDrift: number, seekMs: number, seconds: number, seed: number) {
  const rnd = prng(seed);
  const t = tl({ at: 0, position: 0 });
  let now = 10_000;
  let pos = 10_000 + startDrift;
  let rate = 1;
  let seeking: { until: number; to: number } | null = null;
  let s = initialSyncState();
  let seeks = 0;
  const drifts: number[] = [];
  for (let step = 0; step < seconds * 10; step++) {
    now += 100;
    if (seeking && now >= seeking.until) {
      pos = seeking.to + (now - seeking.until) * rate;
      seeking = null;
    } else if (!seeking) pos += 100 * rate;
    const r = decide(s, t, now, player({ position: pos + (rnd() - 0.5) * 4, measuredAt: now, rate, seeking: seeking !== null }));
    s = r.state;
    rate = r.decision.rate;
    if (r.decision.seekTo !== undefined) {
      seeks++;
      seeking = { until: now + seekMs, to: r.decision.seekTo };
    }
    if (!seeking) drifts.push(pos - now);
    assert.ok(Math.abs(rate - 1) <= 0.05 + 1e-9, `rate ${rate}`);
  }
  return { drifts, seeks };
}

test('a player converges: 300 ms of drift by rate alone, 8 s by one seek', () => {
  const small = simulate(300, 200, 20, 1);
  assert.is(small.seeks, 0);
  assert.ok(Math.abs(small.drifts.at(-1)!) < 15, `${small.drifts.at(-1)}`);
  const large = simulate(-8000, 400, 20, 2);
  assert.ok(large.seeks >= 1 && large.seeks <= 2, `${large.seeks} seeks`);
  assert.ok(Math.abs(large.drifts.at(-1)!) < 15, `${large.drifts.at(-1)}`);
});

test.run();
