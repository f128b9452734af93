// The tracker actor's machine (one actor, id `main`): every storage group as its group actor last
// reported it. It answers which group a new user's files go to and lists the groups; it never
// hears heartbeats (the group actors do, and report only what changed materially).
import { setup, enqueueActions, assign, emit } from 'xstate';
import type { TrackedNode } from '../../protocol/mod.ts';
import { effects, type Effect, type EventMeta } from '../runtime/mod.ts';
import { pickGroup, summaries, type Groups } from './groups.ts';

export interface TrackerContext {
  groups: Groups;
}

export type TrackerEvent = { meta: EventMeta } & (
  | { type: 'report'; group: string; nodes: TrackedNode[] }
  | { type: 'pickGroup'; minFreeBytes?: number }
  | { type: 'groups' });

export const trackerMachine = setup({
  types: { context: {} as TrackerContext, events: {} as TrackerEvent, emitted: {} as Effect },
}).createMachine({
  id: 'tracker',
  context: { groups: {} },
  on: {
    report: {
      actions: assign(({ context, event }) => ({ groups: { ...context.groups, [event.group]: { nodes: event.nodes, reportedAt: event.meta.at } } })),
    },
    pickGroup: {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const group = pickGroup(context.groups, event.minFreeBytes ?? 0);
        if (group) enqueue.emit(effects.reply({ group }));
        else if (Object.keys(context.groups).length === 0) enqueue.emit(effects.fail('unavailable', 'no storage group has joined yet: start a storage node (troupe storage --group g1)'));
        else enqueue.emit(effects.fail('unavailable', `no storage group has an active node${event.minFreeBytes ? ` with ${event.minFreeBytes} bytes free` : ''}`));
      }),
    },
    groups: { actions: emit(({ context }) => effects.reply({ groups: summaries(context.groups) })) },
  },
});
