// The same migrations and queries on Postgres and on PGlite.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eq, sql } from 'drizzle-orm';
import { tables, queryRows, migrate } from '../schema/mod.ts';
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

test.run();
