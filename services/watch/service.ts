// svc.watch.*: what watch rooms need beside their actors. `report` relays a viewer's position and
// drift to the room (ephemeral: not stored, not through the actor); `rooms` lists watched rooms
// with the media servers their viewers read from (troupe watch rooms).
import type { NatsConnection } from '@nats-io/transport-node';
import { sql } from 'drizzle-orm';
import { serve, type ServiceHandle } from '../../lib/mod.ts';
import { subjects, TroupeError, type GroupSummary, type RoomPlacement, type WatchRoomSummary } from '../../protocol/mod.ts';
import { queryRows, type Db } from '../../schema/mod.ts';
import type { ActorClient } from '../../actors/runtime/mod.ts';
import { TRACKER_ID } from '../../actors/tracker/mod.ts';

const enc = new TextEncoder();

export function startWatchService(nc: NatsConnection, db: Db, actors: ActorClient, askTimeoutMs: number): ServiceHandle {
  const ask = <T>(kind: string, id: string, body: { type: string }) => actors.ask<T>(kind, id, body, { timeoutMs: askTimeoutMs });

  return serve(nc, 'watch', {
    async report({ user, room, viewer, position, driftMs, status }) {
      const [m] = await queryRows(db, sql`select 1 from room_members where room_id = ${room} and user_id = ${user}`);
      if (!m) throw new TroupeError('forbidden', 'only members report to a room', 'not_member');
      nc.publish(subjects.watchEvents(room), enc.encode(JSON.stringify({ push: { op: 'watch.report', room, viewer, user, position, driftMs, status } })));
      return {};
    },

    async rooms({ limit }) {
      const rows = await queryRows<{ room_id: string; state: WatchRoomSummary['state']; file_id: string | null; title: string; viewers: number; updated_at: string | Date }>(db, sql`
        select room_id, state, file_id, title, viewers, updated_at from watch_rooms
        where viewers > 0 or file_id is not null order by updated_at desc limit ${limit}`);
      // where each room's viewers read from: the group actors place them (placement.ts)
      const nodes = new Map<string, WatchRoomSummary['nodes']>();
      const { groups } = await ask<{ groups: GroupSummary[] }>('tracker', TRACKER_ID, { type: 'groups' });
      for (const g of groups) {
        const { rooms } = await ask<{ rooms: RoomPlacement[] }>('group', g.name, { type: 'placements' });
        for (const r of rooms) nodes.set(r.room, [...(nodes.get(r.room) ?? []), ...r.nodes.map((n) => ({ ...n, group: g.name }))]);
      }
      return {
        rooms: rows.map((r) => ({
          room: r.room_id, state: r.state, title: r.title, file: r.file_id, viewers: Number(r.viewers),
          nodes: nodes.get(r.room_id) ?? [], updatedAt: new Date(r.updated_at).toISOString(),
        })),
      };
    },
  });
}
