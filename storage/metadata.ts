// File metadata in Postgres (or PGlite): the hash-partitioned storage_files table, the groups and
// the user -> group routes. The binlog is the group's source of truth for what exists; this is
// the index the tracker and clients query (list a user's files, which group a user belongs to).
// Every node that applies a create record inserts the row if it is missing, so a crash between
// the binlog append and the origin's insert heals itself.
import { and, desc, eq, sql } from 'drizzle-orm';
import { tables, partitioned, queryRows, type Db } from '../schema/mod.ts';
import type { BinlogCreate } from '../protocol/mod.ts';

const { storageFiles } = partitioned;
const { storageGroups, storageRoutes } = tables;

export interface FileRow {
  id: string;
  ownerId: number;
  groupName: string;
  size: number;
  sha256: string;
  contentType: string;
  name: string;
  origin: string;
  binlogSeq: number;
  status: 'active' | 'deleted';
  createdAt: Date;
  deletedAt: Date | null;
}

export class FileIndex {
  constructor(private readonly db: Db) {}

  async ensureGroup(name: string): Promise<void> {
    await this.db.insert(storageGroups).values({ name }).onConflictDoNothing();
  }

  async groups(): Promise<string[]> {
    const rows = await this.db.select({ name: storageGroups.name }).from(storageGroups).orderBy(storageGroups.name);
    return rows.map((r) => r.name);
  }

  /** Inserts the row of a create record at binlog sequence `seq` (nothing if it is there). */
  async recordCreate(rec: BinlogCreate, seq: number): Promise<void> {
    await this.recordCreates([{ rec, seq }]);
  }

  /**
   * Inserts the rows of several create records (nothing for those that are there): one statement
   * whose text never changes, the rows in one JSON parameter. (drizzle's multi-row insert built a
   * statement of 10 parameters per row, a new one for each group size, and cost more CPU than
   * the rest of a group's commit.)
   */
  async recordCreates(recs: { rec: BinlogCreate; seq: number }[]): Promise<void> {
    if (!recs.length) return;
    const rows = JSON.stringify(recs.map(({ rec, seq }) => ({
      id: rec.fileId, owner_id: rec.owner, group_name: rec.group, size: rec.size, sha256: rec.sha256,
      content_type: rec.contentType, name: rec.name, origin: rec.origin, binlog_seq: seq, created_at: rec.createdAt,
    })));
    await this.db.execute(sql`insert into storage_files (id, owner_id, group_name, size, sha256, content_type, name, origin, binlog_seq, created_at)
      select id, owner_id, group_name, size, sha256, content_type, name, origin, binlog_seq, created_at
      from json_to_recordset(${rows}::json) as r(id text, owner_id bigint, group_name text, size bigint, sha256 text, content_type text, name text, origin text, binlog_seq bigint, created_at timestamptz)
      on conflict do nothing`);
  }

  /** The row of a file (any status); the owner picks the partition. */
  async get(owner: number, fileId: string): Promise<FileRow | null> {
    const [row] = await this.db.select().from(storageFiles).where(and(eq(storageFiles.ownerId, owner), eq(storageFiles.id, fileId))).limit(1);
    return (row as FileRow | undefined) ?? null;
  }

  /** The row of a file when only its id is known (scans the id index of every partition). */
  async getById(fileId: string): Promise<FileRow | null> {
    const [row] = await this.db.select().from(storageFiles).where(eq(storageFiles.id, fileId)).limit(1);
    return (row as FileRow | undefined) ?? null;
  }

  /** Marks a live file deleted; returns its row, or null when there was no live file. */
  async markDeleted(owner: number, fileId: string, at = new Date()): Promise<FileRow | null> {
    const [row] = await this.db
      .update(storageFiles)
      .set({ status: 'deleted', deletedAt: at })
      .where(and(eq(storageFiles.ownerId, owner), eq(storageFiles.id, fileId), eq(storageFiles.status, 'active')))
      .returning();
    return (row as FileRow | undefined) ?? null;
  }

  /**
   * A user's live files, newest first (ties by id), `limit` at a time: pass the last row of a page
   * as `after` to get the next one (keyset paging: no rows skipped or repeated under inserts).
   */
  async list(owner: number, limit = 100, after?: { createdAt: Date; id: string }): Promise<FileRow[]> {
    const live = and(eq(storageFiles.ownerId, owner), eq(storageFiles.status, 'active'));
    const rows = await this.db
      .select()
      .from(storageFiles)
      .where(after ? and(live, sql`(${storageFiles.createdAt}, ${storageFiles.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id})`) : live)
      .orderBy(desc(storageFiles.createdAt), desc(storageFiles.id))
      .limit(limit);
    return rows as FileRow[];
  }

  /** The group a user's files go to, if assigned. */
  async routeOf(userId: number): Promise<string | null> {
    const [row] = await this.db.select({ g: storageRoutes.groupName }).from(storageRoutes).where(eq(storageRoutes.userId, userId)).limit(1);
    return row?.g ?? null;
  }

  /**
   * Assigns `group` to a user unless one is assigned already; returns the user's group either way
   * (the first assignment wins when two trackers race).
   */
  async assignRoute(userId: number, group: string): Promise<string> {
    await this.db.insert(storageRoutes).values({ userId, groupName: group }).onConflictDoNothing();
    const g = await this.routeOf(userId);
    if (!g) throw new Error(`route of user ${userId} vanished`);
    return g;
  }

  /** Which partition holds a user's rows (operators, tests). */
  async partitionOf(owner: number, fileId: string): Promise<string | null> {
    const [row] = await queryRows<{ p: string }>(this.db, sql`select tableoid::regclass::text as p from storage_files where owner_id = ${owner} and id = ${fileId}`);
    return row?.p ?? null;
  }
}
