// What a player does to follow a room's timeline, decided purely: given the timeline, the server
// time and what the player measured, the player's next moves (play or pause, the rate, a seek)
// and what to tell the room (ready, stall). The web client, the terminal's mpv driver and tests
// all use this one module. No Node imports, no clock, no I/O.
//
// Rules (issue #10; the anchors: Syncplay slows at 1.5 s, CyTube re-seeks past 2 s,
// OpenTogetherTube past 1 s):
// - Small drift is corrected with the playback rate, never beyond ±5 % of the room's rate, with a
//   dead band (no hunting around 0) and hysteresis.
// - Only a large drift (> seekThresholdMs, about 1 s) seeks, and not more than once every
//   seekCooldownMs. A seek aims where the room will be when it lands (learned seek latency).
// - Before a scheduled start (`at` in the future) and in every state but playing, hold paused at
//   the position; say `ready` once there with data.
// - Buffering while the room plays for longer than stallAfterMs: say `stall` once; when playing
//   again, say `ready`. The others play on; we catch up with the rules above.
// - A start (the room's scheduled one, or our own below) is made early by how long this player
//   takes from play to its first frame, learned from the drift just after each start.
// - Standing while the room already plays (its start reached us late, we just joined): a seek
//   is invisible then, so rather than catching up at +5 % (20 s per second late) we set our own
//   start: seek to where the room will be `rejoinLeadMs` from now, hold, and play at that moment.
//   Its seek's duration teaches how far ahead the next such start goes (a slow link's seeks take
//   longer than the first guess; a start that comes before its seek landed waits for it).
import { targetPosition } from '../timeline.ts';
import type { Timeline } from '../watch.ts';

export interface SyncOptions {
  /** Below this drift nothing is corrected (ms). */
  deadbandMs: number;
  /** Correcting starts above this drift and goes on until it is under deadbandMs (ms). */
  correctAboveMs: number;
  /** The rate correction removes the drift over about this long (ms). */
  horizonMs: number;
  /** The rate never differs from the room's by more than this share. */
  maxRateChange: number;
  /** A drift beyond this seeks (ms). */
  seekThresholdMs: number;
  /** At most one seek this often while playing (ms). */
  seekCooldownMs: number;
  /** Paused: a position this far off is set by a (cheap) seek (ms). */
  holdToleranceMs: number;
  /** Buffering this long while the room plays is a stall (ms). */
  stallAfterMs: number;
  /** First guess of how long a seek takes to land while playing (ms); learned after each seek. */
  seekLatencyMs: number;
  /** Standing while the room plays this far from it: our own start instead of the rate (ms). */
  rejoinAboveMs: number;
  /** ... that far ahead, long enough for a paused seek to land (ms). */
  rejoinLeadMs: number;
  /** First guess of how long the player takes from play to showing frames after a seek (ms); learned after each start. */
  startLeadMs: number;
  /** ... from a pause without a seek since (the decoder is warm: players start much sooner) (ms). */
  warmStartLeadMs: number;
  /** Learn from the drift this long after a start (the first frames are out by then) (ms). */
  learnStartAfterMs: number;
  /**
   * The drift the rate acts on is averaged over about this long (ms). A player measured by its
   * frames sees its position in whole frames: at 15 fps one frame shown a frame late reads as
   * 67 ms behind, and a rate acting on each such sample hunts between −5 % and +5 %.
   */
  smoothMs: number;
  /** While the room prepares a start, seek to its position even when standing there (a fresh preroll starts alike everywhere). */
  primeStarts: boolean;
}

export const defaultSyncOptions: SyncOptions = {
  // a 500 ms horizon reaches the ±5 % cap at 25 ms of drift: the most a gentle rate does (50 ms a
  // second) is spent on any drift worth correcting (with 1000 ms, a page 30 ms off crept back at 3 %)
  // (each page rests anywhere inside ±correctAboveMs without correcting, so two pages can rest
  // twice that apart: at 25, pages sat at −18 and +17 ms, 35 ms apart, for as long as they played)
  deadbandMs: 5, correctAboveMs: 15, horizonMs: 500, maxRateChange: 0.05, seekThresholdMs: 1000,
  seekCooldownMs: 3000, holdToleranceMs: 30, stallAfterMs: 500, seekLatencyMs: 250, rejoinAboveMs: 100, rejoinLeadMs: 250, startLeadMs: 40, warmStartLeadMs: 20, learnStartAfterMs: 300, smoothMs: 250, primeStarts: false,
};

/**
 * For a browser's <video>: Chromium took 70–100 ms from play() to moving frames in the watch
 * benchmark (the lead each page learned), so it starts from there rather than learning it over
 * its first few starts, each of them late (the learning still adapts it to the machine).
 * A paused <video> stands exactly where it was sought (currentTime is the sought time), so a pause
 * puts every page on the room's position: with 30 ms allowed, pages stopped where the pause
 * reached them, up to 40 ms apart, and every resume began that far apart. And a start from a
 * video paused for a while was 30-60 ms apart across pages (their clocks began when their sound
 * came back), while one right after a seek was within a few ms: so every start is prepared by a
 * seek to its position.
 */
export const browserSyncOptions: SyncOptions = { ...defaultSyncOptions, startLeadMs: 80, warmStartLeadMs: 10, holdToleranceMs: 5, primeStarts: true };

/** What the player measured. */
export interface PlayerView {
  /** Media position (ms) at server time `measuredAt`. */
  position: number;
  measuredAt: number;
  paused: boolean;
  /** The player's current rate. */
  rate: number;
  /** Waiting for data (not a seek in progress). */
  buffering: boolean;
  /** A seek is in progress. */
  seeking: boolean;
  /** It has data at its position and can play now. */
  canPlay: boolean;
  /** How long one video frame shows (ms), when known: a paused player can only stand on a frame. */
  frameMs?: number;
}

/** What the decision remembers between calls (start with `initialSyncState()`). */
export interface SyncState {
  /** The epoch we last said `ready` for (-1: none). */
  readyEpoch: number;
  /** The epoch we said `stall` in (null: not stalled). */
  stalledEpoch: number | null;
  /** Server time buffering began while the room played (null: not buffering). */
  bufferingSince: number | null;
  /** Server time of our last seek while playing (null: none yet). */
  lastSeekAt: number | null;
  /** The position we aimed the last seek at while playing (to learn from where it landed). */
  seekAimedAt: number | null;
  /** How long a seek takes to land while playing, as learned. */
  seekLatencyMs: number;
  /** The position we last sought to while holding (it lands on a frame near it: accept that). */
  heldAt: number | null;
  /** The preparing epoch we sought for (primeStarts; -1: none). */
  primedEpoch: number;
  /** Whether the rate is correcting drift now (hysteresis). */
  correcting: boolean;
  /** Our own start while the room plays: play from `position` at server time `at`; its seek went out at `soughtAt` (null: none). */
  rejoin: { epoch: number; position: number; at: number; soughtAt: number; landed: boolean } | null;
  /** How far ahead to set our own start, as learned from how long paused seeks take here. */
  rejoinLeadMs: number;
  /** How early to start after a seek, as learned. */
  startLeadMs: number;
  /** How early to start from a pause with no seek since, as learned. */
  warmStartLeadMs: number;
  /** It has played since its media was loaded (a player that never played starts cold). */
  played: boolean;
  /** A start we made early, at server time `at`: its drift soon after teaches that kind's lead (null: none). */
  started: { at: number; warm: boolean } | null;
  /** The drift averaged over the measurements since playing steadily began (null: none yet). */
  smoothed: { drift: number; at: number } | null;
}

export function initialSyncState(o: SyncOptions = defaultSyncOptions): SyncState {
  return { readyEpoch: -1, stalledEpoch: null, bufferingSince: null, lastSeekAt: null, seekAimedAt: null, seekLatencyMs: o.seekLatencyMs, correcting: false, heldAt: null, primedEpoch: -1, rejoin: null, rejoinLeadMs: o.rejoinLeadMs, startLeadMs: o.startLeadMs, warmStartLeadMs: o.warmStartLeadMs, played: false, started: null, smoothed: null };
}

export interface SyncDecision {
  /** Be playing (true) or paused (false). */
  play: boolean;
  /** The rate to set. */
  rate: number;
  /** Seek here (ms) first. */
  seekTo?: number;
  /** Tell the room. */
  report?: { type: 'ready' | 'stall'; epoch: number };
  /** Where the room is now (ms). */
  target: number;
  /** Our position minus the target (ms), when it means something (playing, or holding). */
  driftMs: number | null;
  /** Decide again at this server time at the latest (a scheduled start); null: at the next measurement. */
  wakeAt: number | null;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** How far ahead to set our own start when a paused seek takes `tookMs`: half again that, and the start's own lead (at most 10 s). */
const rejoinLeadFor = (tookMs: number) => Math.min(10_000, 1.5 * tookMs + 100);

export function decide(s: SyncState, tl: Timeline, now: number, p: PlayerView, o: SyncOptions = defaultSyncOptions): { state: SyncState; decision: SyncDecision } {
  const target = targetPosition({ ...tl, durationMs: tl.media?.durationMs ?? 0 }, now);
  // where the player is now: its measurement moved on at its rate while it played
  const here = p.position + (p.paused || p.buffering || p.seeking ? 0 : p.rate * Math.max(0, now - p.measuredAt));
  let state = s;

  if (!tl.media || tl.state === 'idle') {
    return { state: { ...s, bufferingSince: null, correcting: false }, decision: { play: false, rate: tl.rate, target, driftMs: null, wakeAt: null } };
  }

  // a player that sought while holding starts cold; one that only paused starts at once (in
  // Chromium 70-100 ms against a few): each kind has its own learned lead
  // (decided once per start: playing makes the player warm, and must not move its own start)
  const warm = state.started?.at === tl.at ? state.started.warm : state.played && state.heldAt === null;
  const lead = warm ? state.warmStartLeadMs : state.startLeadMs;
  const running = tl.state === 'playing' && now + lead >= tl.at;
  if (!running) {
    // hold paused at the position (preparing, paused, ended, or before a scheduled start); a
    // seek there lands on a frame, which is as close as a paused player gets: no seeking again
    state = { ...state, bufferingSince: null, correcting: false, seekAimedAt: null, rejoin: null, smoothed: null };
    const off = here - tl.position;
    const decision: SyncDecision = { play: false, rate: tl.rate, target, driftMs: off, wakeAt: tl.state === 'playing' ? tl.at - lead : null };
    const landed = state.heldAt === tl.position && Math.abs(off) <= Math.max(o.holdToleranceMs, p.frameMs ?? 0, 100);
    const prime = o.primeStarts && tl.state === 'preparing' && state.primedEpoch !== tl.epoch;
    if ((Math.abs(off) > Math.max(o.holdToleranceMs, p.frameMs ?? 0) && !landed) || prime) {
      if (!p.seeking) {
        decision.seekTo = tl.position;
        state = { ...state, heldAt: tl.position, primedEpoch: tl.state === 'preparing' ? tl.epoch : state.primedEpoch };
      }
      return { state, decision };
    }
    if (p.canPlay && !p.seeking && (state.readyEpoch < tl.epoch || state.stalledEpoch !== null)) {
      decision.report = { type: 'ready', epoch: tl.epoch };
      state = { ...state, readyEpoch: tl.epoch, stalledEpoch: null };
    }
    return { state, decision };
  }

  state = { ...state, heldAt: null, played: true };
  const drift = here - target;
  const decision: SyncDecision = { play: true, rate: tl.rate, target, driftMs: p.seeking ? null : drift, wakeAt: null };

  // the room's scheduled start, made early by the learned lead when we stand at its position:
  // play, with nothing to correct until the room itself starts
  if (now < tl.at && Math.abs(here - tl.position) <= Math.max(o.holdToleranceMs, p.frameMs ?? 0) + (p.paused ? 0 : lead * tl.rate)) {
    state = { ...state, started: state.started?.at === tl.at ? state.started : { at: tl.at, warm }, correcting: false, smoothed: null };
    return { state, decision: { ...decision, driftMs: null } };
  }

  // our own start (below): stand where we sought until it comes (less the lead), seeking or not
  const rj = state.rejoin;
  if (rj && rj.epoch === tl.epoch) {
    // its seek landed: how long that took says how far ahead the next own start must be
    if (!p.seeking && !rj.landed) {
      const took = now - rj.soughtAt;
      state = { ...state, rejoin: { ...rj, landed: true }, rejoinLeadMs: Math.max(o.rejoinLeadMs, 0.5 * state.rejoinLeadMs + 0.5 * rejoinLeadFor(took)) };
    }
    if (p.paused && now + state.startLeadMs < rj.at) {
      return { state, decision: { ...decision, play: false, driftMs: p.seeking ? null : here - rj.position, wakeAt: rj.at - state.startLeadMs } };
    }
    if (now < rj.at && !p.seeking) {
      state = { ...state, started: { at: rj.at, warm: false }, correcting: false, smoothed: null };
      return { state, decision: { ...decision, driftMs: null } };
    }
    if (p.seeking && p.paused) {
      // the start came before the seek landed (a slow link): playing now would start late and
      // behind; stand until it lands, then set a start far enough ahead for seeks this slow
      state = { ...state, rejoinLeadMs: Math.max(state.rejoinLeadMs, rejoinLeadFor(now - rj.soughtAt)) };
      return { state, decision: { ...decision, play: false, driftMs: null } };
    }
  }
  if (rj) state = { ...state, rejoin: null };

  // standing while the room plays: set our own start a little ahead (a paused seek is invisible)
  // (how far behind playing now would leave us: the time since the room started, and our start lead)
  if (p.paused && !p.seeking && !p.buffering && Math.abs(drift - (drift < 0 ? lead * tl.rate : 0)) > o.rejoinAboveMs) {
    const at = now + state.rejoinLeadMs;
    const position = targetPosition({ ...tl, durationMs: tl.media?.durationMs ?? 0 }, at);
    state = { ...state, rejoin: { epoch: tl.epoch, position, at, soughtAt: now, landed: false }, correcting: false, bufferingSince: null, smoothed: null };
    return { state, decision: { ...decision, play: false, seekTo: position, wakeAt: at } };
  }

  // buffering while the room plays: a stall once it lasts; ready again when it is over
  if (p.buffering) {
    const since = state.bufferingSince ?? now;
    state = { ...state, bufferingSince: since, correcting: false, smoothed: null };
    if (now - since >= o.stallAfterMs && state.stalledEpoch === null) {
      decision.report = { type: 'stall', epoch: tl.epoch };
      state = { ...state, stalledEpoch: tl.epoch };
    }
    return { state, decision };
  }
  state = { ...state, bufferingSince: null };
  if (p.seeking) return { state: { ...state, smoothed: null }, decision };
  if (state.stalledEpoch !== null || state.readyEpoch < tl.epoch) {
    decision.report = { type: 'ready', epoch: tl.epoch };
    state = { ...state, stalledEpoch: null, readyEpoch: tl.epoch };
  }

  // each new measurement moves the average by how long it has been since the last one; in the
  // first half of the time after a start nothing is averaged yet: a browser's currentTime runs
  // ahead of the frames until its audio clock takes over (40 ms in Chromium), and averaged in, it
  // made pages slow down 300 ms into a start that was right
  const prev = state.started && now < state.started.at + o.learnStartAfterMs / 2 ? null : state.smoothed;
  const smooth = !prev || p.measuredAt < prev.at || p.measuredAt - prev.at > 4 * o.smoothMs
    ? drift
    : prev.drift + (1 - Math.exp(-(p.measuredAt - prev.at) / o.smoothMs)) * (drift - prev.drift);
  if (!prev || p.measuredAt !== prev.at) state = { ...state, smoothed: { drift: smooth, at: p.measuredAt } };
  const steady = state.smoothed!.drift;
  decision.driftMs = steady;

  // soon after a start we made, the drift says how much earlier (or later) to start next time
  // (learned halfway, a third of a second at most per start)
  const st = state.started;
  if (st && now >= st.at + o.learnStartAfterMs && p.measuredAt >= st.at + o.learnStartAfterMs && !p.paused) {
    const learned = (was: number) => clamp(was - 0.5 * clamp(steady, -300, 300), 0, 500);
    state = st.warm ? { ...state, warmStartLeadMs: learned(state.warmStartLeadMs), started: null } : { ...state, startLeadMs: learned(state.startLeadMs), started: null };
  }

  // the first measurement after our seek landed says how long seeks take here (learned halfway,
  // a second at most per seek: one that went wrong teaches little)
  if (state.seekAimedAt !== null) {
    state = { ...state, seekLatencyMs: clamp(state.seekLatencyMs - 0.5 * clamp(drift, -1000, 1000), 0, 3000), seekAimedAt: null };
  }

  const cooled = state.lastSeekAt === null || now - state.lastSeekAt >= o.seekCooldownMs;
  if (Math.abs(drift) > o.seekThresholdMs && cooled) {
    const aim = targetPosition({ ...tl, durationMs: tl.media?.durationMs ?? 0 }, now + state.seekLatencyMs);
    decision.seekTo = aim;
    state = { ...state, lastSeekAt: now, seekAimedAt: aim, correcting: false, smoothed: null };
    return { state, decision };
  }

  // just after a start we made, hold the room's rate: the first frames come as soon as the
  // decoder has them, a frame early or late, and a rate set on them overshoots (at 15 fps a
  // page 30 ms early went to 0.95, held its next frame 100 ms and stood 35 ms behind for 2 s);
  // the average over this time is what the rate acts on afterwards, and what the lead learns from
  if (state.started && now < state.started.at + o.learnStartAfterMs) {
    return { state: { ...state, correcting: false }, decision: { ...decision, rate: tl.rate } };
  }

  const correcting = state.correcting ? Math.abs(steady) > o.deadbandMs : Math.abs(steady) > o.correctAboveMs;
  state = { ...state, correcting };
  if (correcting) decision.rate = tl.rate * (1 - clamp(steady / o.horizonMs, -o.maxRateChange, o.maxRateChange));
  return { state, decision };
}
