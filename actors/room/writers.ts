// The room actor's domain writes: entries into the hash-partitioned messages table (with the
// room's summary for the recent-conversations list), the room row, and membership rows.
import { and, eq, getTableName, inArray, sql } from 'drizzle-orm';
import { tables, partitioned, type Db } from '../../schema/mod.ts';
import type { BatchWriter } from '../runtime/mod.ts';

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

/** A column's name as the schema declares it (the SQL below is written once, from the schema). */
const col = (c: { name: string }) => `"${c.name}"`;
const M = messages;
const R = rooms;

/** Every entry of a commit (its rooms, its partitions) in one insert; `p`: the JSON rows' placeholder. */
const insertEntries = (p: string) => `insert into "${getTableName(M)}" (${[M.roomId, M.seq, M.senderId, M.kind, M.body, M.clientMsgId, M.refSeq, M.fileId, M.data, M.createdAt].map(col).join(', ')})
  select room, seq, sender, kind, body, client_msg_id, ref, file, data, at
  from jsonb_to_recordset(${p}::jsonb) as x(room text, seq bigint, sender bigint, kind text, body text, client_msg_id text, ref bigint, file text, data jsonb, at timestamptz)`;

/** Each room's summary for the recent-conversations list, from its last entry of the commit. */
const updateLast = (p: string) => `update "${getTableName(R)}" r set ${col(R.lastSeq)} = x.seq, ${col(R.lastAt)} = x.at, ${col(R.lastSender)} = x.sender, ${col(R.lastPreview)} = x.preview
  from (select distinct on (room) room, seq, at, sender, preview
        from jsonb_to_recordset(${p}::jsonb) as y(room text, seq bigint, at timestamptz, sender bigint, preview text) order by room, seq desc) x
  where r.${col(R.id)} = x.room`;
const INSERT_ENTRIES = insertEntries('$1');
const UPDATE_LAST = updateLast('$1');

/** The JSON parameters of the insert and the summary update. */
function entryRows(entries: EntryData[]): { rows: string; lasts: string } {
  const rows = entries.map((e) => ({
    room: e.room, seq: e.seq, sender: e.from, kind: e.kind, body: e.body, client_msg_id: e.clientMsgId ?? null,
    ref: e.ref ?? null, file: e.file ?? null, data: e.data ?? null, at: new Date(e.at).toISOString(),
  }));
  const lasts = entries.map((e) => ({ room: e.room, seq: e.seq, at: new Date(e.at).toISOString(), sender: e.from, preview: preview(e) }));
  return { rows: JSON.stringify(rows), lasts: JSON.stringify(lasts) };
}

/**
 * The entries of a run of messages (a room writes one with every message): two statements for all
 * of them, however many rooms and messages, plus the target updates of edits and recalls.
 */
export const entryWriter: BatchWriter = {
  batch(writes, db) {
    const entries = writes.map((w) => w.data as EntryData);
    const { rows, lasts } = entryRows(entries);
    const out: unknown[] = [{ sql: INSERT_ENTRIES, params: [rows] }, { sql: UPDATE_LAST, params: [lasts] }];
    for (const e of entries) {
      const at = new Date(e.at);
      if (e.kind === 'edit') out.push(db.update(messages).set({ body: e.body, editedAt: at }).where(and(eq(messages.roomId, e.room), eq(messages.seq, e.ref!))));
      if (e.kind === 'recall') out.push(db.update(messages).set({ body: '', recalled: true, fileId: null }).where(and(eq(messages.roomId, e.room), eq(messages.seq, e.ref!))));
    }
    return out;
  },
  // inside the runtime's commit statement: the insert and the summary update touch different
  // tables and read nothing the other writes. Edits and recalls update entries (the batch path).
  clauses(writes, param) {
    const entries = writes.map((w) => w.data as EntryData);
    if (entries.some((e) => e.kind === 'edit' || e.kind === 'recall')) return null;
    const { rows, lasts } = entryRows(entries);
    return [insertEntries(param(rows)), updateLast(param(lasts))];
  },
};

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
