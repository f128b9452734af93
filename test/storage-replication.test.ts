// Replication through the group binlog with several nodes in one process on a real nats-server:
// uploads copied to peers, a stopped node catching up on restart, a new node copying everything
// before it turns active (also with the origin gone), deletes propagating, another group
// untouched, a lost state file re-applied without refetching. Every byte is checked by hash.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseFileId, filePath, holders, storageMetrics, type StorageNode } from '../storage/mod.ts';
import { StorageNodeInfo, isValid, type UploadResult, type GroupMember } from '../protocol/mod.ts';
import { startStorageEnv, upload, download, sha256, eventually } from './helpers/storage.ts';

const env = await startStorageEnv();
const ALICE = 1;
const BOB = 2;

/** Every live file, and what its bytes must hash to. */
const live = new Map<string, UploadResult>();
const deleted: UploadResult[] = [];

const sizes = [0, 1, 1000, 64 * 1024 + 3, 1024 * 1024, 3 * 1024 * 1024 + 17];
async function put(node: StorageNode, user = ALICE, size = sizes[live.size % sizes.length]): Promise<UploadResult> {
  const body = randomBytes(size);
  const r = await upload(env, node, user, body, { contentType: 'application/x-test', name: `f${live.size}` });
  assert.is(r.sha256, sha256(body));
  live.set(r.fileId, r);
  return r;
}

async function remove(node: StorageNode, f: UploadResult): Promise<number> {
  const res = await fetch(`${node.url}/files/${f.fileId}?ticket=${env.tickets.fileTicket('delete', f.fileId, ownerOf(f), 60)}`, { method: 'DELETE' });
  assert.is(res.status, 200);
  live.delete(f.fileId);
  deleted.push(f);
  return ((await res.json()) as { binlogSeq: number }).binlogSeq;
}

const owners = new Map<string, number>();
const ownerOf = (f: UploadResult) => owners.get(f.fileId) ?? ALICE;

const lastSeq = () => Math.max(0, ...[...live.values(), ...deleted].map((f) => f.binlogSeq));

async function caughtUp(node: StorageNode, seq: number): Promise<void> {
  await eventually(() => node.replicator.appliedSeq >= seq, `${node.nodeId} applies up to ${seq}`);
}

/** The node serves every live file with the right bytes, and none of the deleted ones. */
async function holdsAll(node: StorageNode): Promise<void> {
  for (const f of live.values()) {
    const r = await download(env, node, ownerOf(f), f.fileId);
    assert.is(r.status, 200, `${node.nodeId} serves ${f.fileId}`);
    assert.is(r.body.length, f.size);
    assert.is(sha256(r.body), f.sha256, `${node.nodeId}: ${f.fileId} hashes right`);
  }
  for (const f of deleted) {
    assert.is(await node.store.meta(parseFileId(f.fileId)!.n), null, `${node.nodeId} dropped ${f.fileId}`);
    assert.not.ok(fs.existsSync(filePath(node.store.filesRoot, parseFileId(f.fileId)!.n)), `${node.nodeId}: bytes of ${f.fileId} are gone`);
  }
}

async function groupView(group = 'g1'): Promise<GroupMember[]> {
  return (await env.hostRole.runtime.client.ask<{ members: GroupMember[] }>('group', group, { type: 'view' })).members;
}

async function replicated(nodeId: string): Promise<number> {
  const m = await storageMetrics.transfers.get();
  return m.values.filter((v) => v.labels.node === nodeId && v.labels.kind === 'replication' && v.labels.outcome === 'ok').reduce((a, v) => a + v.value, 0);
}

let A: StorageNode;
let B: StorageNode;
let C: StorageNode;
let X: StorageNode;

test('two nodes of g1 and one of g2 start and turn active', async () => {
  A = await env.node('g1', 'a');
  B = await env.node('g1', 'b');
  X = await env.node('g2', 'x');
  await Promise.all([A.waitActive(), B.waitActive(), X.waitActive()]);
  assert.is(A.state, 'active');
  assert.is.not(A.nodeId, B.nodeId);
});

test('uploads to either node are copied to the other; the origin serves at once', async () => {
  for (let i = 0; i < 6; i++) {
    const f = await put(i % 3 === 2 ? B : A);
    // read-your-write: the origin holds it before anyone replicated it
    const origin = i % 3 === 2 ? B : A;
    const r = await download(env, origin, ALICE, f.fileId);
    assert.is(r.status, 200);
  }
  const bobs = await put(A, BOB, 5000);
  owners.set(bobs.fileId, BOB);
  await Promise.all([caughtUp(A, lastSeq()), caughtUp(B, lastSeq())]);
  await holdsAll(A);
  await holdsAll(B);
});

test('a node applies its own uploads\' records without inserting their rows again; rows a failed group insert left out are inserted by the apply', async () => {
  const index = A.index;
  const insertOne = index.recordCreate.bind(index);
  const insertMany = index.recordCreates.bind(index);
  let applyInserts = 0;
  index.recordCreate = async (rec, seq) => {
    applyInserts++;
    return insertOne(rec, seq);
  };
  try {
    for (let i = 0; i < 4; i++) await put(A, ALICE, 100);
    await caughtUp(A, lastSeq());
    assert.is(applyInserts, 0, 'the committer\'s insert was waited for, not repeated');
    // the committer's insert fails once; the apply's own insert goes through
    index.recordCreates = async () => {
      index.recordCreates = insertMany;
      throw new Error('the database went away');
    };
    const f = await put(A, ALICE, 100);
    await caughtUp(A, f.binlogSeq);
    assert.is(applyInserts, 1, 'the apply inserted the row the committer could not');
    assert.is((await index.get(ALICE, f.fileId))?.binlogSeq, f.binlogSeq);
  } finally {
    index.recordCreate = insertOne;
    index.recordCreates = insertMany;
  }
  await caughtUp(B, lastSeq());
});

test('uploads made durable together share one creates record; peers copy every file of it', async () => {
  const store = A.store;
  const commitMany = store.commitMany.bind(store);
  const receive = store.receive.bind(store);
  let open!: () => void;
  const held = new Promise<void>((r) => (open = r));
  let calls = 0;
  let received = 0;
  store.commitMany = async (items) => {
    if (calls++ === 0) await held;
    return commitMany(items);
  };
  store.receive = async (source, opts) => {
    const r = await receive(source, opts);
    received++;
    return r;
  };
  let together: UploadResult[];
  try {
    // the first upload's group waits in commitMany; three more arrive meanwhile and queue
    const first = put(A, ALICE, 10);
    await eventually(() => received === 1, 'the first upload is received');
    const more = [put(A, ALICE, 20), put(A, ALICE, 30), put(A, ALICE, 40)];
    await eventually(() => received === 4, 'the other three are received');
    open();
    await first;
    together = await Promise.all(more);
  } finally {
    store.commitMany = commitMany;
    store.receive = receive;
  }
  assert.ok(together.every((f) => f.binlogSeq === together[0].binlogSeq), `one record for the three: ${together.map((f) => f.binlogSeq)}`);
  await caughtUp(B, lastSeq());
  await holdsAll(B);
  for (const f of together) assert.is((await B.index.get(ALICE, f.fileId))?.binlogSeq, f.binlogSeq);
});

test('a running node keeps its applied seq in the data dir once its records stop, not only when it stops', async () => {
  for (let i = 0; i < 3; i++) await put(A, ALICE, 10);
  await Promise.all([caughtUp(A, lastSeq()), caughtUp(B, lastSeq())]);
  const saved = (dir: string) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(env.root, dir, 'replication.json'), 'utf8')) as { appliedSeq: number }).appliedSeq;
    } catch {
      return -1;
    }
  };
  await eventually(() => saved('a') === A.replicator.appliedSeq && saved('b') === B.replicator.appliedSeq, 'the files of both running nodes reach their applied seqs');
});

test('the holder rule and the group actor\'s view: origin plus nodes that applied the record', async () => {
  const view = () => A.membership!.peers();
  await eventually(() => view().length === 2 && view().every((p) => p.appliedSeq >= lastSeq() && p.state === 'active'), 'both g1 nodes beat their progress to the group actor');
  const peers = view();
  assert.equal(peers.map((p) => p.nodeId).sort(), [A.nodeId, B.nodeId].sort());
  assert.ok(peers.every((p) => p.url.startsWith('http://127.0.0.1:')));
  const f = [...live.values()][0];
  assert.equal(holders({ origin: A.nodeId, binlogSeq: f.binlogSeq }, peers).length, 2);
  // a record no one has applied yet: only its origin holds it
  assert.equal(holders({ origin: A.nodeId, binlogSeq: lastSeq() + 1000 }, peers).map((p) => p.nodeId), [A.nodeId]);
  assert.equal(holders({ origin: A.nodeId, binlogSeq: 1, status: 'deleted' }, peers), []);
  // the group actor routes reads by the same rule
  const { targets } = await env.hostRole.runtime.client.ask<{ targets: { node: string }[] }>('group', 'g1', { type: 'readTargets', origin: A.nodeId, binlogSeq: lastSeq() + 1000 });
  assert.equal(targets.map((t) => t.node), [A.nodeId]);
  // the KV entry for operators
  const entry = (await env.kv.get(`storage.${A.nodeId}`))!.json<Record<string, unknown>>();
  assert.ok(isValid(StorageNodeInfo, entry), `the entry matches the documented schema: ${JSON.stringify(entry)}`);
  assert.ok((entry.freeBytes as number) > 0);
});

test('another group sees none of it', async () => {
  assert.is(X.replicator.appliedSeq, 0);
  assert.equal(fs.readdirSync(X.store.filesRoot), []);
  const f = [...live.values()][1];
  assert.is((await download(env, X, ALICE, f.fileId)).status, 404);
});

test('a stopped node catches up on restart: new files copied, deletes applied, nothing refetched', async () => {
  const bId = B.nodeId;
  const applied = B.replicator.appliedSeq;
  await env.stopNode(B);
  const stateFile = JSON.parse(fs.readFileSync(path.join(env.root, 'b', 'replication.json'), 'utf8'));
  assert.is(stateFile.appliedSeq, applied, 'the applied seq is kept in the data dir');
  for (let i = 0; i < 3; i++) await put(A);
  const gone = [...live.values()][0];
  await remove(A, gone);
  assert.is((await download(env, A, ALICE, gone.fileId)).status, 404, 'the deleting node drops it at once');
  const before = await replicated(bId);
  B = await env.node('g1', 'b');
  assert.is(B.nodeId, bId, 'same data dir, same node');
  await B.waitActive();
  assert.ok(B.replicator.appliedSeq >= lastSeq(), 'active means caught up');
  assert.is(await replicated(bId) - before, 3, 'only the three new files were fetched');
  await holdsAll(B);
});

test('a new node copies everything before it turns active', async () => {
  await put(B);
  await caughtUp(A, lastSeq());
  C = await env.node('g1', 'c');
  // right after start it is still syncing (there is a backlog)
  assert.is(C.state, 'syncing');
  await C.waitActive();
  assert.is(C.state, 'active');
  await holdsAll(C);
  const entry = (await env.kv.get(`storage.${C.nodeId}`))!.json<{ state: string }>();
  assert.is(entry.state, 'active', 'and says so in the registry');
  await eventually(async () => (await groupView()).find((m) => m.node === C.nodeId)?.state === 'active', 'the group actor has it active');
});

test('with the origin gone, a new node fetches from peers that applied the records', async () => {
  await env.stopNode(A);
  assert.is((await groupView()).find((m) => m.node === A.nodeId)?.state, 'offline', 'a node that stops leaves its group at once');
  const D = await env.node('g1', 'd');
  await D.waitActive();
  await holdsAll(D);
  // deletes through any node reach every replica
  const f = [...live.values()].find((x) => x.size > 0)!;
  const seq = await remove(C, f);
  await Promise.all([caughtUp(B, seq), caughtUp(C, seq), caughtUp(D, seq)]);
  await holdsAll(B);
  await holdsAll(C);
  await holdsAll(D);
  const row = await D.index.get(ownerOf(f), f.fileId);
  assert.is(row?.status, 'deleted');
  await env.stopNode(D);
});

test('a lost replication state re-applies the binlog without refetching what is on disk', async () => {
  const cId = C.nodeId;
  await env.stopNode(C);
  fs.rmSync(path.join(env.root, 'c', 'replication.json'));
  const before = await replicated(cId);
  C = await env.node('g1', 'c');
  await C.waitActive();
  assert.ok(C.replicator.appliedSeq >= lastSeq());
  assert.is(await replicated(cId) - before, 0, 'every file was already there');
  await holdsAll(C);
});

test('a node that crashed mid-record (delivery never acked) resumes at once, not after the ack wait', async () => {
  // what a crash leaves behind: the node's identity on disk and its durable consumer holding an
  // unacknowledged delivery
  const nodeId = 'g1-crashed-000001';
  fs.mkdirSync(path.join(env.root, 'e'), { recursive: true });
  fs.writeFileSync(path.join(env.root, 'e', 'node.json'), JSON.stringify({ nodeId, group: 'g1', createdAt: new Date().toISOString() }));
  const jsm = await jetstreamManager(env.host);
  await jsm.consumers.add('STORAGE', { durable_name: `storage-${nodeId}`, filter_subject: 'storage.g1.log', ack_policy: AckPolicy.Explicit, ack_wait: 30_000_000_000, max_ack_pending: 1, deliver_policy: DeliverPolicy.All });
  const c = await jetstream(env.host).consumers.get('STORAGE', `storage-${nodeId}`);
  const m = await c.next({ expires: 2000 });
  assert.ok(m, 'a record was delivered and is left unacked');
  const started = Date.now();
  const E = await env.node('g1', 'e');
  assert.is(E.nodeId, nodeId);
  await E.waitActive();
  assert.ok(Date.now() - started < 10_000, `caught up in ${Date.now() - started} ms`);
  await holdsAll(E);
  await env.stopNode(E);
});

test('metadata rows exist for every live file and deleted ones are marked', async () => {
  for (const f of live.values()) {
    const row = await B.index.get(ownerOf(f), f.fileId);
    assert.is(row?.status, 'active', f.fileId);
    assert.is(row?.sha256, f.sha256);
    assert.is(row?.binlogSeq, f.binlogSeq);
  }
  for (const f of deleted) assert.is((await B.index.get(ownerOf(f), f.fileId))?.status, 'deleted');
});

test.after(() => env.stop());
test.run();
