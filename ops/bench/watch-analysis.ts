// What the watch benchmark computes from what the pages recorded, purely (no clock, no I/O): each
// page's displayed media position at any wall time (from its video frame callbacks, and its
// paused state from a periodic sample), the pairwise drift between pages at common times, how
// long after a command everyone is together again, when a page halted while it should have
// played, and jumps in what it showed. All pages run on one machine, so their times share a clock.

/** A presented video frame (requestVideoFrameCallback): wall time shown, its media time, the rate. */
export interface Frame {
  t: number;
  media: number;
  rate: number;
  paused: boolean;
}

/** A periodic sample of the video element (frames stop while paused; this does not). */
export interface Tick {
  t: number;
  /** currentTime, ms. */
  media: number;
  rate: number;
  paused: boolean;
  seeking: boolean;
}

/** A media event of the video element: pause, play, waiting, playing, seeking, seeked. */
export interface MediaEvent {
  t: number;
  type: string;
  media: number;
}

export interface Trace {
  name: string;
  /** Each sorted by t. */
  frames: Frame[];
  ticks: Tick[];
  events: MediaEvent[];
}

export interface Position {
  media: number;
  playing: boolean;
}

/** Frames of the clips come 42–67 ms apart (24 or 15 fps): a longer gap means the page is not showing new frames. */
export const FRAME_GAP_MS = 250;
/** Ticks come every 50 ms; one older than this says nothing about now. */
export const TICK_GAP_MS = 200;
/** Consecutive frames whose media advance differs from the wall clock's by more than this were not continuous. */
export const JUMP_MS = 40;

/** Index of the last element with t <= at (-1: none). */
export function lastAtOrBefore<T extends { t: number }>(xs: readonly T[], at: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid].t <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * What a page showed at wall time `at`: while paused, the element's position; while playing, the
 * frames' media time interpolated between the frames shown around `at` (extrapolated at the
 * rate across a discontinuity). Null when it is doing neither (seeking, buffering, no data).
 */
export function positionAt(tr: Trace, at: number): Position | null {
  const k = lastAtOrBefore(tr.ticks, at);
  const tick = k >= 0 ? tr.ticks[k] : undefined;
  if (tick && at - tick.t <= TICK_GAP_MS && tick.paused) return { media: tick.media, playing: false };
  let i = lastAtOrBefore(tr.frames, at);
  while (i >= 0 && tr.frames[i].paused) i--;
  if (i < 0) return null;
  const a = tr.frames[i];
  if (at - a.t > FRAME_GAP_MS) return null;
  const b = tr.frames[i + 1];
  if (b && !b.paused && b.t > a.t && b.t - a.t <= FRAME_GAP_MS && Math.abs(b.media - a.media - a.rate * (b.t - a.t)) <= JUMP_MS) {
    return { media: a.media + ((b.media - a.media) * (at - a.t)) / (b.t - a.t), playing: true };
  }
  return { media: a.media + a.rate * (at - a.t), playing: true };
}

/** Nearest-rank percentile of ascending values (NaN when empty). */
export function pct(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const v = [...values].sort((a, b) => a - b);
  return { n: v.length, p50: pct(v, 0.5), p95: pct(v, 0.95), p99: pct(v, 0.99), max: v.length ? v[v.length - 1] : NaN, mean: v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN };
}

export interface DriftStats {
  /** Grid times where every page was playing / all grid times. */
  coverage: number;
  /** |a − b| for every pair of pages at every covered grid time. */
  pairwise: Summary;
  /** Largest minus smallest position at each covered grid time. */
  spread: Summary;
  /** Per page: its position minus where the timeline says the movie is (signed; when `target` is given). */
  vsTimeline: { name: string; signed: Summary; abs: Summary }[];
}

/**
 * Drift between the pages while they all play, on a grid from `from` to `to`. `target` is where
 * the room's timeline says the movie is at a wall time (the server's clock is this machine's).
 */
export function driftStats(traces: readonly Trace[], from: number, to: number, opts: { stepMs?: number; target?: (at: number) => number } = {}): DriftStats {
  const step = opts.stepMs ?? 50;
  const pairs: number[] = [];
  const spreads: number[] = [];
  const signed: number[][] = traces.map(() => []);
  let grid = 0;
  for (let at = from; at <= to; at += step) {
    grid++;
    const ps = traces.map((tr) => positionAt(tr, at));
    if (ps.some((p) => !p || !p.playing)) continue;
    const m = ps.map((p) => p!.media);
    for (let i = 0; i < m.length; i++) for (let j = i + 1; j < m.length; j++) pairs.push(Math.abs(m[i] - m[j]));
    spreads.push(Math.max(...m) - Math.min(...m));
    if (opts.target) {
      const want = opts.target(at);
      m.forEach((x, i) => signed[i].push(x - want));
    }
  }
  return {
    coverage: grid ? spreads.length / grid : 0,
    pairwise: summarize(pairs),
    spread: summarize(spreads),
    vsTimeline: opts.target ? traces.map((tr, i) => ({ name: tr.name, signed: summarize(signed[i]), abs: summarize(signed[i].map(Math.abs)) })) : [],
  };
}

export interface ConvergeOptions {
  /** Everyone within this of each other (ms). */
  tolMs: number;
  /** ... for at least this long (ms). */
  holdMs: number;
  /** Playing (after a seek, a resume, a join) or paused (after a pause). */
  playing: boolean;
  stepMs?: number;
  /** Where the timeline says the movie is: a page farther than `expectTolMs` from it has not followed the command yet. */
  expect?: (at: number) => number;
  expectTolMs?: number;
  /** Only pairs with this page count (a joiner against each of the others). */
  focus?: number;
}

/**
 * How long after `t0` every page (or the `focus` page against each other one) is within `tolMs`
 * of each other, in the wanted state, and stays so for `holdMs`; null if not before `tEnd`.
 */
export function convergeTime(traces: readonly Trace[], t0: number, tEnd: number, o: ConvergeOptions): number | null {
  const step = o.stepMs ?? 20;
  let since: number | null = null;
  for (let at = t0; at <= tEnd; at += step) {
    if (together(traces, at, o)) {
      since ??= at;
      if (at - since >= o.holdMs) return since - t0;
    } else since = null;
  }
  return null;
}

function together(traces: readonly Trace[], at: number, o: ConvergeOptions): boolean {
  const ps = traces.map((tr) => positionAt(tr, at));
  if (ps.some((p) => !p || p.playing !== o.playing)) return false;
  const m = ps.map((p) => p!.media);
  if (o.expect) {
    const want = o.expect(at);
    if (m.some((x) => Math.abs(x - want) > (o.expectTolMs ?? 1000))) return false;
  }
  if (o.focus !== undefined) return m.every((x) => Math.abs(x - m[o.focus!]) <= o.tolMs);
  return Math.max(...m) - Math.min(...m) <= o.tolMs;
}

export interface Interval {
  start: number;
  end: number;
  /** The element said it was paused (not only stuck). */
  paused: boolean;
}

/**
 * When a page halted between `from` and `to` (call it for windows where the room plays): the
 * element paused, or said it was waiting for data, or its position did not advance (under a
 * quarter of the wall clock's pace between two samples) for at least `minMs`. A pause counts
 * however short; intervals that touch are one.
 */
export function halts(tr: Trace, from: number, to: number, opts: { minMs?: number } = {}): Interval[] {
  const min = opts.minMs ?? 150;
  const raw: Interval[] = [];
  const ticks = tr.ticks.filter((x) => x.t >= from && x.t <= to);
  for (let i = 1; i < ticks.length; i++) {
    const a = ticks[i - 1];
    const b = ticks[i];
    const stuck = b.media - a.media < 0.25 * a.rate * (b.t - a.t);
    if (b.paused || stuck) raw.push({ start: a.t, end: b.t, paused: b.paused });
  }
  // event pairs: pause..play and waiting..playing (a short one may fall between two ticks)
  const evs = tr.events.filter((e) => e.t <= to);
  for (const [open, close] of [['pause', 'play'], ['waiting', 'playing']] as const) {
    for (let i = 0; i < evs.length; i++) {
      if (evs[i].type !== open) continue;
      const end = evs.slice(i + 1).find((e) => e.type === close)?.t ?? to;
      if (end < from) continue;
      raw.push({ start: Math.max(from, evs[i].t), end: Math.min(to, end), paused: open === 'pause' });
    }
  }
  raw.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const r of raw) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end + 1) {
      last.end = Math.max(last.end, r.end);
      last.paused ||= r.paused;
    } else merged.push({ ...r });
  }
  return merged.filter((r) => r.paused || r.end - r.start >= min);
}

export interface Jumps {
  /** Largest discontinuity between consecutive frames shown (ms of media; 0: none). */
  max: number;
  /** Discontinuities over JUMP_MS (visible). */
  visible: number;
}

/** A freeze is made up by a skip within this long after it (the player catching up its own clock). */
const CATCH_UP_MS = 1000;

/**
 * Jumps in what a page showed between `from` and `to`: between two consecutive frames, media
 * time that moved ahead of the wall clock (a skip forward) or back (a replay). A freeze (frames
 * late, media not ahead) is a halt, not a jump; and the skip right after one that only makes up
 * for it is the player catching up with its own clock after the machine stalled it, not a
 * change of position: the freeze's deficit is taken off the skip.
 */
export function jumps(tr: Trace, from: number, to: number): Jumps {
  const fs = tr.frames.filter((f) => !f.paused && f.t >= from && f.t <= to);
  let max = 0;
  let visible = 0;
  let owed = 0;
  let owedAt = -Infinity;
  for (let i = 1; i < fs.length; i++) {
    const a = fs[i - 1];
    const b = fs[i];
    const dm = b.media - a.media;
    const ahead = dm - a.rate * (b.t - a.t);
    if (b.t - owedAt > CATCH_UP_MS) owed = 0;
    let j = 0;
    if (dm < 0) {
      j = -dm;
      owed = 0;
    } else if (ahead < 0) {
      owed += -ahead;
      owedAt = b.t;
    } else {
      j = Math.max(0, ahead - owed);
      owed = Math.max(0, owed - ahead);
    }
    max = Math.max(max, j);
    if (j > JUMP_MS) visible++;
  }
  return { max, visible };
}

/** A viewer row as a page showed it (data-drift, data-status), when either changed. */
export interface Reported {
  t: number;
  viewer: string;
  drift: number | null;
  status: string;
}

/** |drift| of the reports between `from` and `to` (one per change of a row; a status change repeats the drift). */
export function reportedDrift(rs: readonly Reported[], from: number, to: number): Summary {
  const seen = new Map<string, number | null>();
  const out: number[] = [];
  for (const r of rs) {
    const again = seen.get(r.viewer) === r.drift;
    seen.set(r.viewer, r.drift);
    if (again || r.t < from || r.t > to || r.drift === null || !Number.isFinite(r.drift)) continue;
    out.push(Math.abs(r.drift));
  }
  return summarize(out);
}

/** The statuses a viewer's row showed between `from` and `to`, in order (repeats dropped). */
export function statusesOf(rs: readonly Reported[], viewer: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (const r of rs) if (r.viewer === viewer && r.t >= from && r.t <= to && r.status !== out[out.length - 1]) out.push(r.status);
  return out;
}

/** A watch.timeline push as it reached a page. */
export interface Push {
  t: number;
  epoch: number;
  state: string;
  /** The timeline's `at`: for a start, when playing is to begin (server time = this machine's). */
  at: number;
  cause: string;
}

/** One page's start after a command: when the start push reached it and when it called play, both against `at`. */
export interface StartLag {
  /** Push arrival minus `at` (ms; below 0: in time). Null: no start push seen. */
  push: number | null;
  /** The page's play() (its 'play' event) minus `at` (ms). Null: not seen. */
  play: number | null;
}

/**
 * The start that followed a command answered with timeline epoch `epoch` (preparing): the first
 * 'playing' push of a later epoch, and for each page when the push reached it and when it began
 * to play, against the start time the room set. Null when no page saw such a push.
 */
export function startLags(pages: readonly { trace: Trace; pushes: readonly Push[] }[], epoch: number): { at: number; lags: StartLag[] } | null {
  const start = pages.flatMap((p) => p.pushes).filter((x) => x.epoch > epoch && x.state === 'playing').sort((a, b) => a.epoch - b.epoch || a.t - b.t)[0];
  if (!start) return null;
  const lags = pages.map((p) => {
    const got = p.pushes.find((x) => x.epoch === start.epoch);
    const play = p.trace.events.find((e) => e.type === 'play' && e.t >= start.at - 1000 && e.t <= start.at + 10_000);
    return { push: got ? got.t - start.at : null, play: play ? play.t - start.at : null };
  });
  return { at: start.at, lags };
}
