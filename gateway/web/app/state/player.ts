// The phases of the web client's video player in a watch room, as a statechart: nothing loaded
// (empty), reading the movie's metadata from a media server (loading), following the room's
// timeline (following), held back by the browser's autoplay policy until the user clicks to join
// (blocked), finding another media server after a read error (recovering), and no media server
// holding the movie right now (unavailable: tried again after a while). What the player does in
// each phase (net/video-follower.ts) is I/O; which phase it is in is decided here, purely.
import { setup, assign } from 'xstate';

export interface PlayerContext {
  /** The media server (storage node) the video reads from, and the file. */
  node: string;
  file: string;
  /** Why the last source failed or could not be had. */
  problem: string;
  /** Read errors in a row (reset when a source plays). */
  failures: number;
}

export type PlayerEvent =
  | { type: 'SOURCE'; node: string; file: string }
  | { type: 'LOADED' }
  | { type: 'BLOCKED' }
  | { type: 'GESTURE' }
  | { type: 'FAILED'; problem: string }
  | { type: 'NO_SOURCE'; problem: string }
  | { type: 'RETRY' }
  | { type: 'UNLOAD' };

export type PlayerPhase = 'empty' | 'loading' | 'following' | 'blocked' | 'recovering' | 'unavailable';

const initial: PlayerContext = { node: '', file: '', problem: '', failures: 0 };

export const playerMachine = setup({
  types: { context: {} as PlayerContext, events: {} as PlayerEvent },
  actions: {
    source: assign(({ event }) => (event.type === 'SOURCE' ? { node: event.node, file: event.file, problem: '' } : {})),
    problem: assign(({ event, context }) => (event.type === 'FAILED' || event.type === 'NO_SOURCE' ? { problem: event.problem, failures: context.failures + (event.type === 'FAILED' ? 1 : 0) } : {})),
    healthy: assign({ failures: 0 }),
    clear: assign(() => initial),
  },
}).createMachine({
  id: 'player',
  context: initial,
  initial: 'empty',
  on: {
    // a new movie (or a fresh ticket for this one) replaces whatever the video was doing
    SOURCE: { target: '.loading', actions: 'source' },
    UNLOAD: { target: '.empty', actions: 'clear' },
    NO_SOURCE: { target: '.unavailable', actions: 'problem' },
  },
  states: {
    empty: {},
    loading: {
      on: {
        LOADED: 'following',
        FAILED: { target: 'recovering', actions: 'problem' },
      },
    },
    following: {
      entry: 'healthy',
      on: {
        BLOCKED: 'blocked',
        FAILED: { target: 'recovering', actions: 'problem' },
      },
    },
    blocked: {
      on: {
        GESTURE: 'following',
        FAILED: { target: 'recovering', actions: 'problem' },
      },
    },
    recovering: {},
    unavailable: {
      on: { RETRY: 'recovering' },
    },
  },
});
