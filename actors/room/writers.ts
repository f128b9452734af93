// The room actor's domain writes: entries into the hash-partitioned messages table (with the
// room's summary for the recent-conversations list), the room row, and membership rows.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { tables, partitioned, statementTemplate, type Db } from '../../schema/mod.ts';

const { rooms, roomMembers } = tables;
const { messages } = partitioned;

interface EntryData {
  room: string;
  seq: number;
  kind: 'text' | 'system' | 'edit' | 'recall';
  from: number;
  body: string;
  at: number;
  clientMsgId?: string;
  ref?: number;
  file?: string;
  data?: Record<string, unknown>;
}

function preview(e: EntryData): string {
  if (e.kind === 'text') return e.body.slice(0, 120);
  if (e.kind === 'system') return `[${String(e.data?.event ?? 'event')}]`;
  return e.kind === 'edit' ? `[edited] ${e.body.slice(0, 100)}` : '[recalled]';
}

const ph = sql.placeholder;
// built once: a room writes an entry with every message
const insertEntry = statementTemplate((db) => db.insert(messages).values({
  roomId: ph('room'), seq: ph('seq'), senderId: ph('from'), kind: ph('kind'), body: ph('body'), clientMsgId: ph('clientMsgId'),
  refSeq: ph('ref'), fileId: ph('file'), data: ph('data'), createdAt: ph('at'),
}));
const updateLast = statementTemplate((db) => db.update(rooms)
  .set({ lastSeq: ph('seq') as never, lastAt: ph('at') as never, lastSender: ph('from') as never, lastPreview: ph('preview') as never })
  .where(eq(rooms.id, ph('room'))));

export function writeEntry(data: unknown, _actor: unknown, db: Db): unknown[] {
  const e = data as EntryData;
  const at = new Date(e.at);
  const out: unknown[] = [
    insertEntry(db, { room: e.room, seq: e.seq, from: e.from, kind: e.kind, body: e.body, clientMsgId: e.clientMsgId, ref: e.ref, file: e.file, data: e.data, at }),
    updateLast(db, { seq: e.seq, at, from: e.from, preview: preview(e), room: e.room }),
  ];
  if (e.kind === 'edit') out.push(db.update(messages).set({ body: e.body, editedAt: at }).where(and(eq(messages.roomId, e.room), eq(messages.seq, e.ref!))));
  if (e.kind === 'recall') out.push(db.update(messages).set({ body: '', recalled: true, fileId: null }).where(and(eq(messages.roomId, e.room), eq(messages.seq, e.ref!))));
  return out;
}

export function writeRoom(data: unknown, _actor: unknown, db: Db): unknown[] {
  const r = data as { rid: string; kind: 'group' | 'direct'; name: string; description: string; open: boolean; owner: number | null };
  const values = { kind: r.kind, name: r.name, description: r.description, open: r.open, ownerId: r.owner };
  return [db.insert(rooms).values({ id: r.rid, ...values }).onConflictDoUpdate({ target: rooms.id, set: values })];
}

export function writeMembers(data: unknown, _actor: unknown, db: Db): unknown[] {
  const c = data as { rid: string; add?: { user: number; role: 'owner' | 'admin' | 'member'; at: number }[]; remove?: number[]; roles?: { user: number; role: 'owner' | 'admin' | 'member' }[] };
  const out: unknown[] = [];
  if (c.add?.length) {
    out.push(db.insert(roomMembers).values(c.add.map((a) => ({ roomId: c.rid, userId: a.user, role: a.role, joinedAt: new Date(a.at) })))
      .onConflictDoUpdate({ target: [roomMembers.roomId, roomMembers.userId], set: { role: sql`excluded.role` } }));
  }
  if (c.remove?.length) out.push(db.delete(roomMembers).where(and(eq(roomMembers.roomId, c.rid), inArray(roomMembers.userId, c.remove))));
  for (const r of c.roles ?? []) out.push(db.update(roomMembers).set({ role: r.role }).where(and(eq(roomMembers.roomId, c.rid), eq(roomMembers.userId, r.user))));
  return out;
}
