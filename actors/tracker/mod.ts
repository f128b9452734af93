// actors/tracker: the tracker actor (kind `tracker`, id `main`): every storage group with its
// nodes and states, as the group actors report them; picks the group for a new user.
import { TrackerMessage } from '../../protocol/mod.ts';
import { defineKind } from '../runtime/mod.ts';
import { trackerMachine } from './machine.ts';

/** The one tracker's id: the groups are few, and each reports only material changes. */
export const TRACKER_ID = 'main';

export const trackerKind = defineKind({
  kind: 'tracker',
  machine: trackerMachine,
  version: 1,
  messages: TrackerMessage,
  // the list of groups is read from the holder's memory (no mailbox, no transaction)
  queries: ['groups'],
});

export type { TrackerContext, TrackerEvent } from './machine.ts';
export * as trackerRules from './groups.ts';
