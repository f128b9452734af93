// actors/group: one storage-group actor per group (kind `group`, id = the group name). Storage
// nodes join and beat to it; it keeps their states and replication progress, answers upload and
// read targets, and reports material changes to the tracker.
import { GroupMessage } from '../../protocol/mod.ts';
import { defineKind } from '../runtime/mod.ts';
import { groupMachine } from './machine.ts';

export function groupKind(opts: { missedBeats: number }) {
  return defineKind({
    kind: 'group',
    machine: groupMachine(opts),
    version: 1,
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
