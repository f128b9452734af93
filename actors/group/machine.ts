// The storage-group actor's machine (one actor per group, id = the group name). Pure: members
// and their offline deadlines live in the context, time comes from `event.meta.at`, and replies,
// tracker reports and nothing else leave as effects.
//
// Member states follow FastDFS: a node reports joining, then syncing while it copies the binlog
// backlog, then active; offline is this actor's verdict when `missedBeats` beats in a row did not
// arrive (a deadline per node, moved by every beat) or when the node said it leaves. A node that
// beats again takes the state it reports, so a restarted node is syncing until it caught up.
// Offline nodes stay listed until an operator forgets them (`troupe storage-forget`), as in FastDFS.
import { setup, enqueueActions } from 'xstate';
import type { MemberState, NodeReport, TrackedNode, PlacedFile } from '../../protocol/mod.ts';
import { effects, type Effect, type EventMeta } from '../runtime/mod.ts';
import { TRACKER_ID } from '../tracker/mod.ts';
import { applyReport, setState, uploadTargets, readTargets, assign, targets, view, tracked, material, offlineTimer, nodeOfTimer, type Members } from './members.ts';
import { syncViewers, place, dropNode, roomsView, type Placements, type Capacity } from './placement.ts';

export interface GroupContext {
  group: string;
  members: Members;
  /** What the tracker was last told (null: nothing yet). */
  reported: TrackedNode[] | null;
  /** `offline:<node>` -> ms: when the node is offline unless it beats before. */
  deadlines: Record<string, number>;
  /** Watch rooms on this group's nodes (media servers), by room. */
  rooms: Placements;
}

export type GroupEvent = { meta: EventMeta } & (
  | ({ type: 'join' } & NodeReport)
  | ({ type: 'beat' } & NodeReport)
  | { type: 'leave'; node: string }
  | { type: 'forget'; node: string }
  | { type: 'uploadTarget'; minFreeBytes?: number }
  | { type: 'readTargets'; origin: string; binlogSeq: number }
  | { type: 'view' }
  | { type: 'viewers'; room: string; version: number; file: PlacedFile | null; viewers: string[] }
  | { type: 'place'; room: string; viewer: string; version: number; file: PlacedFile; avoid?: string }
  | { type: 'placements' }
  | { type: 'timer'; name: string });

type Enqueue = { assign(c: Partial<GroupContext>): void; emit(e: Effect): void };

/**
 * Stores the new members and tells the tracker when its copy went out of date. A node that is no
 * longer active serves no watch room: its viewers are placed again when they ask.
 */
function settle(ctx: GroupContext, members: Members, deadlines: Record<string, number>, enqueue: Enqueue): void {
  const now = tracked(members);
  const changed = material(ctx.reported, now);
  let rooms = ctx.rooms;
  for (const node of Object.keys(ctx.members)) if (members[node]?.state !== 'active') rooms = dropNode(rooms, node);
  enqueue.assign({ members, deadlines, ...(rooms !== ctx.rooms ? { rooms } : {}), ...(changed ? { reported: now } : {}) });
  if (changed) enqueue.emit(effects.send('tracker', TRACKER_ID, { type: 'report', group: ctx.group, nodes: now }));
}

function without(deadlines: Record<string, number>, name: string): Record<string, number> {
  if (!(name in deadlines)) return deadlines;
  const { [name]: _gone, ...rest } = deadlines;
  return rest;
}

export function groupMachine(opts: { missedBeats: number; capacity: Capacity }) {
  const s = setup({
    types: { context: {} as GroupContext, events: {} as GroupEvent, emitted: {} as Effect, input: {} as { group: string } },
  });

  const report = (join: boolean) => s.enqueueActions(({ context, event, enqueue }) => {
    const e = event as Extract<GroupEvent, { type: 'join' | 'beat' }>;
    const { type: _t, meta, ...r } = e;
    const members = applyReport(context.members, r, meta.at, join);
    const deadlines = { ...context.deadlines, [offlineTimer(r.node)]: meta.at + r.beatMs * opts.missedBeats };
    settle(context, members, deadlines, enqueue);
    enqueue.emit(effects.reply(view(context.group, members)));
  });

  const pick = (list: (c: GroupContext, e: GroupEvent) => string[], none: (c: GroupContext, e: GroupEvent) => Effect) =>
    s.enqueueActions(({ context, event, enqueue }) => {
      const nodes = list(context, event);
      if (nodes.length === 0) {
        enqueue.emit(none(context, event));
        return;
      }
      enqueue.assign({ members: assign(context.members, nodes[0]) });
      enqueue.emit(effects.reply({ targets: targets(context.members, nodes) }));
    });

  const stateCount = (c: GroupContext, state: MemberState) => Object.values(c.members).filter((m) => m.state === state).length;

  return s.createMachine({
    id: 'group',
    context: ({ input }) => ({ group: input.group, members: {}, reported: null, deadlines: {}, rooms: {} }),
    on: {
      join: { actions: report(true) },
      beat: { actions: report(false) },
      leave: {
        actions: enqueueActions(({ context, event, enqueue }) => {
          settle(context, setState(context.members, event.node, 'offline'), without(context.deadlines, offlineTimer(event.node)), enqueue);
        }),
      },
      forget: {
        actions: enqueueActions(({ context, event, enqueue }) => {
          const m = context.members[event.node];
          if (!m) return enqueue.emit(effects.fail('not_found', `storage group ${context.group} has no node ${event.node}`));
          if (m.state !== 'offline') return enqueue.emit(effects.fail('conflict', `node ${event.node} of storage group ${context.group} is ${m.state}: only an offline node can be forgotten (stop it first)`));
          const { [event.node]: _gone, ...members } = context.members;
          settle(context, members, without(context.deadlines, offlineTimer(event.node)), enqueue);
          enqueue.emit(effects.reply(view(context.group, members)));
        }),
      },
      timer: {
        actions: enqueueActions(({ context, event, enqueue }) => {
          const node = nodeOfTimer(event.name);
          const deadlines = without(context.deadlines, event.name);
          settle(context, node ? setState(context.members, node, 'offline') : context.members, deadlines, enqueue);
        }),
      },
      uploadTarget: {
        actions: pick(
          (c, e) => uploadTargets(c.members, (e as { minFreeBytes?: number }).minFreeBytes ?? 0),
          (c, e) => {
            const min = (e as { minFreeBytes?: number }).minFreeBytes ?? 0;
            return stateCount(c, 'active') === 0
              ? effects.fail('unavailable', `storage group ${c.group} has no active node (${Object.keys(c.members).length} known)`)
              : effects.fail('limit_exceeded', `no active node of storage group ${c.group} has ${min} bytes free`);
          },
        ),
      },
      readTargets: {
        actions: pick(
          (c, e) => readTargets(c.members, e as { origin: string; binlogSeq: number }),
          (c) => effects.fail('unavailable', `no active node of storage group ${c.group} holds the file now (${stateCount(c, 'active')} active, ${stateCount(c, 'syncing')} syncing)`),
        ),
      },
      view: { actions: s.emit(({ context }) => effects.reply(view(context.group, context.members))) },
      // watch rooms on media servers (placement.ts)
      viewers: {
        // only the room's own watch actor says who watches it
        guard: ({ event }) => event.meta.from === `watch.${event.room}`,
        actions: enqueueActions(({ context, event, enqueue }) => {
          const rooms = syncViewers(context.rooms, event);
          if (rooms !== context.rooms) enqueue.assign({ rooms });
        }),
      },
      place: {
        actions: enqueueActions(({ context, event, enqueue }) => {
          const r = place(context.rooms, context.members, event, opts.capacity);
          if ('refused' in r) {
            return enqueue.emit(r.refused === 'gone'
              ? effects.fail('not_found', `viewer ${event.viewer} no longer watches room ${event.room}`)
              : effects.fail('unavailable', `no active node of storage group ${context.group} holds file ${event.file.id} now`));
          }
          if (r.placements !== context.rooms) enqueue.assign({ rooms: r.placements });
          enqueue.emit(effects.reply({ node: r.node, url: context.members[r.node].url }));
        }),
      },
      placements: { actions: s.emit(({ context }) => effects.reply({ rooms: roomsView(context.rooms) })) },
    },
  });
}
