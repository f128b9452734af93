// svc.chat.*, svc.users.*, svc.friends.*: the read side of chat (history, offline sync, the
// recent-conversations list, members, friends) and the cursors (delivered, read) that only ever
// move forward. Everything that changes a room's sequence or membership goes through the room
// actor; these are plain queries and monotonic updates.
import { sql } from 'drizzle-orm';
import type { NatsConnection } from '@nats-io/transport-node';
import { serve, type ServiceHandle } from '../../lib/mod.ts';
import { subjects, TroupeError, type Static, type Entry } from '../../protocol/mod.ts';
import { queryRows, type Db } from '../../schema/mod.ts';

type EntryT = Static<typeof Entry>;
const enc = new TextEncoder();

interface EntryRow {
  room_id: string;
  seq: number;
  sender_id: number;
  kind: EntryT['kind'];
  body: string;
  client_msg_id: string | null;
  ref_seq: number | null;
  file_id: string | null;
  data: Record<string, unknown> | null;
  edited_at: string | Date | null;
  recalled: boolean;
  created_at: string | Date;
}

export function toEntry(r: EntryRow): EntryT {
  return {
    room: r.room_id, seq: Number(r.seq), kind: r.kind, from: Number(r.sender_id), body: r.body, at: new Date(r.created_at).getTime(),
    ...(r.client_msg_id ? { clientMsgId: r.client_msg_id } : {}),
    ...(r.ref_seq !== null ? { ref: Number(r.ref_seq) } : {}),
    ...(r.file_id ? { file: r.file_id } : {}),
    ...(r.data ? { data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data } : {}),
    ...(r.edited_at ? { edited: true } : {}),
    ...(r.recalled ? { recalled: true } : {}),
  };
}

const ENTRY_COLUMNS = sql.raw('room_id, seq, sender_id, kind, body, client_msg_id, ref_seq, file_id, data, edited_at, recalled, created_at');

export interface ChatServiceOptions {
  /** Turns file ids of entries into signed URLs for the asking member (storage). */
  fileUrl?(fileId: string, forUser: number, room: string): Promise<string | undefined>;
}

export function startChatService(nc: NatsConnection, db: Db, opts: ChatServiceOptions = {}): ServiceHandle[] {
  const publish = (subject: string, body: unknown) => nc.publish(subject, enc.encode(JSON.stringify(body)));

  async function membership(user: number, room: string): Promise<{ role: string; read_seq: number; delivered_seq: number; kind: string; last_seq: number } | undefined> {
    const [m] = await queryRows<{ role: string; read_seq: number; delivered_seq: number; kind: string; last_seq: number }>(db, sql`
      select m.role, m.read_seq, m.delivered_seq, r.kind, r.last_seq from room_members m join rooms r on r.id = m.room_id
      where m.room_id = ${room} and m.user_id = ${user}`);
    return m;
  }

  async function requireMember(user: number, room: string) {
    const m = await membership(user, room);
    if (!m) throw new TroupeError('forbidden', 'only members read a room', 'not_member');
    return m;
  }

  async function withUrls(entries: EntryT[], user: number): Promise<EntryT[]> {
    if (!opts.fileUrl) return entries;
    return Promise.all(entries.map(async (e) => (e.file && !e.recalled ? { ...e, fileUrl: await opts.fileUrl!(e.file, user, e.room) } : e)));
  }

  async function unreadOf(user: number, room: string, readSeq: number): Promise<number> {
    const [r] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from messages where room_id = ${room} and seq > ${readSeq} and kind = 'text' and sender_id <> ${user}`);
    return Number(r.n);
  }

  const chat = serve(nc, 'chat', {
    async rooms({ user }) {
      const rows = await queryRows<{ room_id: string }>(db, sql`select room_id from room_members where user_id = ${user}`);
      return { rooms: rows.map((r) => r.room_id) };
    },

    async conversations({ user, limit }) {
      const rows = await queryRows<Record<string, unknown>>(db, sql`
        select r.id, r.kind, r.name, r.description, r.open, r.owner_id, r.last_seq, r.last_at, r.last_sender, r.last_preview, m.role, m.read_seq,
          (select count(*)::int from room_members x where x.room_id = r.id) as members,
          (select count(*)::int from messages g where g.room_id = r.id and g.seq > m.read_seq and g.kind = 'text' and g.sender_id <> m.user_id) as unread,
          (select json_build_object('id', u.id, 'name', u.name) from room_members p join users u on u.id = p.user_id
             where r.kind = 'direct' and p.room_id = r.id and p.user_id <> m.user_id limit 1) as peer
        from room_members m join rooms r on r.id = m.room_id
        where m.user_id = ${user}
        order by coalesce(r.last_at, r.created_at) desc
        limit ${limit}`);
      return {
        conversations: rows.map((r) => ({
          room: {
            id: String(r.id), kind: r.kind as 'group' | 'direct', name: String(r.name), description: String(r.description), open: Boolean(r.open),
            owner: r.owner_id === null ? null : Number(r.owner_id), members: Number(r.members), role: r.role as 'owner' | 'admin' | 'member',
            ...(r.peer ? { peer: (typeof r.peer === 'string' ? JSON.parse(r.peer) : r.peer) as { id: number; name: string } } : {}),
          },
          lastSeq: Number(r.last_seq), lastAt: r.last_at ? new Date(r.last_at as string).getTime() : null,
          lastFrom: r.last_sender === null ? null : Number(r.last_sender), lastPreview: String(r.last_preview),
          readSeq: Number(r.read_seq), unread: Number(r.unread),
        })),
      };
    },

    async discover({ query, limit }) {
      const rows = await queryRows<Record<string, unknown>>(db, sql`
        select r.id, r.name, r.description, r.owner_id, (select count(*)::int from room_members x where x.room_id = r.id) as members
        from rooms r where r.kind = 'group' and r.open and lower(r.name) like ${query.toLowerCase().replace(/[%_\\]/g, '\\$&') + '%'}
        order by r.name limit ${limit}`);
      return { rooms: rows.map((r) => ({ id: String(r.id), kind: 'group' as const, name: String(r.name), description: String(r.description), open: true, owner: r.owner_id === null ? null : Number(r.owner_id), members: Number(r.members) })) };
    },

    async members({ user, room }) {
      await requireMember(user, room);
      const rows = await queryRows<{ id: number; name: string; role: string; read_seq: number; online: boolean }>(db, sql`
        select u.id, u.name, m.role, m.read_seq, exists (select 1 from user_connections c where c.user_id = u.id) as online
        from room_members m join users u on u.id = m.user_id where m.room_id = ${room}
        order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end, m.joined_at, u.id`);
      return { members: rows.map((r) => ({ user: { id: Number(r.id), name: r.name }, role: r.role as 'owner' | 'admin' | 'member', online: Boolean(r.online), readSeq: Number(r.read_seq) })) };
    },

    async history({ user, room, before, limit }) {
      await requireMember(user, room);
      const rows = await queryRows<EntryRow>(db, sql`
        select ${ENTRY_COLUMNS} from messages where room_id = ${room} ${before !== undefined ? sql`and seq < ${before}` : sql``}
        order by seq desc limit ${limit + 1}`);
      const more = rows.length > limit;
      return { messages: await withUrls(rows.slice(0, limit).reverse().map(toEntry), user), more };
    },

    async sync({ user, rooms, limit }) {
      const mine = await queryRows<{ room_id: string; delivered_seq: number; last_seq: number }>(db, sql`
        select m.room_id, m.delivered_seq, r.last_seq from room_members m join rooms r on r.id = m.room_id where m.user_id = ${user}`);
      const out: { room: string; messages: EntryT[]; more: boolean }[] = [];
      for (const m of mine) {
        const since = rooms[m.room_id] ?? Number(m.delivered_seq);
        if (Number(m.last_seq) <= since) continue;
        const rows = await queryRows<EntryRow>(db, sql`select ${ENTRY_COLUMNS} from messages where room_id = ${m.room_id} and seq > ${since} order by seq limit ${limit + 1}`);
        out.push({ room: m.room_id, messages: await withUrls(rows.slice(0, limit).map(toEntry), user), more: rows.length > limit });
      }
      return { rooms: out };
    },

    async cursor({ user, room, seq, cursor, origin }) {
      const column = sql.raw(cursor === 'read' ? 'read_seq' : 'delivered_seq');
      const [row] = await queryRows<{ before: number; read_seq: number; delivered_seq: number; kind: string }>(db, sql`
        with old as (select ${column} as before from room_members where room_id = ${room} and user_id = ${user} for update)
        update room_members m set ${column} = greatest(m.${column}, least(${seq}, r.last_seq))
        from rooms r, old
        where m.room_id = ${room} and m.user_id = ${user} and r.id = m.room_id
        returning old.before, m.read_seq, m.delivered_seq, r.kind`);
      if (!row) throw new TroupeError('forbidden', 'not a member of this room', 'not_member');
      const readSeq = Number(row.read_seq);
      if (cursor === 'read' && readSeq > Number(row.before)) {
        // receipts: to whoever sent what was just read, and to the reader's other devices
        const senders = await queryRows<{ sender_id: number }>(db, sql`
          select distinct sender_id from messages where room_id = ${room} and seq > ${row.before} and seq <= ${readSeq} and kind = 'text' and sender_id not in (0, ${user})`);
        const push = { op: 'chat.read', room, user, seq: readSeq };
        for (const s of senders) publish(subjects.userEvents(s.sender_id), { push });
        publish(subjects.userEvents(user), { push, ...(origin ? { except: origin } : {}) });
      }
      return { readSeq, deliveredSeq: Number(row.delivered_seq), unread: await unreadOf(user, room, readSeq) };
    },

    async typing({ user, room, origin }) {
      const m = await requireMember(user, room);
      const event = { push: { op: 'chat.typing', room, user }, ...(origin ? { except: origin } : {}) };
      if (m.kind === 'group') publish(subjects.roomEvents(room), event);
      else {
        const others = await queryRows<{ user_id: number }>(db, sql`select user_id from room_members where room_id = ${room} and user_id <> ${user}`);
        for (const o of others) publish(subjects.userEvents(o.user_id), event);
      }
      return {};
    },

    async entry({ user, room, seq }) {
      await requireMember(user, room);
      const [r] = await queryRows<{ sender_id: number; kind: string; recalled: boolean; file_id: string | null }>(db, sql`select sender_id, kind, recalled, file_id from messages where room_id = ${room} and seq = ${seq}`);
      if (!r) throw new TroupeError('not_found', 'no such message');
      return { sender: Number(r.sender_id), kind: r.kind, recalled: Boolean(r.recalled), ...(r.file_id ? { file: r.file_id } : {}) };
    },
  });

  const users = serve(nc, 'users', {
    async find({ query, limit }) {
      const rows = await queryRows<{ id: number; name: string }>(db, sql`
        select id, name from users where lower(name) like ${query.toLowerCase().replace(/[%_\\]/g, '\\$&') + '%'} order by lower(name) limit ${limit}`);
      return { users: rows.map((r) => ({ id: Number(r.id), name: r.name })) };
    },
    async get({ ids }) {
      if (!ids.length) return { users: [] };
      const rows = await queryRows<{ id: number; name: string }>(db, sql`select id, name from users where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint)`);
      return { users: rows.map((r) => ({ id: Number(r.id), name: r.name })) };
    },
  });

  const friends = serve(nc, 'friends', {
    async list({ user }) {
      const rows = await queryRows<{ id: number; name: string; status: string; devices: string[] | string | null }>(db, sql`
        select u.id, u.name, f.status,
          (select coalesce(json_agg(c.device->>'type' order by c.device->>'type'), '[]'::json) from user_connections c where c.user_id = u.id) as devices
        from friendships f join users u on u.id = f.other_id where f.user_id = ${user}
        order by case f.status when 'incoming' then 0 when 'friend' then 1 when 'outgoing' then 2 else 3 end, lower(u.name)`);
      return {
        friends: rows.map((r) => {
          const devices = (typeof r.devices === 'string' ? JSON.parse(r.devices) : r.devices ?? []) as string[];
          // a blocked user's presence is nobody's business
          const visible = r.status === 'friend';
          return { user: { id: Number(r.id), name: r.name }, status: r.status as 'friend', online: visible && devices.length > 0, devices: visible ? devices : [] };
        }),
      };
    },
  });

  return [chat, users, friends];
}
