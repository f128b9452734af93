// actors/watch: one watch actor per room (kind `watch`, id = the room): the sole writer of the
// room's playback timeline, its viewers and watch settings. Membership and roles come from the
// room actor (roster, then a message per change); placement on media servers is the storage
// group actor's (it hears the viewers from here).
import { WatchMessage } from '../../protocol/mod.ts';
import { defineKind } from '../runtime/mod.ts';
import { watchMachine } from './machine.ts';
import { writeRoom, writeViewers } from './writers.ts';
import { defaultWatchOptions, type WatchOptions } from './rules.ts';

export function watchKind(opts: Partial<WatchOptions> = {}) {
  return defineKind({
    kind: 'watch',
    machine: watchMachine({ ...defaultWatchOptions, ...opts }),
    version: 1,
    messages: WatchMessage,
    input: (id) => ({ rid: id }),
    writers: { room: writeRoom, viewers: writeViewers },
  });
}

export { defaultWatchOptions, type WatchOptions, type WatchContext, type State as WatchState } from './rules.ts';
export type { WatchEvent } from './machine.ts';
export * as watchRules from './rules.ts';
