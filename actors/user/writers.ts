// The user actor's domain writes, applied in the message's transaction.
import { and, eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../../schema/mod.ts';
import type { Conns } from './presence.ts';

export function writeConnections(data: unknown, _actor: unknown, db: Db): unknown[] {
  const { userId, conns, lastSeenAt } = data as { userId: number; conns: Conns; lastSeenAt: number };
  const rows = Object.entries(conns).map(([conn, c]) => ({ conn, userId, gateway: c.gateway, device: c.device, sessionId: c.session, connectedAt: new Date(c.since) }));
  const presence = { online: rows.length > 0, devices: rows.length, lastSeenAt: new Date(lastSeenAt) };
  return [
    db.delete(tables.userConnections).where(eq(tables.userConnections.userId, userId)),
    ...(rows.length ? [db.insert(tables.userConnections).values(rows)] : []),
    db.insert(tables.userPresence).values({ userId, ...presence }).onConflictDoUpdate({ target: tables.userPresence.userId, set: { ...presence, lastSeenAt: sql`excluded.last_seen_at` } }),
  ];
}

export function writeFriend(data: unknown, _actor: unknown, db: Db): unknown[] {
  const { user, other, status } = data as { user: number; other: number; status: 'friend' | 'outgoing' | 'incoming' | 'blocked' | null };
  const key = and(eq(tables.friendships.userId, user), eq(tables.friendships.otherId, other));
  if (status === null) return [db.delete(tables.friendships).where(key)];
  return [db.insert(tables.friendships).values({ userId: user, otherId: other, status }).onConflictDoUpdate({ target: [tables.friendships.userId, tables.friendships.otherId], set: { status, since: sql`now()` } })];
}
