// svc.library.*: the public movie library (published stored files with a title and a length),
// and what a member may pick for a room to watch: a library movie, or a file shared in the room.
import type { NatsConnection } from '@nats-io/transport-node';
import { sql } from 'drizzle-orm';
import { serve, logger, type ServiceHandle } from '../../lib/mod.ts';
import { TroupeError, type LibraryItem, type WatchMedia, type MediaLocation } from '../../protocol/mod.ts';
import { queryRows, type Db } from '../../schema/mod.ts';
import { FileIndex, type FileRow } from '../../storage/mod.ts';

interface ItemRow {
  file_id: string;
  title: string;
  duration_ms: number | string;
  size: number | string;
  content_type: string;
  added_by: number | string;
  added_by_name: string | null;
  published_at: string | Date;
  /** lower(title) as the database orders it (the cursor's key). */
  title_key: string;
}

function item(r: ItemRow): LibraryItem {
  return {
    file: r.file_id, title: r.title, durationMs: Number(r.duration_ms), size: Number(r.size), contentType: r.content_type,
    addedBy: { id: Number(r.added_by), name: r.added_by_name ?? '' }, publishedAt: new Date(r.published_at).toISOString(),
  };
}

/** Keyset cursor of library.list: the last item's title key and file id, opaque to clients. */
export function encodeCursor(i: { title_key: string; file_id: string }): string {
  return Buffer.from(JSON.stringify([i.title_key, i.file_id])).toString('base64url');
}

export function decodeCursor(cursor: string): { title: string; file: string } {
  try {
    const [title, file] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof title === 'string' && typeof file === 'string' && title.length <= 400 && file.length <= 64) return { title, file };
  } catch {
    // refused below
  }
  throw new TroupeError('bad_request', 'cursor: not one this service handed out');
}

/** `%` and `_` in a search are plain characters. */
const likeEscape = (s: string) => s.replace(/[%_\\]/g, '\\$&');

const location = (row: FileRow): MediaLocation => ({ group: row.groupName, origin: row.origin, binlogSeq: row.binlogSeq });

export function startLibraryService(nc: NatsConnection, db: Db): ServiceHandle {
  const files = new FileIndex(db);
  const log = logger('library');

  const select = sql`select l.file_id, l.title, l.duration_ms, l.size, l.content_type, l.added_by, u.name as added_by_name, l.published_at, lower(l.title) as title_key
    from library l left join users u on u.id = l.added_by`;

  async function liveFile(id: string): Promise<FileRow> {
    const row = await files.getById(id);
    if (!row || row.status !== 'active') throw new TroupeError('not_found', `no file ${id}`);
    return row;
  }

  return serve(nc, 'library', {
    async list({ query, cursor, limit }) {
      const after = cursor ? decodeCursor(cursor) : undefined;
      const rows = await queryRows<ItemRow>(db, sql`${select}
        where true
        ${query ? sql`and lower(l.title) like ${'%' + likeEscape(query.toLowerCase()) + '%'}` : sql``}
        ${after ? sql`and (lower(l.title), l.file_id) > (${after.title}, ${after.file})` : sql``}
        order by lower(l.title), l.file_id limit ${limit + 1}`);
      const page = rows.slice(0, limit);
      return { items: page.map(item), ...(rows.length > limit ? { cursor: encodeCursor(page[page.length - 1]) } : {}) };
    },

    async publish({ file, title, durationMs, by }) {
      const row = await liveFile(file);
      const addedBy = by ?? row.ownerId;
      if (by !== undefined && !(await queryRows(db, sql`select 1 from users where id = ${by}`)).length) throw new TroupeError('not_found', `no user ${by}`);
      await db.execute(sql`
        insert into library (file_id, title, duration_ms, size, content_type, owner_id, added_by, group_name)
        values (${row.id}, ${title}, ${durationMs ?? 0}, ${row.size}, ${row.contentType}, ${row.ownerId}, ${addedBy}, ${row.groupName})
        on conflict (file_id) do update set title = excluded.title, duration_ms = excluded.duration_ms, added_by = excluded.added_by`);
      const [r] = await queryRows<ItemRow>(db, sql`${select} where l.file_id = ${row.id}`);
      log.info({ file, title }, 'published in the library');
      return { item: item(r) };
    },

    async unpublish({ file }) {
      const rows = await queryRows(db, sql`delete from library where file_id = ${file} returning file_id`);
      if (rows.length) log.info({ file }, 'taken out of the library');
      return { removed: rows.length > 0 };
    },

    async media({ user, room, library, entry }) {
      if ((library === undefined) === (entry === undefined)) throw new TroupeError('bad_request', 'give exactly one of library and entry');
      if (library !== undefined) {
        const [r] = await queryRows<ItemRow>(db, sql`${select} where l.file_id = ${library}`);
        if (!r) throw new TroupeError('not_found', `no movie ${library} in the library`);
        const row = await liveFile(library);
        const media: WatchMedia = { file: row.id, title: r.title, durationMs: Number(r.duration_ms), size: row.size, contentType: row.contentType, source: 'library' };
        return { media, location: location(row) };
      }
      // a file shared in the room: by an entry of the room, not recalled, seen by a member
      const [m] = await queryRows<{ file_id: string | null; recalled: boolean }>(db, sql`
        select e.file_id, e.recalled from room_members m join messages e on e.room_id = m.room_id
        where m.room_id = ${room} and m.user_id = ${user} and e.seq = ${entry!}`);
      if (!m) throw new TroupeError('not_found', `no entry ${entry} in a room of yours`);
      if (!m.file_id || m.recalled) throw new TroupeError('not_found', `entry ${entry} shares no file`);
      const row = await liveFile(m.file_id);
      const media: WatchMedia = { file: row.id, title: row.name || row.id, durationMs: 0, size: row.size, contentType: row.contentType, source: 'room', entry: entry! };
      return { media, location: location(row) };
    },
  });
}
