// The same migrations and queries on Postgres and on PGlite.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eq, sql } from 'drizzle-orm';
import { tables, queryRows, migrate, openDatabase } from '../schema/mod.ts';
import { PreparedBudget } from '../schema/prepared.ts';
import { freshDatabase } from './helpers/env.ts';

for (const driver of ['postgres', 'pglite'] as const) {
  test(`migrations apply (twice, idempotently) and tables work on ${driver}`, async () => {
    const t = await freshDatabase({ forcePglite: driver === 'pglite' });
    try {
      if (driver === 'postgres' && t.database.driver !== 'postgres') {
        console.log('no Postgres reachable: the postgres case ran on PGlite');
      }
      await migrate(t.database, t.url);
      const db = t.database.db;
      const [u] = await db.insert(tables.users).values({ name: 'Alice', passwordHash: 'h' }).returning();
      assert.type(u.id, 'number');
      let dup = false;
      try {
        await db.insert(tables.users).values({ name: 'alice', passwordHash: 'h' });
      } catch {
        dup = true;
      }
      assert.ok(dup, 'user names are unique ignoring case');
      await db.insert(tables.sessions).values({ userId: u.id, tokenHash: 'a'.repeat(64), device: { type: 'cli' }, expiresAt: new Date(Date.now() + 1000) });
      const rows = await queryRows<{ id: number; n: number }>(db, sql`select u.id, count(s.*)::int as n from users u join sessions s on s.user_id = u.id group by u.id`);
      assert.equal(rows, [{ id: u.id, n: 1 }]);
      await db.delete(tables.users).where(eq(tables.users.id, u.id));
      const left = await queryRows(db, sql`select * from sessions`);
      assert.is(left.length, 0, 'sessions go with their user');
    } finally {
      await t.drop();
    }
  });
}

test('a prepared-statement budget admits the first N distinct texts and every repeat of them', () => {
  const b = new PreparedBudget(2);
  assert.equal(['a', 'b', 'a', 'c', 'b', 'd'].map((t) => b.prepare(t)), [true, true, true, false, true, false]);
  assert.is(b.size, 2);
  assert.is(new PreparedBudget(0).prepare('a'), false);
});

test('statements are prepared on Postgres up to the budget (drizzle\'s, in transactions too, and the runtime\'s), and the rest run unprepared', async () => {
  const t = await freshDatabase();
  if (t.database.driver !== 'postgres') {
    console.log('no Postgres reachable: prepared statements are a Postgres matter; skipped');
    await t.drop();
    return;
  }
  // one connection, so pg_prepared_statements shows what this pool prepared
  const database = await openDatabase({ databaseUrl: t.url, poolSize: 1, preparedStatements: 4 });
  try {
    const { db } = database;
    await database.run([{ sql: 'select $1::int as r', params: [1] }]);
    await db.execute(sql`select ${1}::int as a`);
    await db.execute(sql`select ${2}::int as b`);
    await db.transaction(async (tx) => {
      await tx.execute(sql`select ${3}::int as c`);
    });
    await db.execute(sql`select ${4}::int as d`);
    await database.run([{ sql: 'select $1::int as s', params: [1] }], { transaction: true });
    // repeats of a prepared text reuse it; the budget is spent, so this query is not prepared either
    await db.execute(sql`select ${5}::int as a`);
    const rows = await queryRows<{ statement: string }>(db, sql`select statement from pg_prepared_statements where ${1} = 1 order by prepare_time`);
    // (postgres.js prepares its own few statements too: the array types it reads, commit)
    const names = rows.map((r) => /^select \$1::int as (\w)$/.exec(r.statement.trim())?.[1]).filter(Boolean);
    assert.equal(names, ['r', 'a', 'b', 'c']);
    const [{ a }] = await queryRows<{ a: number }>(db, sql`select ${6}::int as a`);
    assert.is(a, 6, 'a prepared statement runs with new parameters');
    const [[{ s }]] = await database.run([{ sql: 'select $1::int as s', params: [7] }]);
    assert.is(s, 7, 'an unprepared statement runs too');
  } finally {
    await database.close();
    await t.drop();
  }
});

test.run();
