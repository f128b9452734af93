// actors/group: one storage-group actor per group (kind `group`, id = the group name). Storage
// nodes join and beat to it; it keeps their states and replication progress, answers upload and
// read targets, and reports material changes to the tracker.
import { GroupMessage } from '../../protocol/mod.ts';
import { defineKind } from '../runtime/mod.ts';
import { groupMachine } from './machine.ts';
import type { Capacity } from './placement.ts';

/** How much a media server takes by default: viewers per node, and no bytes/s limit. */
export const defaultCapacity: Capacity = { viewersPerNode: 50, bytesPerSecond: 0 };

export function groupKind(opts: { missedBeats: number; capacity?: Capacity }) {
  return defineKind({
    kind: 'group',
    machine: groupMachine({ missedBeats: opts.missedBeats, capacity: opts.capacity ?? defaultCapacity }),
    version: 2,
    // 2: watch rooms on the group's nodes (placement.ts)
    migrate: (state) => ({ ...state, context: { ...state.context, rooms: {} } }),
    messages: GroupMessage,
    input: (id) => ({ group: id }),
    // read from the holder's memory, no transaction per file: the files service asks for targets
    // as queries (a target handed out that way is not counted against the node's load; the
    // service spreads uploads over the targets itself), the view likewise
    queries: ['view', 'uploadTarget', 'readTargets'],
  });
}

export type { GroupContext, GroupEvent } from './machine.ts';
export * as groupRules from './members.ts';
export * as placementRules from './placement.ts';
export type { Capacity, Placements } from './placement.ts';
