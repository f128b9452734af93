// The file store: hashing while streaming, atomic placement of the bytes with their metadata (one
// file, no sidecar), what a crash at any point leaves visible, files stored with a `.meta` sidecar
// by earlier versions, temp files cleaned on every failure, constant memory for 200 MiB in and out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { FileStore, formatFileId, relativeFilePath, type FileMeta, type ReceiveOptions } from '../storage/mod.ts';
import { TroupeError } from '../protocol/mod.ts';
import { tempDir } from './helpers/env.ts';

const dir = tempDir('troupe-files-');
const store = new FileStore(dir);
await store.init();

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function meta(n: number, size: number, digest: string): FileMeta {
  return { op: 'create', fileId: formatFileId('g1', n, 'abcdefghij23'), group: 'g1', owner: 1, size, sha256: digest, contentType: 'video/mp4', name: 'clip.mp4', createdAt: new Date().toISOString(), origin: 'node-a' };
}

const tmpFiles = () => fs.readdirSync(store.tmpRoot);

/** Receive options that store `meta(n, …)` with the bytes. */
const as = (n: number, opts: Omit<ReceiveOptions, 'describe'>): ReceiveOptions => ({ ...opts, describe: ({ size, sha256 }) => meta(n, size, sha256) });

async function readAll(f: { handle: fs.promises.FileHandle; offset: number; size: number }): Promise<Buffer> {
  const parts: Buffer[] = [];
  if (f.size > 0) for await (const c of f.handle.createReadStream({ start: f.offset, end: f.offset + f.size - 1 })) parts.push(c as Buffer);
  else await f.handle.close();
  return Buffer.concat(parts);
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.is((e as TroupeError).code, code, (e as Error).message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('receive hashes the bytes; commit places them under the layout path with their metadata in one file', async () => {
  const body = Buffer.from('hello, storage '.repeat(1000));
  const r = await store.receive(Readable.from([body.subarray(0, 100), body.subarray(100)]), as(513, { maxBytes: 1 << 20 }));
  assert.is(r.size, body.length);
  assert.is(r.sha256, sha(body));
  const m = r.meta;
  assert.equal({ ...m, createdAt: '' }, { ...meta(513, body.length, sha(body)), createdAt: '' });
  await store.commit(r, 513);
  const onDisk = path.join(store.filesRoot, relativeFilePath(513));
  const raw = fs.readFileSync(onDisk);
  assert.equal(raw.subarray(0, body.length), body, 'the bytes come first');
  assert.equal(JSON.parse(raw.subarray(body.length, raw.length - 12).toString()), m, 'then the metadata');
  assert.is(raw.subarray(raw.length - 8).toString(), 'TRPMETA1');
  assert.not.ok(fs.existsSync(`${onDisk}.meta`), 'no sidecar');
  assert.equal(await store.meta(513), m);
  assert.equal(tmpFiles(), [], 'nothing left in tmp');
  const f = await store.open(513, m.fileId);
  assert.ok(f);
  assert.is(f!.size, body.length, 'the size is the bytes\' size, not the file\'s');
  const part: Buffer[] = [];
  for await (const c of f!.handle.createReadStream({ start: f!.offset + 6, end: f!.offset + 13 })) part.push(c as Buffer);
  assert.is(Buffer.concat(part).toString(), ' storage');
  const again = (await store.open(513, m.fileId))!;
  assert.equal(await readAll(again), body, 'reading [0, size) gives exactly the bytes');
  assert.is(await store.open(513, formatFileId('g1', 513, 'zzzzzzzzzzzz')), null, 'the same number with another random part is not this file');
  assert.ok(await store.remove(513));
  assert.not.ok(fs.existsSync(onDisk));
  assert.is(await store.meta(513), null);
  assert.not.ok(await store.remove(513), 'removing twice is fine');
});

test('an empty file, and the longest name', async () => {
  const empty = await store.receive(Readable.from([]), as(600, { maxBytes: 10, expectedSize: 0 }));
  await store.commit(empty, 600);
  const f = (await store.open(600, empty.meta.fileId))!;
  assert.is(f.size, 0);
  assert.equal(await readAll(f), Buffer.alloc(0));
  const long = await store.receive(Readable.from([Buffer.from('x')]), { maxBytes: 10, describe: ({ size, sha256 }) => ({ ...meta(601, size, sha256), name: '😀'.repeat(127), contentType: `text/plain; x=${'a'.repeat(240)}` }) });
  await store.commit(long, 601);
  const g = (await store.open(601, long.meta.fileId))!;
  assert.is(g.meta.name, '😀'.repeat(127));
  assert.equal(await readAll(g), Buffer.from('x'));
  await store.remove(600);
  await store.remove(601);
});

test('a crash before the rename leaves nothing visible; one after it leaves the whole file', async () => {
  const body = Buffer.from('durable?');
  // received (bytes and metadata fsynced in tmp) but never committed: the process died
  const lost = await store.receive(Readable.from([body]), as(700, { maxBytes: 100 }));
  assert.ok(fs.existsSync(lost.tempPath!));
  assert.is(await store.meta(700), null, 'not held before the rename');
  const kept = await store.receive(Readable.from([body]), as(701, { maxBytes: 100 }));
  await store.commit(kept, 701);
  // the restarted node
  const after = new FileStore(dir);
  await after.init();
  assert.equal(tmpFiles(), [], 'the uncommitted temp file is gone');
  assert.is(await after.meta(700), null);
  assert.is(await after.open(700, lost.meta.fileId), null);
  assert.equal(await after.meta(701), kept.meta, 'a committed file is found from its own bytes, with no sidecar');
  assert.equal(await readAll((await after.open(701, kept.meta.fileId))!), body);
  await after.remove(701);
});

test('bytes at a layout path without metadata (an older version crashed before writing its .meta) are not held, and a commit replaces them', async () => {
  const onDisk = path.join(store.filesRoot, relativeFilePath(800));
  fs.mkdirSync(path.dirname(onDisk), { recursive: true });
  fs.writeFileSync(onDisk, 'half of something');
  assert.is(await store.meta(800), null);
  const r = await store.receive(Readable.from([Buffer.from('the real thing')]), as(800, { maxBytes: 100 }));
  assert.is(await store.open(800, r.meta.fileId), null);
  await store.commit(r, 800);
  assert.equal(await readAll((await store.open(800, r.meta.fileId))!), Buffer.from('the real thing'));
  await store.remove(800);
});

test('a file stored with a .meta sidecar by an earlier version is read, served and removed', async () => {
  const body = Buffer.from('stored the old way');
  const m = meta(900, body.length, sha(body));
  const onDisk = path.join(store.filesRoot, relativeFilePath(900));
  fs.mkdirSync(path.dirname(onDisk), { recursive: true });
  fs.writeFileSync(onDisk, body);
  fs.writeFileSync(`${onDisk}.meta`, JSON.stringify(m));
  assert.equal(await store.meta(900), m);
  const f = (await store.open(900, m.fileId))!;
  assert.is(f.size, body.length);
  assert.equal(await readAll(f), body);
  assert.ok(await store.remove(900));
  assert.not.ok(fs.existsSync(onDisk));
  assert.not.ok(fs.existsSync(`${onDisk}.meta`), 'the sidecar goes with it');
  assert.is(await store.meta(900), null);
});

test('a damaged tail is an error, not a file served with wrong metadata', async () => {
  const r = await store.receive(Readable.from([Buffer.from('some bytes')]), as(1000, { maxBytes: 100 }));
  await store.commit(r, 1000);
  const onDisk = path.join(store.filesRoot, relativeFilePath(1000));
  const raw = fs.readFileSync(onDisk);
  raw[raw.length - 14] ^= 0xff;
  fs.writeFileSync(onDisk, raw);
  try {
    await store.meta(1000);
    assert.unreachable('a damaged tail was accepted');
  } catch (e) {
    assert.match((e as Error).message, /corrupt metadata for file 1000/);
  }
  await store.remove(1000);
});

test('commits into more directories than the store keeps open, and after close() it opens them again', async () => {
  // one file in each of 12 leaf directories, some committed together
  const ns = Array.from({ length: 12 }, (_, i) => 2_000_000 + i * 512);
  const received = await Promise.all(ns.map((n) => store.receive(Readable.from([Buffer.from(`in dir ${n}`)]), as(n, { maxBytes: 100 }))));
  assert.equal(await store.commitMany(received.slice(0, 6).map((r, i) => ({ received: r, n: ns[i] }))), Array(6).fill(true));
  for (let i = 6; i < 12; i++) await store.commit(received[i], ns[i]);
  await store.close();
  const again = await store.receive(Readable.from([Buffer.from('after close')]), as(ns[0] + 1, { maxBytes: 100 }));
  await store.commit(again, ns[0] + 1);
  for (const [i, n] of ns.entries()) assert.equal(await readAll((await store.open(n, received[i].meta.fileId))!), Buffer.from(`in dir ${n}`));
  assert.equal(await readAll((await store.open(ns[0] + 1, again.meta.fileId))!), Buffer.from('after close'));
  for (const n of [...ns, ns[0] + 1]) await store.remove(n);
});

test('the expected digest and size are enforced; nothing stays behind', async () => {
  const body = Buffer.from('abc');
  await rejects(store.receive(Readable.from([body]), as(1, { maxBytes: 100, expectedSha256: sha(Buffer.from('abd')) })), 'bad_request');
  await rejects(store.receive(Readable.from([body]), as(1, { maxBytes: 100, expectedSize: 4 })), 'bad_request');
  await rejects(store.receive(Readable.from([body]), as(1, { maxBytes: 100, expectedSize: 2 })), 'bad_request');
  assert.equal(tmpFiles(), []);
});

test('the size limit stops a stream as soon as it is crossed and removes the partial file', async () => {
  let produced = 0;
  const endless = new Readable({
    read() {
      produced += 64 * 1024;
      this.push(Buffer.alloc(64 * 1024, 1));
    },
  });
  await rejects(store.receive(endless, as(1, { maxBytes: 1_000_000 })), 'limit_exceeded');
  assert.ok(produced < 4_000_000, `stopped early (${produced} bytes produced)`);
  await rejects(store.receive(Readable.from([Buffer.alloc(10)]), as(1, { maxBytes: 5, expectedSize: 10 })), 'limit_exceeded');
  assert.equal(tmpFiles(), []);
});

test('a source that fails half-way (client gone) leaves no temp file', async () => {
  // 1000 bytes, then the connection resets while the store waits for more
  let sent = false;
  const failing = new Readable({
    read() {
      if (!sent) this.push(Buffer.alloc(1000));
      else setImmediate(() => this.destroy(new Error('connection reset')));
      sent = true;
    },
  });
  try {
    await store.receive(failing, as(1, { maxBytes: 1 << 20 }));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /connection reset/);
  }
  assert.equal(tmpFiles(), []);
});

test('init removes temp files a crashed process left behind', async () => {
  fs.writeFileSync(path.join(store.tmpRoot, 'deadbeef.part'), 'partial');
  await store.init();
  assert.equal(tmpFiles(), []);
});

test('disk reports free and total bytes', async () => {
  const d = await store.disk();
  assert.ok(d.totalBytes > 0 && d.freeBytes > 0 && d.freeBytes <= d.totalBytes);
});

test('200 MiB in and out with constant memory', async () => {
  const MiB = 1024 * 1024;
  const total = 200 * MiB;
  const template = Buffer.alloc(MiB);
  for (let i = 0; i < MiB; i++) template[i] = (i * 31 + 7) & 255;
  const expected = createHash('sha256');
  let sent = 0;
  // every chunk is a fresh buffer, so holding on to chunks would show up in the memory figures
  const source = new Readable({
    read() {
      if (sent >= total) return this.push(null);
      const chunk = Buffer.allocUnsafe(MiB);
      template.copy(chunk);
      chunk.writeUInt32BE(sent / MiB, 0);
      expected.update(chunk);
      sent += MiB;
      this.push(chunk);
    },
  });
  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakBuffers = base.arrayBuffers;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
  }, 10);
  const r = await store.receive(source, as(7, { maxBytes: total }));
  assert.is(r.size, total);
  assert.is(r.sha256, expected.digest('hex'));
  await store.commit(r, 7);
  const f = (await store.open(7, formatFileId('g1', 7, 'abcdefghij23')))!;
  const readBack = createHash('sha256');
  for await (const c of f.handle.createReadStream({ start: 0, end: f.size - 1, highWaterMark: 256 * 1024 })) readBack.update(c as Buffer);
  clearInterval(sampler);
  assert.is(readBack.digest('hex'), r.sha256);
  const grewRss = (peakRss - base.rss) / MiB;
  const grewBuffers = (peakBuffers - base.arrayBuffers) / MiB;
  console.log(`200 MiB through the store: rss +${grewRss.toFixed(1)} MiB, buffers +${grewBuffers.toFixed(1)} MiB`);
  // garbage chunks awaiting collection account for tens of MiB; buffering would be 200
  assert.ok(grewRss < 100, `rss grew ${grewRss.toFixed(1)} MiB`);
  assert.ok(grewBuffers < 100, `buffers grew ${grewBuffers.toFixed(1)} MiB`);
  await store.remove(7);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
