// Storage nodes on embedded PGlite (what a single-process `troupe up` uses): upload, replication,
// a ranged read and a delete, with every query the node makes running on PGlite.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { startStorageEnv, upload, download, sha256, eventually } from './helpers/storage.ts';
import { jetstreamManager } from '@nats-io/jetstream';

const env = await startStorageEnv({ db: 'pglite' });

test('two nodes on PGlite: replicate, serve a range, delete everywhere', async () => {
  assert.is(env.db.database.driver, 'pglite');
  const a = await env.node('g1', 'a');
  const b = await env.node('g1', 'b');
  await Promise.all([a.waitActive(), b.waitActive()]);
  const body = randomBytes(300_000);
  const f = await upload(env, a, 5, body, { contentType: 'audio/ogg' });
  await eventually(() => b.replicator.appliedSeq >= f.binlogSeq, 'b applies the create');
  const full = await download(env, b, 5, f.fileId);
  assert.is(full.status, 200);
  assert.is(sha256(full.body), sha256(body));
  assert.is(full.headers.get('content-type'), 'audio/ogg');
  const part = await download(env, b, 5, f.fileId, { range: 'bytes=-10' });
  assert.is(part.status, 206);
  assert.equal(part.body, body.subarray(-10));
  assert.is((await a.index.get(5, f.fileId))?.binlogSeq, f.binlogSeq);
  const del = await fetch(`${b.url}/files/${f.fileId}?ticket=${env.tickets.fileTicket('delete', f.fileId, 5, 60)}`, { method: 'DELETE' });
  assert.is(del.status, 200);
  const { binlogSeq } = await del.json() as { binlogSeq: number };
  await eventually(() => a.replicator.appliedSeq >= binlogSeq, 'a applies the delete');
  assert.is((await download(env, a, 5, f.fileId)).status, 404);
  assert.is((await a.index.get(5, f.fileId))?.status, 'deleted');
});

test('a node whose applied seq is past the end of a recreated stream starts over', async () => {
  const c = await env.node('g1', 'c');
  await c.waitActive();
  assert.ok(c.replicator.appliedSeq > 0);
  await env.stopNode(c);
  await (await jetstreamManager(env.host)).streams.purge('STORAGE');
  // a purge keeps the sequence; a deleted and recreated stream restarts it
  await (await jetstreamManager(env.host)).streams.delete('STORAGE');
  // the server finishes removing the stream's files after it answers (see Replicator.reattach)
  await new Promise((r) => setTimeout(r, 1000));
  const again = await env.node('g1', 'c');
  await again.waitActive();
  assert.is(again.replicator.appliedSeq, 0);
  const f = await upload(env, again, 5, Buffer.from('after the reset'));
  assert.is(f.binlogSeq, 1);
  const d = await env.node('g1', 'd');
  await d.waitActive();
  assert.is((await download(env, d, 5, f.fileId)).status, 200);
  // the nodes that ran through the reset lost their consumers with the stream: they attach again
  for (const n of env.running().filter((x) => x !== again && x !== d)) {
    await eventually(async () => (await download(env, n, 5, f.fileId)).status === 200, `${n.nodeId} follows the new stream`, 10_000);
    assert.is(sha256((await download(env, n, 5, f.fileId)).body), sha256('after the reset'));
  }
});

test.after(() => env.stop());
test.run();
