// svc.presence.query: who is online, from the user_presence table the user actors maintain.
import { inArray, sql } from 'drizzle-orm';
import type { NatsConnection } from '@nats-io/transport-node';
import { serve, type ServiceHandle } from '../../lib/mod.ts';
import { tables, queryRows, type Db } from '../../schema/mod.ts';

export function startPresenceService(nc: NatsConnection, db: Db): ServiceHandle {
  return serve(nc, 'presence', {
    async online({ after, limit }) {
      const rows = await queryRows<{ id: number; name: string; devices: string[] | string; since: string | Date }>(db, sql`
        select u.id, u.name, json_agg(c.device->>'type' order by c.device->>'type') as devices, min(c.connected_at) as since
        from user_connections c join users u on u.id = c.user_id
        where c.user_id > ${after}
        group by u.id, u.name order by u.id limit ${limit}`);
      return { users: rows.map((r) => ({ user: { id: Number(r.id), name: r.name }, devices: typeof r.devices === 'string' ? JSON.parse(r.devices) : r.devices, since: new Date(r.since).getTime() })) };
    },
    async query({ users }) {
      const ids = [...new Set(users)];
      const conns = await db.select({ userId: tables.userConnections.userId, device: tables.userConnections.device }).from(tables.userConnections).where(inArray(tables.userConnections.userId, ids));
      const seen = await db.select().from(tables.userPresence).where(inArray(tables.userPresence.userId, ids));
      const devices = new Map<number, string[]>();
      for (const c of conns) devices.set(c.userId, [...(devices.get(c.userId) ?? []), (c.device as { type: string }).type]);
      const last = new Map(seen.map((r) => [r.userId, r.lastSeenAt.toISOString()]));
      return { presence: ids.map((user) => ({ user, online: devices.has(user), devices: (devices.get(user) ?? []).sort(), ...(last.has(user) ? { lastSeenAt: last.get(user) } : {}) })) };
    },
  });
}
