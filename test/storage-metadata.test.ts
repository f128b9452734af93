// The storage metadata tables on Postgres and PGlite: storage_files hash-partitioned by owner
// (16 partitions, like the seed's t_file_xx), groups, and user -> group routes (t_router).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'drizzle-orm';
import { queryRows, tables, partitioned } from '../schema/mod.ts';
import { FileIndex, formatFileId } from '../storage/mod.ts';
import type { BinlogCreate } from '../protocol/mod.ts';
import { freshDatabase } from './helpers/env.ts';

function rec(owner: number, n: number, createdAt: string): BinlogCreate {
  return {
    op: 'create', fileId: formatFileId('g1', n, 'abcdefghij23'), group: 'g1', owner, size: n * 10, sha256: 'a'.repeat(64),
    contentType: 'image/png', name: `f${n}.png`, createdAt, origin: 'node-a',
  };
}

// one database per driver for the file (PGlite takes seconds to start)
const dbs = { postgres: await freshDatabase(), pglite: await freshDatabase({ forcePglite: true }) };

for (const driver of ['postgres', 'pglite'] as const) {
  const t = dbs[driver];
  test(`${driver}: storage_files is hash-partitioned by owner and the index queries work`, async () => {
    if (driver === 'postgres' && t.database.driver !== 'postgres') console.log('no Postgres reachable: the postgres case ran on PGlite');
    const db = t.database.db;
    const [info] = await queryRows<{ strategy: string; parts: number }>(db, sql`
      select pt.partstrat as strategy, (select count(*)::int from pg_inherits i where i.inhparent = 'storage_files'::regclass) as parts
      from pg_partitioned_table pt where pt.partrelid = 'storage_files'::regclass`);
    assert.equal(info, { strategy: 'h', parts: partitioned.STORAGE_FILE_PARTITIONS });

    const index = new FileIndex(db);
    await index.ensureGroup('g1');
    await index.ensureGroup('g1');
    await index.ensureGroup('g0');
    assert.equal(await index.groups(), ['g0', 'g1']);

    // 40 owners, 3 files each
    let n = 1;
    for (let owner = 1; owner <= 40; owner++) {
      for (let k = 0; k < 3; k++) await index.recordCreate(rec(owner, n++, new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString()), n * 2);
    }
    await index.recordCreate(rec(1, 1, new Date().toISOString()), 999);
    const [{ count }] = await queryRows<{ count: number }>(db, sql`select count(*)::int as count from storage_files`);
    assert.is(count, 120, 'a record applied twice is one row');

    const parts = await queryRows<{ owner: number; p: string }>(db, sql`select distinct owner_id as owner, tableoid::regclass::text as p from storage_files`);
    const byOwner = new Map<number, Set<string>>();
    for (const r of parts) byOwner.set(Number(r.owner), (byOwner.get(Number(r.owner)) ?? new Set()).add(r.p));
    assert.ok([...byOwner.values()].every((s) => s.size === 1), 'all of an owner\'s files are in one partition');
    const used = new Set(parts.map((r) => r.p));
    assert.ok(used.size >= 10, `40 owners spread over many partitions (${used.size})`);
    assert.ok([...used].every((p) => /^storage_files_\d\d$/.test(p)));
    assert.is(await index.partitionOf(1, rec(1, 1, '').fileId), [...byOwner.get(1)!][0]);

    const first = rec(1, 1, '').fileId;
    const row = await index.get(1, first);
    assert.is(row?.binlogSeq, 4, 'the first insert wins');
    assert.is(row?.status, 'active');
    assert.is(row?.size, 10);
    assert.ok(row?.createdAt instanceof Date);
    assert.is((await index.getById(first))?.ownerId, 1);
    assert.is(await index.get(2, first), null, 'another owner does not see it');

    const listed = await index.list(5);
    assert.equal(listed.map((r) => r.name), ['f15.png', 'f14.png', 'f13.png'], 'newest first');
    const gone = await index.markDeleted(5, listed[0].id);
    assert.is(gone?.status, 'deleted');
    assert.ok(gone?.deletedAt instanceof Date);
    assert.is(await index.markDeleted(5, listed[0].id), null, 'a second delete finds no live file');
    assert.equal((await index.list(5)).map((r) => r.name), ['f14.png', 'f13.png']);

    let refused = false;
    try {
      await db.insert(partitioned.storageFiles).values({ id: 'x', ownerId: 1, groupName: 'g1', size: 1, sha256: 'a', contentType: 'a/b', origin: 'n', binlogSeq: 1, status: 'gone' as 'active' });
    } catch {
      refused = true;
    }
    assert.ok(refused, 'status is checked');
  });

  test(`${driver}: a group's rows go in one insert, every field as recorded; rows already there are kept`, async () => {
    const index = new FileIndex(t.database.db);
    const at = '2026-02-03T04:05:06.789Z';
    const odd = { ...rec(77, 5001, at), name: 'it\'s "quoted" \\ and 𝄞 ünïcode', contentType: 'text/plain; charset="utf-8"', size: 2 ** 40 };
    const recs = [odd, rec(78, 5002, at), rec(77, 5003, at)];
    await index.recordCreate(rec(78, 5002, at), 41);
    await index.recordCreates(recs.map((r) => ({ rec: r, seq: 42 })));
    const row = await index.get(77, odd.fileId);
    assert.equal(
      row && { id: row.id, ownerId: row.ownerId, groupName: row.groupName, size: row.size, sha256: row.sha256, contentType: row.contentType, name: row.name, origin: row.origin, binlogSeq: row.binlogSeq, status: row.status, createdAt: row.createdAt.toISOString(), deletedAt: row.deletedAt },
      { id: odd.fileId, ownerId: 77, groupName: 'g1', size: 2 ** 40, sha256: odd.sha256, contentType: odd.contentType, name: odd.name, origin: 'node-a', binlogSeq: 42, status: 'active', createdAt: at, deletedAt: null },
    );
    assert.is((await index.get(78, rec(78, 5002, at).fileId))?.binlogSeq, 41, 'a row that was there stays as it was');
    assert.is((await index.get(77, rec(77, 5003, at).fileId))?.binlogSeq, 42);
    await index.recordCreates([]);
  });

  test(`${driver}: routes give each user one group, the first assignment wins`, async () => {
    const db = t.database.db;
    const index = new FileIndex(db);
    await index.ensureGroup('g1');
    await index.ensureGroup('g2');
    const [alice] = await db.insert(tables.users).values({ name: 'alice', passwordHash: 'h' }).returning();
    assert.is(await index.routeOf(alice.id), null);
    assert.is(await index.assignRoute(alice.id, 'g2'), 'g2');
    assert.is(await index.assignRoute(alice.id, 'g1'), 'g2', 'already routed');
    assert.is(await index.routeOf(alice.id), 'g2');
    const [bob] = await db.insert(tables.users).values({ name: 'bob', passwordHash: 'h' }).returning();
    let refused = false;
    try {
      await index.assignRoute(bob.id, 'no_such_group');
    } catch {
      refused = true;
    }
    assert.ok(refused, 'a route must name a known group');
    await db.delete(tables.users).where(sql`id = ${alice.id}`);
    assert.is(await index.routeOf(alice.id), null, 'routes go with their user');
  });
}

test.after(async () => {
  await dbs.postgres.drop();
  await dbs.pglite.drop();
});

test.run();
