// The storage node's HTTP API against one node: range semantics (206/416/200), validators and
// conditional requests (ETag, Last-Modified, If-Range, If-None-Match, 304), HEAD, the uploaded
// Content-Type, tickets on every route, uploads (limits, digests, 100-continue, aborts), deletes,
// and a 200 MiB file streamed in and out with constant memory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Tickets, PeerAuth, parseRange } from '../storage/mod.ts';
import { startStorageEnv, upload, download, rawRequest, sha256, eventually, SECRET } from './helpers/storage.ts';

const env = await startStorageEnv();
const node = await env.node('g1', 'a', { maxUploadBytes: 300 * 1024 * 1024 });
await node.waitActive();

const ALICE = 1;
const BOB = 2;
const body = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7 + 3) & 255));
const file = await upload(env, node, ALICE, body, { contentType: 'video/mp4', name: 'clip one.mp4' });
const etag = `"${file.sha256}"`;
const read = (id = file.fileId, user = ALICE) => env.tickets.fileTicket('read', id, user, 60);
const url = (id = file.fileId, user = ALICE) => `${node.url}/files/${id}?ticket=${read(id, user)}`;

async function get(headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(url(), { method, headers });
  return { status: res.status, h: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

test('the upload result describes the stored file', () => {
  assert.match(file.fileId, /^g1-[0-9a-z]+-[a-z2-7]{12}$/);
  assert.is(file.size, 1000);
  assert.is(file.sha256, sha256(body));
  assert.is(file.contentType, 'video/mp4');
  assert.is(file.name, 'clip one.mp4');
  assert.is(file.group, 'g1');
  assert.ok(file.binlogSeq >= 1);
});

test('200: the whole file with its validators and the uploaded Content-Type', async () => {
  const r = await get();
  assert.is(r.status, 200);
  assert.equal(r.body, body);
  assert.is(r.h.get('content-length'), '1000');
  assert.is(r.h.get('content-type'), 'video/mp4');
  assert.is(r.h.get('accept-ranges'), 'bytes');
  assert.is(r.h.get('etag'), etag);
  assert.is(new Date(r.h.get('last-modified')!).getTime(), Math.floor(new Date(file.createdAt).getTime() / 1000) * 1000);
  assert.is(r.h.get('content-disposition'), `inline; filename="clip one.mp4"; filename*=UTF-8''clip%20one.mp4`);
  assert.is(r.h.get('x-content-type-options'), 'nosniff');
  assert.is(r.h.get('content-range'), null);
});

test('HEAD: the same headers, no body', async () => {
  const r = await get({}, 'HEAD');
  assert.is(r.status, 200);
  assert.is(r.body.length, 0);
  assert.is(r.h.get('content-length'), '1000');
  assert.is(r.h.get('etag'), etag);
  const ranged = await get({ range: 'bytes=10-19' }, 'HEAD');
  assert.is(ranged.status, 206);
  assert.is(ranged.h.get('content-range'), 'bytes 10-19/1000');
  assert.is(ranged.h.get('content-length'), '10');
  assert.is(ranged.body.length, 0);
});

test('206 for every form of a single satisfiable range', async () => {
  const cases: [string, number, number][] = [
    ['bytes=0-99', 0, 99],
    ['bytes=0-0', 0, 0],
    ['bytes=999-999', 999, 999],
    ['bytes=900-', 900, 999],
    ['bytes=-100', 900, 999],
    ['bytes=-1', 999, 999],
    ['bytes=990-5000', 990, 999],     // the end is clamped
    ['bytes=-5000', 0, 999],          // a suffix longer than the file is the file
    ['bytes=0-999', 0, 999],
    ['BYTES = 5 - 9', 5, 9],          // unit is case-insensitive, whitespace tolerated
  ];
  for (const [range, a, b] of cases) {
    const r = await get({ range });
    assert.is(r.status, 206, range);
    assert.is(r.h.get('content-range'), `bytes ${a}-${b}/1000`, range);
    assert.is(r.h.get('content-length'), String(b - a + 1), range);
    assert.equal(r.body, body.subarray(a, b + 1), range);
    assert.is(r.h.get('etag'), etag);
    assert.is(r.h.get('content-type'), 'video/mp4');
  }
});

test('416 with Content-Range: bytes */size when the range starts past the end', async () => {
  for (const range of ['bytes=1000-', 'bytes=1000-1001', 'bytes=5000-6000', 'bytes=-0']) {
    const r = await get({ range });
    assert.is(r.status, 416, range);
    assert.is(r.h.get('content-range'), 'bytes */1000', range);
    assert.is(JSON.parse(r.body.toString()).error.code, 'bad_range');
  }
});

test('200 (range ignored) for several ranges, other units and malformed headers', async () => {
  for (const range of ['bytes=0-1,5-6', 'items=0-5', 'bytes=abc', 'bytes=5-2', 'bytes=-', 'bytes 0-5', 'bytes=0x10-20', '']) {
    const r = await get({ range });
    assert.is(r.status, 200, JSON.stringify(range));
    assert.equal(r.body, body, range);
  }
});

test('If-Range: a matching strong ETag or the exact date keeps the range; anything else sends it all', async () => {
  const lastModified = (await get({}, 'HEAD')).h.get('last-modified')!;
  const keep = [etag, lastModified];
  const drop = ['"not-it"', `W/${etag}`, new Date(Date.parse(lastModified) + 1000).toUTCString(), new Date(Date.parse(lastModified) - 1000).toUTCString(), 'garbage'];
  for (const v of keep) {
    const r = await get({ range: 'bytes=0-9', 'if-range': v });
    assert.is(r.status, 206, v);
    assert.equal(r.body, body.subarray(0, 10));
  }
  for (const v of drop) {
    const r = await get({ range: 'bytes=0-9', 'if-range': v });
    assert.is(r.status, 200, v);
    assert.equal(r.body, body);
  }
  // If-Range without Range changes nothing
  assert.is((await get({ 'if-range': '"x"' })).status, 200);
});

test('If-None-Match and If-Modified-Since: 304 with validators and no body', async () => {
  for (const v of [etag, `W/${etag}`, '*', `"x", ${etag}`]) {
    const r = await get({ 'if-none-match': v });
    assert.is(r.status, 304, v);
    assert.is(r.body.length, 0);
    assert.is(r.h.get('etag'), etag);
    assert.ok(r.h.get('last-modified'));
  }
  assert.is((await get({ 'if-none-match': '"other"' })).status, 200);
  assert.is((await get({ 'if-none-match': etag }, 'HEAD')).status, 304);
  assert.is((await get({ 'if-modified-since': new Date(Date.now() + 60_000).toUTCString() })).status, 304);
  assert.is((await get({ 'if-modified-since': new Date(Date.now() - 3600_000).toUTCString() })).status, 200);
  // If-None-Match wins over If-Modified-Since
  assert.is((await get({ 'if-none-match': '"other"', 'if-modified-since': new Date(Date.now() + 60_000).toUTCString() })).status, 200);
  // a 304 beats a Range
  assert.is((await get({ 'if-none-match': etag, range: 'bytes=0-1' })).status, 304);
});

test('an empty file: 200 with no bytes, any range 416', async () => {
  const empty = await upload(env, node, ALICE, Buffer.alloc(0), { contentType: 'text/plain' });
  assert.is(empty.size, 0);
  assert.is(empty.sha256, sha256(''));
  const r = await fetch(url(empty.fileId));
  assert.is(r.status, 200);
  assert.is(r.headers.get('content-length'), '0');
  assert.is((await r.arrayBuffer()).byteLength, 0);
  for (const range of ['bytes=0-', 'bytes=-1', 'bytes=0-0']) {
    const rr = await fetch(url(empty.fileId), { headers: { range } });
    assert.is(rr.status, 416, range);
    assert.is(rr.headers.get('content-range'), 'bytes */0');
    await rr.arrayBuffer();
  }
});

test('parseRange on its own: the same rules', () => {
  assert.equal(parseRange(undefined, 10), { kind: 'full' });
  assert.equal(parseRange('bytes=2-', 10), { kind: 'partial', start: 2, end: 9 });
  assert.equal(parseRange('bytes=-3', 10), { kind: 'partial', start: 7, end: 9 });
  assert.equal(parseRange('bytes=10-', 10), { kind: 'unsatisfiable' });
  assert.equal(parseRange('bytes=3-2', 10), { kind: 'full' });
  assert.equal(parseRange(`bytes=0-${'9'.repeat(40)}`, 10), { kind: 'partial', start: 0, end: 9 });
  assert.equal(parseRange(`bytes=${'9'.repeat(40)}-`, 10), { kind: 'unsatisfiable' });
});

test('read tickets: required, unexpired, for this file, op and owner', async () => {
  const status = async (u: string, init: RequestInit = {}) => {
    const r = await fetch(u, init);
    const j = await r.json() as { error: { code: string } };
    return `${r.status} ${j.error.code}`;
  };
  const base = `${node.url}/files/${file.fileId}`;
  assert.is(await status(base), '401 bad_ticket');
  const past = new Tickets(SECRET, () => Date.now() - 120_000).fileTicket('read', file.fileId, ALICE, 60);
  assert.is(await status(`${base}?ticket=${past}`), '401 ticket_expired');
  assert.is(await status(url(file.fileId, BOB)), '403 forbidden');
  const other = await upload(env, node, BOB, Buffer.from('bob'));
  assert.is(await status(`${base}?ticket=${read(other.fileId, ALICE)}`), '403 forbidden');
  assert.is(await status(`${base}?ticket=${env.tickets.fileTicket('delete', file.fileId, ALICE, 60)}`), '403 forbidden');
  assert.is(await status(`${base}?ticket=${new Tickets('another-secret').fileTicket('read', file.fileId, ALICE, 60)}`), '401 bad_ticket');
  const t = read();
  assert.is(await status(`${base}?ticket=${t.slice(0, -2)}xx`), '401 bad_ticket');
  // the Authorization header works as well as the query
  const viaHeader = await fetch(base, { headers: { authorization: `Bearer ${t}` } });
  assert.is(viaHeader.status, 200);
  assert.equal(Buffer.from(await viaHeader.arrayBuffer()), body);
});

test('file ids: malformed 400, other group or unknown 404 — before or after the ticket as fits', async () => {
  const r1 = await fetch(`${node.url}/files/..%2F..%2Fetc%2Fpasswd?ticket=${read()}`);
  assert.is(r1.status, 400);
  const r2 = await fetch(`${node.url}/files/../../etc/passwd`);
  assert.ok([400, 404].includes(r2.status), 'the URL parser resolves dots: no route');
  const foreign = 'g2-1-abcdefghij23';
  const r3 = await fetch(`${node.url}/files/${foreign}?ticket=${read(foreign)}`);
  assert.is(r3.status, 404);
  const unknown = 'g1-zzzz-abcdefghij23';
  const r4 = await fetch(`${node.url}/files/${unknown}?ticket=${read(unknown)}`);
  assert.is(r4.status, 404);
  assert.is(((await r4.json()) as { error: { code: string } }).error.code, 'not_found');
  // same number, wrong random part: not found, the bytes are not served
  const guessed = file.fileId.replace(/-[a-z2-7]{12}$/, '-aaaaaaaaaaaa');
  const r5 = await fetch(`${node.url}/files/${guessed}?ticket=${read(guessed)}`);
  assert.is(r5.status, 404);
});

test('uploads: tickets, content type and name checked, digest verified, limits enforced', async () => {
  const put = (q: string, init: RequestInit = {}) => fetch(`${node.url}/files${q}`, { method: 'PUT', body: 'x', ...init });
  const code = async (p: Promise<Response>) => {
    const r = await p;
    return `${r.status} ${((await r.json()) as { error?: { code: string } }).error?.code ?? 'ok'}`;
  };
  const up = env.tickets.uploadTicket('g1', ALICE, 60);
  assert.is(await code(put('')), '401 bad_ticket');
  assert.is(await code(put(`?ticket=${env.tickets.uploadTicket('g2', ALICE, 60)}`)), '403 forbidden');
  assert.is(await code(put(`?ticket=${read()}`)), '403 forbidden');
  assert.is(await code(put(`?ticket=${up}`, { headers: { 'content-type': 'not a type' } })), '400 bad_request');
  assert.is(await code(put(`?ticket=${up}&name=${encodeURIComponent('a/b')}`)), '400 bad_request');
  assert.is(await code(put(`?ticket=${up}`, { headers: { 'x-content-sha256': sha256('y') } })), '400 bad_request');
  assert.is(await code(put(`?ticket=${up}`, { headers: { 'x-content-sha256': sha256('x') } })), '201 ok');
  assert.is(await code(fetch(`${node.url}/files?ticket=${up}`, { method: 'POST', body: 'post works too' })), '201 ok');
  assert.is(await code(fetch(`${node.url}/files?ticket=${up}`, { method: 'GET' })), '405 bad_request');
  const tmp = path.join(node.store.tmpRoot);
  assert.equal(fs.readdirSync(tmp), [], 'refused uploads leave nothing behind');
});

test('uploads over the limit: refused from Content-Length (before 100-continue) and mid-stream when chunked', async () => {
  // a group of its own: it should not replicate g1's files
  const small = await env.node('g9', 'small', { maxUploadBytes: 1000 });
  const t = env.tickets.uploadTicket('g9', ALICE, 60);
  const r = await rawRequest(`${small.url}/files?ticket=${t}`, { method: 'PUT', headers: { 'content-length': '5000', expect: '100-continue' }, body: Buffer.alloc(5000) });
  assert.is(r.status, 413);
  assert.not.ok(r.sawContinue, 'the body was never asked for');
  assert.is(JSON.parse(r.body.toString()).error.code, 'limit_exceeded');
  const ok = await rawRequest(`${small.url}/files?ticket=${t}`, { method: 'PUT', headers: { 'content-length': '10', expect: '100-continue' }, body: Buffer.alloc(10) });
  assert.is(ok.status, 201);
  assert.ok(ok.sawContinue);
  // chunked: no length up front, stopped once 1000 bytes are crossed
  const chunks = Readable.from((function* () { for (let i = 0; i < 100; i++) yield Buffer.alloc(100, i); })());
  const res = await fetch(`${small.url}/files?ticket=${t}`, { method: 'PUT', body: Readable.toWeb(chunks) as ReadableStream, duplex: 'half' } as RequestInit);
  assert.is(res.status, 413);
  await eventually(() => fs.readdirSync(small.store.tmpRoot).length === 0, 'temp file removed');
  await env.stopNode(small);
});

test('an upload whose client disconnects half-way leaves no file and no temp file', async () => {
  const t = env.tickets.uploadTicket('g1', ALICE, 60);
  const before = node.describe().activeTransfers;
  await new Promise<void>((resolve) => {
    const req = http.request(`${node.url}/files?ticket=${t}`, { method: 'PUT', headers: { 'content-length': String(10 * 1024 * 1024) } });
    req.on('error', () => resolve());
    req.write(Buffer.alloc(256 * 1024));
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 200);
  });
  await eventually(() => fs.readdirSync(node.store.tmpRoot).length === 0 && node.describe().activeTransfers === before, 'the aborted upload is cleaned up');
});

test('delete: owner only, bytes gone, then 404; peer endpoint needs a signature', async () => {
  const f = await upload(env, node, ALICE, Buffer.from('to be deleted'));
  const del = (user: number, op: 'delete' | 'read' = 'delete') => fetch(`${node.url}/files/${f.fileId}?ticket=${env.tickets.fileTicket(op, f.fileId, user, 60)}`, { method: 'DELETE' });
  assert.is((await del(BOB)).status, 403);
  assert.is((await del(ALICE, 'read')).status, 403);
  const peerPath = `/internal/files/${f.fileId}`;
  assert.is((await fetch(`${node.url}${peerPath}`)).status, 401);
  const peer = await fetch(`${node.url}${peerPath}`, { headers: { authorization: new PeerAuth(SECRET).sign('GET', peerPath, 'g1-peer-000000') } });
  assert.is(peer.status, 200);
  assert.is(peer.headers.get('x-content-sha256'), sha256('to be deleted'));
  assert.is(Buffer.from(await peer.arrayBuffer()).toString(), 'to be deleted');
  const ok = await del(ALICE);
  assert.is(ok.status, 200);
  const j = await ok.json() as { fileId: string; binlogSeq: number };
  assert.is(j.fileId, f.fileId);
  assert.ok(j.binlogSeq > f.binlogSeq);
  assert.is((await download(env, node, ALICE, f.fileId)).status, 404);
  assert.is((await del(ALICE)).status, 404);
  const row = await node.index.get(ALICE, f.fileId);
  assert.is(row?.status, 'deleted');
});

test('CORS on /files: checked preflights, allow-origin on answers, none on the internal API', async () => {
  const origin = 'http://127.0.0.1:8080';
  const pre = (path: string, method: string, headers: string) => fetch(`${node.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });
  const ok = await pre('/files?ticket=x', 'PUT', 'content-type, x-content-sha256');
  assert.is(ok.status, 204);
  assert.is(ok.headers.get('access-control-allow-origin'), '*');
  assert.match(ok.headers.get('access-control-allow-methods')!, /PUT/);
  assert.match(ok.headers.get('access-control-allow-headers')!, /x-content-sha256/);
  assert.is((await pre(`/files/${file.fileId}`, 'GET', 'range')).status, 204);
  const badHeader = await pre('/files', 'PUT', 'x-evil');
  assert.is(badHeader.status, 403);
  assert.match(((await badHeader.json()) as { error: { message: string } }).error.message, /x-evil/);
  assert.is((await pre('/files', 'PATCH', '')).status, 403);
  assert.is((await fetch(`${node.url}/files`, { method: 'OPTIONS' })).status, 403, 'OPTIONS without Origin is no preflight');
  assert.is((await pre(`/internal/files/${file.fileId}`, 'GET', '')).status, 405, 'peers\' API: no CORS');
  const r = await fetch(url(), { headers: { origin, range: 'bytes=0-9' } });
  assert.is(r.status, 206);
  assert.is(r.headers.get('access-control-allow-origin'), '*');
  assert.match(r.headers.get('access-control-expose-headers')!, /Content-Range/);
  assert.is((await fetch(url())).headers.get('access-control-allow-origin'), null, 'no Origin, no CORS headers');
});

test('CORS with a list of origins: only those are allowed', async () => {
  const listed = await env.node('g1', 'cors-list', { corsOrigins: ['http://app.example:8080'] });
  try {
    await listed.waitActive();
    const ask = (origin: string) => fetch(`${listed.url}/files`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' } });
    const yes = await ask('http://app.example:8080');
    assert.is(yes.status, 204);
    assert.is(yes.headers.get('access-control-allow-origin'), 'http://app.example:8080');
    assert.is(yes.headers.get('vary'), 'Origin');
    assert.is((await ask('http://elsewhere.example')).status, 403);
    const h = await fetch(`${listed.url}/files/x`, { headers: { origin: 'http://elsewhere.example' } });
    assert.is(h.headers.get('access-control-allow-origin'), null);
  } finally {
    await env.stopNode(listed);
  }
});

test('health and metrics', async () => {
  const h = await (await fetch(`${node.url}/healthz`)).json() as Record<string, unknown>;
  assert.is(h.state, 'active');
  assert.is(h.group, 'g1');
  assert.is(h.nodeId, node.nodeId);
  const m = await (await fetch(`${node.url}/metrics`)).text();
  assert.match(m, new RegExp(`troupe_storage_bytes_out_total\\{node="${node.nodeId}",kind="download"\\} \\d+`));
  assert.match(m, /troupe_storage_transfers_total\{[^}]*kind="upload",outcome="ok"\} \d+/);
  assert.match(m, /troupe_storage_replication_lag_records/);
});

test('200 MiB up and down over HTTP with constant memory; a ranged read from the middle', async () => {
  const MiB = 1024 * 1024;
  const total = 200 * MiB;
  const template = Buffer.alloc(MiB);
  for (let i = 0; i < MiB; i++) template[i] = (i * 13 + 1) & 255;
  const expected = createHash('sha256');
  let sent = 0;
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
  const base = process.memoryUsage();
  let peak = base.rss;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
  const t = env.tickets.uploadTicket('g1', ALICE, 60);
  const result = await new Promise<{ fileId: string; sha256: string; size: number }>((resolve, reject) => {
    const req = http.request(`${node.url}/files?ticket=${t}&name=big.bin`, { method: 'PUT', headers: { 'content-length': String(total), 'content-type': 'application/octet-stream' } }, async (res) => {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      if (res.statusCode !== 201) reject(new Error(Buffer.concat(chunks).toString()));
      else resolve(JSON.parse(Buffer.concat(chunks).toString()));
    });
    req.on('error', reject);
    source.pipe(req);
  });
  assert.is(result.size, total);
  assert.is(result.sha256, expected.digest('hex'));
  const down = createHash('sha256');
  const res = await fetch(url(result.fileId));
  assert.is(res.headers.get('content-length'), String(total));
  for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) down.update(c);
  clearInterval(sampler);
  assert.is(down.digest('hex'), result.sha256);
  const grew = (peak - base.rss) / MiB;
  console.log(`200 MiB over HTTP: rss +${grew.toFixed(1)} MiB`);
  assert.ok(grew < 120, `rss grew ${grew.toFixed(1)} MiB`);
  const mid = 100 * MiB + 5;
  const part = await fetch(url(result.fileId), { headers: { range: `bytes=${mid}-${mid + 9}` } });
  assert.is(part.status, 206);
  const bytes = Buffer.from(await part.arrayBuffer());
  const want = Buffer.allocUnsafe(10);
  template.copy(want, 0, 5, 15);
  assert.equal(bytes, want);
});

test.after(() => env.stop());
test.run();
