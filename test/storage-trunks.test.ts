// Small files in trunks (storage/trunks.ts) under the file store: a small file is appended to a
// trunk with the others committed beside it and read from there (ranges too), found again after
// a restart, a removed one stays removed, a torn last record costs only itself, trunks are sealed
// at their size, and a trunk mostly removed is compacted without losing a live file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { FileStore, formatFileId, relativeFilePath, type FileMeta } from '../storage/mod.ts';
import { readRecords } from '../storage/trunks.ts';
import { tempDir } from './helpers/env.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function meta(n: number, size: number, digest: string): FileMeta {
  return { op: 'create', fileId: formatFileId('g1', n, 'abcdefghij23'), group: 'g1', owner: 1, size, sha256: digest, contentType: 'text/plain', name: `f${n}.txt`, createdAt: new Date().toISOString(), origin: 'node-a' };
}

async function receiveSmall(store: FileStore, n: number, body: Buffer) {
  const r = await store.receive(Readable.from([body]), { maxBytes: 1 << 20, expectedSize: body.length, describe: ({ size, sha256 }) => meta(n, size, sha256) });
  assert.ok(r.content, 'a small file with a known size is kept in memory until its commit');
  assert.is(r.tempPath, undefined);
  return r;
}

async function put(store: FileStore, n: number, body: Buffer): Promise<FileMeta> {
  const r = await receiveSmall(store, n, body);
  await store.commit(r, n);
  return r.meta;
}

/** Bytes [from, to] of file n as a reader gets them (null: not held). */
async function read(store: FileStore, n: number, fileId: string, from = 0, to?: number): Promise<Buffer | null> {
  const f = await store.open(n, fileId);
  if (!f) return null;
  const end = to ?? f.size - 1;
  if (end < from) {
    await f.handle.close();
    return Buffer.alloc(0);
  }
  const parts: Buffer[] = [];
  for await (const c of f.handle.createReadStream({ start: f.offset + from, end: f.offset + end })) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** A fresh data dir for `fn`, removed after. */
async function inFreshDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir('troupe-trunks-');
  try {
    await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `fn` on a store opened on `dir` (a restarted node, when the dir was used before), closed after. */
async function withStore(dir: string, opts: { trunkBytes?: number }, fn: (store: FileStore) => Promise<void>): Promise<void> {
  const store = new FileStore(dir, opts);
  await store.init();
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

const trunkFiles = (dir: string) => fs.readdirSync(path.join(dir, 'trunks')).filter((f) => f.endsWith('.trunk')).sort();

test('small files committed together go to one trunk in one record each, and are read from there, ranges too', () => inFreshDir((dir) => withStore(dir, {}, async (store) => {
  const bodies = [1, 2, 3].map((n) => Buffer.from(`small file ${n} `.repeat(20 * n)));
  const received = await Promise.all(bodies.map((b, i) => receiveSmall(store, i + 1, b)));
  assert.equal(await store.commitMany(received.map((r, i) => ({ received: r, n: i + 1 }))), [true, true, true]);
  for (let i = 0; i < 3; i++) {
    assert.equal(await read(store, i + 1, received[i].meta.fileId), bodies[i]);
    assert.equal(await store.meta(i + 1), received[i].meta);
    assert.not.ok(fs.existsSync(path.join(store.filesRoot, relativeFilePath(i + 1))), 'no file of its own');
  }
  assert.equal(await read(store, 2, received[1].meta.fileId, 6, 11), bodies[1].subarray(6, 12), 'a range stays inside the file');
  assert.is(await store.open(2, formatFileId('g1', 2, 'zzzzzzzzzzzz')), null, 'the same number with another random part is not this file');
  assert.equal(fs.readdirSync(store.tmpRoot), [], 'no temp file for a small one');
  const [trunk] = trunkFiles(dir);
  const records = [...readRecords(fs.readFileSync(path.join(dir, 'trunks', trunk)))];
  assert.equal(records.map((r) => [r.kind, r.n]), [['file', 1], ['file', 2], ['file', 3]]);
  const empty = await put(store, 4, Buffer.alloc(0));
  assert.equal(await read(store, 4, empty.fileId), Buffer.alloc(0), 'an empty file');
})));

test('after a restart every small file is found in its trunk; a removed one stays removed', () => inFreshDir((dir) => withStore(dir, {}, async (store) => {
  const bodies = [1, 2, 3, 4].map((n) => Buffer.from(`file number ${n} `.repeat(n * 50)));
  const metas = await Promise.all(bodies.map((b, i) => put(store, i + 1, b)));
  assert.ok(await store.remove(4));
  assert.is(await store.meta(4), null);
  assert.not.ok(await store.remove(4), 'removing twice is fine');
  // the process dies here: the first store is not closed before the second opens
  await withStore(dir, {}, async (after) => {
    for (let i = 0; i < 3; i++) assert.equal(await read(after, i + 1, metas[i].fileId), bodies[i], `file ${i + 1}`);
    assert.is(await after.meta(4), null, 'a removed file does not come back');
    const m = await put(after, 5, Buffer.from('after the restart'));
    assert.is(trunkFiles(dir).length, 2, 'a restarted store appends to a new trunk');
    assert.equal(await read(after, 5, m.fileId), Buffer.from('after the restart'));
  });
})));

test('a torn last record (a write cut by a crash) costs only itself; a damaged record is not served', () => inFreshDir(async (dir) => {
  const body = Buffer.from('acknowledged before the crash');
  let m!: FileMeta;
  await withStore(dir, {}, async (store) => void (m = await put(store, 7, body)));
  const trunk = path.join(dir, 'trunks', trunkFiles(dir)[0]);
  const whole = fs.readFileSync(trunk);
  // a second record cut short
  fs.appendFileSync(trunk, whole.subarray(0, 30));
  assert.is([...readRecords(fs.readFileSync(trunk))].length, 1);
  const bad = Buffer.from(whole);
  bad[bad.length - 1] ^= 0xff;
  assert.is([...readRecords(bad)].length, 0, 'a record whose bytes changed does not check');
  await withStore(dir, {}, async (after) => assert.equal(await read(after, 7, m.fileId), body));
}));

test('a full trunk is sealed; a sealed trunk mostly removed is compacted into the open one and no live file is lost', () => inFreshDir(async (dir) => {
  const metas: FileMeta[] = [];
  await withStore(dir, { trunkBytes: 4096 }, async (store) => {
    for (let n = 1; n <= 12; n++) metas.push(await put(store, n, Buffer.alloc(700, n)));
    const before = trunkFiles(dir);
    assert.ok(before.length >= 3, `${before.length} trunks`);
    const sealed = before.slice(0, 2);
    // remove three files in four: the sealed trunks are mostly dead, and compacted
    for (let n = 1; n <= 12; n++) if (n % 4 !== 0) assert.ok(await store.remove(n));
    const gone = () => sealed.every((t) => !trunkFiles(dir).includes(t));
    for (let i = 0; i < 300 && !gone(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(gone(), `compacted: ${trunkFiles(dir).join(' ')} (before: ${before.join(' ')})`);
    assert.is(store.trunks.stats().files, 3);
    for (let n = 4; n <= 12; n += 4) assert.equal(await read(store, n, metas[n - 1].fileId), Buffer.alloc(700, n), `file ${n} survives`);
  });
  await withStore(dir, { trunkBytes: 4096 }, async (after) => {
    for (let n = 1; n <= 12; n++) assert.equal(await read(after, n, metas[n - 1].fileId), n % 4 === 0 ? Buffer.alloc(700, n) : null, `file ${n} after a restart`);
  });
}));

test('a removal outlives the compaction of the trunk that holds it while the file\'s own trunk is still there', () => inFreshDir(async (dir) => {
  const metas: FileMeta[] = [];
  await withStore(dir, { trunkBytes: 4096 }, async (store) => {
    for (let n = 1; n <= 5; n++) metas.push(await put(store, n, Buffer.alloc(700, n)));
    const [first] = trunkFiles(dir);
    // removed: the record of the removal goes to the next trunk; the first stays (4 of 5 live)
    assert.ok(await store.remove(1));
    for (let n = 6; n <= 10; n++) metas.push(await put(store, n, Buffer.alloc(700, n)));
    const second = trunkFiles(dir)[1];
    for (let n = 6; n <= 9; n++) assert.ok(await store.remove(n));
    for (let i = 0; i < 300 && trunkFiles(dir).includes(second); i++) await new Promise((r) => setTimeout(r, 10));
    assert.not.ok(trunkFiles(dir).includes(second), 'the trunk holding the removal was compacted');
    assert.ok(trunkFiles(dir).includes(first), 'the removed file\'s trunk is still there');
  });
  await withStore(dir, { trunkBytes: 4096 }, async (after) => {
    for (let n = 1; n <= 10; n++) {
      const live = n >= 2 && n <= 5 || n === 10;
      assert.equal(await read(after, n, metas[n - 1].fileId), live ? Buffer.alloc(700, n) : null, `file ${n} after a restart`);
    }
  });
}));

test('a sealed trunk is found again from its index, without reading it; an index that does not cover the trunk is not trusted', () => inFreshDir(async (dir) => {
  const metas: FileMeta[] = [];
  await withStore(dir, { trunkBytes: 2048 }, async (store) => {
    for (let n = 1; n <= 3; n++) metas.push(await put(store, n, Buffer.alloc(700, n)));
  });
  const indexes = fs.readdirSync(path.join(dir, 'trunks')).filter((f) => f.endsWith('.index'));
  assert.ok(indexes.length >= 1, 'sealed trunks have an index');
  const trunk = path.join(dir, 'trunks', trunkFiles(dir)[0]);
  // break the first record's header: reading the trunk would stop there, its index does not
  const fd = fs.openSync(trunk, 'r+');
  fs.writeSync(fd, Buffer.from('XXXX'), 0, 4, 0);
  fs.closeSync(fd);
  await withStore(dir, { trunkBytes: 2048 }, async (again) => {
    for (let n = 1; n <= 3; n++) assert.equal(await read(again, n, metas[n - 1].fileId), Buffer.alloc(700, n), `file ${n} from the index`);
  });
  // a trunk longer than its index says (an index from before a crash, say): the trunk is read
  fs.appendFileSync(trunk, Buffer.alloc(10));
  await withStore(dir, { trunkBytes: 2048 }, async (third) => {
    assert.is(await read(third, 1, metas[0].fileId), null, 'the broken header is met when the trunk is read');
  });
}));

test('an upload without a known size, or bigger than the small-file limit, gets a file of its own as before', () => inFreshDir((dir) => withStore(dir, {}, async (store) => {
  const body = Buffer.from('size not announced');
  const r = await store.receive(Readable.from([body]), { maxBytes: 1 << 20, describe: ({ size, sha256 }) => meta(20, size, sha256) });
  assert.ok(r.tempPath);
  assert.is(r.content, undefined);
  const big = Buffer.alloc(64 * 1024 + 1, 1);
  const b = await store.receive(Readable.from([big]), { maxBytes: 1 << 20, expectedSize: big.length, describe: ({ size, sha256 }) => meta(21, size, sha256) });
  assert.ok(b.tempPath);
  assert.equal(await store.commitMany([{ received: r, n: 20 }, { received: b, n: 21 }]), [true, true]);
  assert.is(sha((await read(store, 21, b.meta.fileId))!), sha(big));
  assert.ok(fs.existsSync(path.join(store.filesRoot, relativeFilePath(21))));
  assert.is(store.trunks.stats().files, 0, 'nothing in a trunk');
})));

test.run();
