// The file store: hashing while streaming, atomic placement, temp files cleaned on every failure,
// constant memory for a 200 MiB file in and out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { FileStore, formatFileId, relativeFilePath, type FileMeta } from '../storage/mod.ts';
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

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.is((e as TroupeError).code, code, (e as Error).message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('receive hashes the bytes; commit places them under the layout path with their metadata', async () => {
  const body = Buffer.from('hello, storage '.repeat(1000));
  const r = await store.receive(Readable.from([body.subarray(0, 100), body.subarray(100)]), { maxBytes: 1 << 20 });
  assert.is(r.size, body.length);
  assert.is(r.sha256, sha(body));
  const m = meta(513, r.size, r.sha256);
  await store.commit(r, 513, m);
  const onDisk = path.join(store.filesRoot, relativeFilePath(513));
  assert.equal(fs.readFileSync(onDisk), body);
  assert.equal(JSON.parse(fs.readFileSync(`${onDisk}.meta`, 'utf8')), m);
  assert.equal(await store.meta(513), m);
  assert.equal(tmpFiles(), [], 'nothing left in tmp');
  const f = await store.open(513, m.fileId);
  assert.ok(f);
  assert.is(f!.size, body.length);
  const part: Buffer[] = [];
  for await (const c of f!.handle.createReadStream({ start: 6, end: 13 })) part.push(c as Buffer);
  assert.is(Buffer.concat(part).toString(), ' storage');
  assert.is(await store.open(513, formatFileId('g1', 513, 'zzzzzzzzzzzz')), null, 'the same number with another random part is not this file');
  assert.ok(await store.remove(513));
  assert.not.ok(fs.existsSync(onDisk));
  assert.is(await store.meta(513), null);
  assert.not.ok(await store.remove(513), 'removing twice is fine');
});

test('the expected digest and size are enforced; nothing stays behind', async () => {
  const body = Buffer.from('abc');
  await rejects(store.receive(Readable.from([body]), { maxBytes: 100, expectedSha256: sha(Buffer.from('abd')) }), 'bad_request');
  await rejects(store.receive(Readable.from([body]), { maxBytes: 100, expectedSize: 4 }), 'bad_request');
  await rejects(store.receive(Readable.from([body]), { maxBytes: 100, expectedSize: 2 }), 'bad_request');
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
  await rejects(store.receive(endless, { maxBytes: 1_000_000 }), 'limit_exceeded');
  assert.ok(produced < 4_000_000, `stopped early (${produced} bytes produced)`);
  await rejects(store.receive(Readable.from([Buffer.alloc(10)]), { maxBytes: 5, expectedSize: 10 }), 'limit_exceeded');
  assert.equal(tmpFiles(), []);
});

test('a source that fails half-way (client gone) leaves no temp file', async () => {
  const failing = new Readable({
    read() {
      this.push(Buffer.alloc(1000));
      setImmediate(() => this.destroy(new Error('connection reset')));
    },
  });
  try {
    await store.receive(failing, { maxBytes: 1 << 20 });
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
  const r = await store.receive(source, { maxBytes: total });
  assert.is(r.size, total);
  assert.is(r.sha256, expected.digest('hex'));
  await store.commit(r, 7, meta(7, r.size, r.sha256));
  const f = (await store.open(7, formatFileId('g1', 7, 'abcdefghij23')))!;
  const readBack = createHash('sha256');
  for await (const c of f.handle.createReadStream({ highWaterMark: 256 * 1024 })) readBack.update(c as Buffer);
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
