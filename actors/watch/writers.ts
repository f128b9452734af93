// The watch actor's domain writes: its room's summary row (troupe watch rooms) and its viewers'
// rows (so the gateway reaper finds the viewers of a gateway that died).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { tables, type Db } from '../../schema/mod.ts';

const { watchRooms, watchViewers } = tables;

export function writeRoom(data: unknown, _actor: unknown, db: Db): unknown[] {
  const r = data as { room: string; state: 'idle' | 'preparing' | 'playing' | 'paused' | 'ended'; file: string | null; title: string; viewers: number };
  const values = { state: r.state, fileId: r.file, title: r.title, viewers: r.viewers, updatedAt: sql`now()` };
  return [db.insert(watchRooms).values({ roomId: r.room, ...values }).onConflictDoUpdate({ target: watchRooms.roomId, set: values })];
}

export function writeViewers(data: unknown, _actor: unknown, db: Db): unknown[] {
  const c = data as { room: string; add?: { conn: string; user: number; gateway: string; at: number }[]; remove?: string[] };
  const out: unknown[] = [];
  if (c.add?.length) {
    out.push(db.insert(watchViewers).values(c.add.map((a) => ({ roomId: c.room, conn: a.conn, userId: a.user, gateway: a.gateway, joinedAt: new Date(a.at) }))).onConflictDoNothing());
  }
  if (c.remove?.length) out.push(db.delete(watchViewers).where(and(eq(watchViewers.roomId, c.room), inArray(watchViewers.conn, c.remove))));
  return out;
}
