// The watch benchmark's analysis (ops/bench/watch-analysis.ts) on made-up traces: positions from
// frames and paused samples, pairwise drift, the time until everyone is together after a command,
// halts and jumps. Pure and fast: no browser, no system.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { positionAt, driftStats, convergeTime, halts, jumps, reportedDrift, statusesOf, startLags, summarize, type Trace } from '../ops/bench/watch-analysis.ts';

const FRAME = 1000 / 15;

/** What a page shows: segments of wall time, each playing from `media` (or holding it, paused). */
function trace(name: string, segments: { from: number; to: number; media: number; playing: boolean; rate?: number; stuck?: boolean }[], vsync = 0): Trace {
  const tr: Trace = { name, frames: [], ticks: [], events: [] };
  for (const s of segments) {
    const rate = s.rate ?? 1;
    if (s.playing && !s.stuck) {
      // frames at the clip's pace, shown on the next vsync (when given) like a compositor does
      for (let m = s.media; ; m += FRAME) {
        const ideal = s.from + (m - s.media) / rate;
        if (ideal >= s.to) break;
        const t = vsync ? Math.ceil(ideal / vsync) * vsync : ideal;
        tr.frames.push({ t, media: m, rate, paused: false });
      }
    }
    for (let t = Math.ceil(s.from / 50) * 50; t < s.to; t += 50) {
      tr.ticks.push({ t, media: s.playing && !s.stuck ? s.media + rate * (t - s.from) : s.media, rate, paused: !s.playing, seeking: false });
    }
  }
  return tr;
}

test('positionAt interpolates between frames while playing and reads the element while paused', () => {
  const tr = trace('a', [{ from: 0, to: 1000, media: 5000, playing: true }, { from: 1000, to: 2000, media: 5999, playing: false }]);
  const p = positionAt(tr, 500)!;
  assert.ok(p.playing);
  assert.ok(Math.abs(p.media - 5500) < 1, `${p.media}`);
  assert.equal(positionAt(tr, 1500), { media: 5999, playing: false });
  assert.is(positionAt(tr, 5000), null, 'no samples: unknown');
});

test('driftStats: a page 20 ms ahead of the other, and each page against the timeline', () => {
  const a = trace('a', [{ from: 0, to: 5000, media: 1000, playing: true }], 1000 / 60);
  const b = trace('b', [{ from: 0, to: 5000, media: 1020, playing: true }], 1000 / 60);
  const s = driftStats([a, b], 500, 4500, { target: (at) => 1000 + at });
  assert.ok(s.coverage > 0.99, `coverage ${s.coverage}`);
  // vsync quantization moves each page's frames by up to one vsync (16.7 ms)
  assert.ok(Math.abs(s.pairwise.p50 - 20) <= 17, `p50 ${s.pairwise.p50}`);
  assert.ok(s.pairwise.max <= 20 + 17, `max ${s.pairwise.max}`);
  assert.ok(s.vsTimeline[1].signed.mean > s.vsTimeline[0].signed.mean + 10, 'b is ahead of a against the timeline');
  assert.ok(s.vsTimeline[0].abs.p99 <= 17);
});

test('driftStats counts only times when every page plays', () => {
  const a = trace('a', [{ from: 0, to: 2000, media: 0, playing: true }]);
  const b = trace('b', [{ from: 0, to: 1000, media: 0, playing: true }, { from: 1000, to: 2000, media: 1000, playing: false }]);
  const s = driftStats([a, b], 0, 2000);
  assert.ok(s.coverage > 0.45 && s.coverage < 0.55, `coverage ${s.coverage}`);
});

test('convergeTime: after a seek, the last page to land decides; never together: null', () => {
  // a seek at t=1000 to 10 000: a plays there from 1200, b from 1700 (b shows its old place until then)
  const a = trace('a', [{ from: 0, to: 1000, media: 0, playing: true }, { from: 1000, to: 1200, media: 1000, playing: false }, { from: 1200, to: 5000, media: 10_000, playing: true }]);
  const b = trace('b', [{ from: 0, to: 1700, media: 0, playing: true }, { from: 1700, to: 5000, media: 10_500, playing: true }]);
  const expect = (at: number) => 10_000 + Math.max(0, at - 1200);
  const t = convergeTime([a, b], 1000, 5000, { tolMs: 40, holdMs: 1000, playing: true, expect });
  assert.ok(t !== null && t >= 700 && t <= 760, `converged after ${t}`);
  // both play their old places together for 500 ms after the seek: only the timeline tells
  const late = (name: string) => trace(name, [{ from: 0, to: 1500, media: 0, playing: true }, { from: 1500, to: 5000, media: 10_000, playing: true }]);
  assert.is(convergeTime([late('x'), late('y')], 1000, 5000, { tolMs: 40, holdMs: 200, playing: true }), 0);
  assert.is(convergeTime([late('x'), late('y')], 1000, 5000, { tolMs: 40, holdMs: 200, playing: true, expect: (at) => 10_000 + Math.max(0, at - 1500) }), 500);
  const c = trace('c', [{ from: 0, to: 5000, media: 100, playing: true }]);
  assert.is(convergeTime([a, c], 1000, 5000, { tolMs: 40, holdMs: 500, playing: true }), null);
});

test('convergeTime: paused together, and a joiner against each of the others', () => {
  const a = trace('a', [{ from: 0, to: 1000, media: 0, playing: true }, { from: 1000, to: 3000, media: 1000, playing: false }]);
  const b = trace('b', [{ from: 0, to: 1300, media: 0, playing: true }, { from: 1300, to: 3000, media: 1000, playing: false }]);
  const t = convergeTime([a, b], 1000, 3000, { tolMs: 40, holdMs: 500, playing: false, expect: () => 1000 });
  assert.ok(t !== null && t >= 300 && t <= 320, `paused together after ${t}`);
  // others 30 ms apart; the joiner lands between them at 2000
  const x = trace('x', [{ from: 0, to: 6000, media: 0, playing: true }]);
  const y = trace('y', [{ from: 0, to: 6000, media: 30, playing: true }]);
  const j = trace('j', [{ from: 2000, to: 6000, media: 2015, playing: true }]);
  const tj = convergeTime([x, y, j], 1000, 6000, { tolMs: 40, holdMs: 1000, playing: true, focus: 2 });
  assert.ok(tj !== null && tj >= 1000 && tj <= 1260, `joiner after ${tj}`);
});

test('halts: a pause counts however short, a stuck position from 150 ms, touching ones are one', () => {
  const tr = trace('a', [
    { from: 0, to: 1000, media: 0, playing: true },
    { from: 1000, to: 1400, media: 1000, playing: false },
    { from: 1400, to: 3000, media: 1000, playing: true },
    // stuck (buffering, not paused): the position holds for 400 ms
    { from: 3000, to: 3400, media: 2600, playing: true, stuck: true },
    { from: 3400, to: 5000, media: 2600, playing: true },
  ]);
  const h = halts(tr, 0, 5000);
  assert.is(h.length, 2, JSON.stringify(h));
  assert.ok(h[0].paused && !h[1].paused);
  assert.ok(h[1].end - h[1].start >= 350);
  // a 'waiting' event between two samples counts too
  tr.events.push({ t: 4500, type: 'waiting', media: 3700 }, { t: 4520, type: 'playing', media: 3700 });
  assert.is(halts(tr, 0, 5000).length, 2, 'short waiting below minMs is dropped');
  tr.events.push({ t: 4700, type: 'pause', media: 3900 }, { t: 4710, type: 'play', media: 3900 });
  assert.is(halts(tr, 0, 5000).length, 3, 'a pause event counts');
  assert.is(halts(tr, 4000, 5000).length, 1, 'only inside the window');
});

test('jumps: skips forward and back are visible, vsync jitter and frame drops are not', () => {
  const steady = trace('a', [{ from: 0, to: 3000, media: 0, playing: true }], 1000 / 60);
  assert.ok(jumps(steady, 0, 3000).max < 20, `jitter only: ${jumps(steady, 0, 3000).max}`);
  assert.is(jumps(steady, 0, 3000).visible, 0);
  const dropped = trace('b', [{ from: 0, to: 3000, media: 0, playing: true }]);
  dropped.frames = dropped.frames.filter((_, i) => i % 3 !== 1);
  assert.is(jumps(dropped, 0, 3000).visible, 0, 'a dropped frame is no jump');
  const skip = trace('c', [{ from: 0, to: 1000, media: 0, playing: true }, { from: 1000, to: 2000, media: 1300, playing: true }, { from: 2000, to: 3000, media: 2100, playing: true }]);
  const j = jumps(skip, 0, 3000);
  assert.is(j.visible, 2);
  assert.ok(Math.abs(j.max - 300) < FRAME, `max ${j.max}`);
  const freeze = trace('d', [{ from: 0, to: 1000, media: 0, playing: true }, { from: 1500, to: 3000, media: 1000, playing: true }]);
  assert.is(jumps(freeze, 0, 3000).visible, 0, 'a freeze is a halt, not a jump');
  // the machine stalls the page for 120 ms; its clock went on, so it skips to catch up: no jump
  const stutter = trace('e', [{ from: 0, to: 3000, media: 0, playing: true }]);
  const k = stutter.frames.findIndex((f) => f.t >= 1000);
  const m = stutter.frames[k].media;
  // the frame due at ~1000 shows 100 ms late, the next one skips to where the clock is
  stutter.frames.splice(k, 2, { t: stutter.frames[k].t + 100, media: m, rate: 1, paused: false });
  assert.is(jumps(stutter, 0, 3000).visible, 0, `a stall caught up is no jump: ${jumps(stutter, 0, 3000).max}`);
  // but a skip beyond what a freeze owed is
  const past = trace('f', [{ from: 0, to: 1000, media: 0, playing: true }, { from: 1200, to: 3000, media: 1700, playing: true }]);
  assert.is(jumps(past, 0, 3000).visible, 1);
  assert.ok(Math.abs(jumps(past, 0, 3000).max - 500) < FRAME, `${jumps(past, 0, 3000).max}`);
});

test('reportedDrift, statusesOf and summarize', () => {
  const rs = [
    { t: 1, viewer: 'a', drift: -12, status: 'ready' }, { t: 2, viewer: 'b', drift: 3, status: 'ready' }, { t: 2.5, viewer: 'a', drift: -12, status: 'stalled' },
    { t: 3, viewer: 'a', drift: null, status: 'loading' }, { t: 4, viewer: 'a', drift: 7, status: 'ready' }, { t: 99, viewer: 'a', drift: 500, status: 'ready' },
  ];
  const s = reportedDrift(rs, 0, 10);
  assert.is(s.n, 3, 'a status change alone is no new report');
  assert.is(s.max, 12);
  assert.equal(statusesOf(rs, 'a', 0, 10), ['ready', 'stalled', 'loading', 'ready']);
  const z = summarize([]);
  assert.is(z.n, 0);
  assert.ok(Number.isNaN(z.p99));
});

test('startLags: the start push of a later epoch, each page\'s push arrival and play() against its start time', () => {
  const a = { trace: trace('a', []), pushes: [{ t: 900, epoch: 7, state: 'preparing', at: 800, cause: 'seek' }, { t: 1700, epoch: 8, state: 'playing', at: 2000, cause: 'start' }] };
  const b = { trace: trace('b', []), pushes: [{ t: 950, epoch: 7, state: 'preparing', at: 800, cause: 'seek' }, { t: 2150, epoch: 8, state: 'playing', at: 2000, cause: 'start' }] };
  a.trace.events.push({ t: 400, type: 'play', media: 0 }, { t: 2005, type: 'play', media: 5000 });
  b.trace.events.push({ t: 2160, type: 'play', media: 5000 });
  const r = startLags([a, b], 7)!;
  assert.is(r.at, 2000);
  assert.equal(r.lags, [{ push: -300, play: 5 }, { push: 150, play: 160 }]);
  assert.is(startLags([a, b], 8), null, 'no later start');
});

test.run();
