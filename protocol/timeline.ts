// The watch timeline's arithmetic, shared by the watch actor (actors/watch) and every player
// (protocol/client/sync.ts): one formula for where a room's movie is at a given server time.
// Pure: no clock, no I/O.

export type TimelineState = 'idle' | 'preparing' | 'playing' | 'paused' | 'ended';

/** The fields the arithmetic needs (the wire Timeline has these and more). */
export interface TimelinePoint {
  state: TimelineState;
  /** Media position (ms) at server time `at`. */
  position: number;
  /** Server time (ms since the epoch) the position refers to; while playing, when playing (re)started. */
  at: number;
  rate: number;
  /** Media length in ms when known (0: unknown). */
  durationMs?: number;
}

/**
 * Where the movie is at server time `now`: `position + rate × (now − at)` while playing (never
 * before `position`: a start scheduled in the future holds at `position` until `at`, and never
 * past the end when the length is known); `position` in every other state.
 */
export function targetPosition(t: TimelinePoint, now: number): number {
  if (t.state !== 'playing') return t.position;
  const p = t.position + t.rate * Math.max(0, now - t.at);
  return t.durationMs ? Math.min(p, t.durationMs) : p;
}

/** Server time at which a playing timeline reaches the end of a movie of `durationMs` (null: never or unknown). */
export function endTime(t: TimelinePoint): number | null {
  if (t.state !== 'playing' || !t.durationMs || t.rate <= 0) return null;
  return t.at + Math.max(0, t.durationMs - t.position) / t.rate;
}
