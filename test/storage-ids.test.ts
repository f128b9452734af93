// Leaf-style id segments: unique across concurrent allocators on separate connections and across
// restarts, the next segment loaded early, the step adapting to demand. Postgres and PGlite.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eq } from 'drizzle-orm';
import { openDatabase, tables, type Database } from '../schema/mod.ts';
import { IdAllocator } from '../storage/mod.ts';
import { freshDatabase, type TestDatabase } from './helpers/env.ts';

const pg = await freshDatabase();
const lite = await freshDatabase({ forcePglite: true });

async function maxId(db: Database, key: string): Promise<number> {
  const [row] = await db.db.select().from(tables.idSegments).where(eq(tables.idSegments.key, key));
  return row ? row.maxId : 0;
}

/** `workers` concurrent callers per allocator, `count` ids in all. */
async function drain(allocators: IdAllocator[], count: number, workers = 4): Promise<number[]> {
  const out: number[] = [];
  let left = count;
  await Promise.all(allocators.flatMap((a) => Array.from({ length: workers }, async () => {
    while (left > 0) {
      left--;
      out.push(await a.next());
    }
  })));
  return out;
}

function assertUnique(ids: number[], what: string): void {
  assert.is(new Set(ids).size, ids.length, `${what}: ${ids.length - new Set(ids).size} duplicates`);
  assert.ok(ids.every((x) => Number.isSafeInteger(x) && x >= 1), `${what}: ids are positive integers`);
}

test('concurrent allocators on separate Postgres connections never hand out the same id, nor after a restart', async () => {
  if (pg.database.driver !== 'postgres') {
    console.log('no Postgres reachable: separate connections are not possible; covered by the PGlite case');
    return;
  }
  const open = () => Promise.all(Array.from({ length: 4 }, () => openDatabase({ databaseUrl: pg.url, poolSize: 2 })));
  let dbs = await open();
  // small segments so the allocators race for the row many times
  let allocators = dbs.map((d) => new IdAllocator(d.db, 'g1', { minStep: 7, maxStep: 50 }));
  const first = await drain(allocators, 4000);
  assertUnique(first, 'first run');
  assert.ok(allocators.every((a) => a.stats().fetches > 3), 'every allocator took several segments');
  const before = await maxId(pg.database, 'g1');
  assert.ok(before >= Math.max(...first), 'the database is ahead of every id handed out');
  await Promise.all(dbs.map((d) => d.close()));

  // restart: new processes, new connections; unused ids of the old segments are skipped, never reused
  dbs = await open();
  allocators = dbs.map((d) => new IdAllocator(d.db, 'g1', { minStep: 7, maxStep: 50 }));
  const second = await drain(allocators, 2000);
  assertUnique([...first, ...second], 'both runs');
  assert.ok(second.every((x) => x > before), 'after a restart every id is above the stored max');
  // another key is an independent sequence
  const other = new IdAllocator(dbs[0].db, 'g2', { minStep: 5, maxStep: 5 });
  assert.is(await other.next(), 1);
  await Promise.all(dbs.map((d) => d.close()));
});

test('PGlite: two allocators sharing the database, and a restart', async () => {
  const a = new IdAllocator(lite.database.db, 'g1', { minStep: 3, maxStep: 40 });
  const b = new IdAllocator(lite.database.db, 'g1', { minStep: 5, maxStep: 40 });
  const first = await drain([a, b], 1500);
  assertUnique(first, 'PGlite');
  const before = await maxId(lite.database, 'g1');
  const c = new IdAllocator(lite.database.db, 'g1', { minStep: 3, maxStep: 40 });
  const second = await drain([c], 300);
  assertUnique([...first, ...second], 'PGlite with restart');
  assert.ok(second.every((x) => x > before));
});

for (const [driver, t] of [['postgres', pg], ['pglite', lite]] as [string, TestDatabase][]) {
  test(`${driver}: the next segment is loaded in the background once 10 % of the current is used`, async () => {
    const a = new IdAllocator(t.database.db, `prefetch-${driver}`, { minStep: 100, maxStep: 100 });
    for (let i = 1; i <= 9; i++) assert.is(await a.next(), i);
    await new Promise((r) => setTimeout(r, 50));
    assert.is(a.stats().fetches, 1, 'under 10 %: one segment');
    assert.is(await a.next(), 10);
    for (let i = 0; i < 50 && !a.stats().nextReady; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(a.stats().nextReady, 'at 10 %: the next segment is ready');
    assert.is(a.stats().fetches, 2);
    assert.is(await maxId(t.database, `prefetch-${driver}`), 200, 'two segments taken');
    // the rest of the segment comes from memory, then the prefetched one without waiting
    for (let i = 11; i <= 100; i++) assert.is(await a.next(), i);
    assert.is(await a.next(), 101);
  });

  test(`${driver}: the step doubles while segments go fast and halves when they last long`, async () => {
    let now = 0;
    const a = new IdAllocator(t.database.db, `adapt-${driver}`, { minStep: 10, maxStep: 80, segmentTargetMs: 1000, now: () => now });
    // the size of each segment as it comes into use
    const sizes: number[] = [];
    let first = 0;
    const take = async (n: number, tick: number) => {
      for (let i = 0; i < n; i++) {
        now += tick;
        await a.next();
        await a.idle();
        const c = a.stats().current!;
        if (c.first !== first) {
          first = c.first;
          sizes.push(c.last - c.first + 1);
        }
      }
    };
    // fast demand: the clock stands still, every segment is used up at once (the step caps at 80)
    await take(10 + 20 + 40 + 80 + 80, 0);
    assert.equal(sizes, [10, 20, 40, 80, 80]);
    // slow demand: 2.5 target durations between ids. The segment loaded in the fast phase comes
    // first, then each load halves the step down to the floor
    await take(80 + 40 + 20 + 10 + 10, 2500);
    assert.equal(sizes, [10, 20, 40, 80, 80, 80, 40, 20, 10, 10]);
  });
}

test.after(async () => {
  await pg.drop();
  await lite.drop();
});

test.run();
