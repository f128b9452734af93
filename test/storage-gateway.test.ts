// files.* and storage.groups through a gateway, with the hosts' files service, the group and
// tracker actors and storage nodes of two groups: routing remembered per user, upload tickets for
// the group's nodes, listing with cursors, owner-only downloads with ranges, chat links with a
// grant, deletes reaching every replica, and what happens when a user's group has no active node.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { callService } from '../lib/mod.ts';
import { TroupeError, type GroupMember, type UploadResult } from '../protocol/mod.ts';
import { parseFileId, filePath, type StorageNode } from '../storage/mod.ts';
import type { TroupeClient } from '../protocol/client/mod.ts';
import { startStorageEnv, sha256, eventually } from './helpers/storage.ts';

const env = await startStorageEnv({ gateway: true });
const nodes: Record<string, StorageNode[]> = {
  g1: [await env.node('g1', 'a'), await env.node('g1', 'b')],
  g2: [await env.node('g2', 'x')],
};
const all = () => [...nodes.g1, ...nodes.g2];

async function view(group: string): Promise<GroupMember[]> {
  return (await env.hostRole.runtime.client.ask<{ members: GroupMember[] }>('group', group, { type: 'view' })).members;
}

async function rejects(p: Promise<unknown>, code: string): Promise<TroupeError> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, TroupeError);
    assert.is((e as TroupeError).code, code, (e as Error).message);
    return e as TroupeError;
  }
  throw new Error(`expected ${code}`);
}

async function put(client: TroupeClient, body: Buffer, name: string, type = 'application/octet-stream'): Promise<UploadResult> {
  const grant = await client.request('files.upload', { size: body.length });
  const res = await fetch(`${grant.url}&name=${encodeURIComponent(name)}`, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': type } });
  assert.is(res.status, 201);
  return (await res.json()) as UploadResult;
}

let alice: TroupeClient;
let bob: TroupeClient;
let aliceGroup = '';
const files: { r: UploadResult; body: Buffer }[] = [];

test('every node turns active in its group actor\'s view', async () => {
  await eventually(async () => (await view('g1')).filter((m) => m.state === 'active').length === 2 && (await view('g2')).some((m) => m.state === 'active'), 'g1 and g2 active');
  alice = await env.user('alice');
  bob = await env.user('bob');
});

test('files.upload: a ticket for the user\'s group, its active nodes least-loaded first; the route is remembered', async () => {
  const grant = await alice.request('files.upload', {});
  aliceGroup = grant.group;
  const urls = new Set(nodes[aliceGroup].map((n) => `${n.url}/files?ticket=${grant.ticket}`));
  assert.is(grant.urls.length, nodes[aliceGroup].length);
  assert.ok(grant.urls.every((u) => urls.has(u)), 'every URL is a node of the group with the ticket');
  assert.is(grant.url, grant.urls[0]);
  assert.ok(Date.parse(grant.expiresAt) > Date.now() + 800_000, 'the ticket lives ticket_ttl_seconds (900)');
  for (let i = 0; i < 3; i++) assert.is((await alice.request('files.upload', {})).group, aliceGroup, 'the same group every time');
  const route = await env.hostRole.runtime.client.ask<{ group: string }>('tracker', 'main', { type: 'pickGroup' });
  assert.ok(['g1', 'g2'].includes(route.group));
  // more than any disk holds: no node has room
  await rejects(alice.request('files.upload', { size: Number.MAX_SAFE_INTEGER }), 'limit_exceeded');
});

test('uploads with the ticket; stat, list with cursors', async () => {
  for (let i = 0; i < 5; i++) {
    const body = randomBytes(1000 + i * 77_777);
    const r = await put(alice, body, `clip ${i}.mp4`, 'video/mp4');
    assert.is(r.sha256, sha256(body));
    assert.is(r.group, aliceGroup);
    files.push({ r, body });
  }
  const { file } = await alice.request('files.stat', { id: files[2].r.fileId });
  assert.equal(file, { id: files[2].r.fileId, group: aliceGroup, size: files[2].body.length, sha256: files[2].r.sha256, contentType: 'video/mp4', name: 'clip 2.mp4', createdAt: files[2].r.createdAt });
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await alice.request('files.list', { limit: 2, ...(cursor ? { cursor } : {}) });
    seen.push(...page.files.map((f) => f.id));
    cursor = page.cursor;
    pages++;
  } while (cursor);
  assert.is(pages, 3);
  assert.equal(seen, files.map((f) => f.r.fileId).reverse(), 'newest first, each once');
  assert.equal((await bob.request('files.list', {})).files, []);
  await rejects(alice.request('files.list', { cursor: 'not-a-cursor' }), 'bad_request');
});

test('files.download: URLs on the nodes that hold the file; ranges; owner only', async () => {
  const f = files[4];
  const grant = await alice.request('files.download', { id: f.r.fileId });
  assert.is(grant.file.sha256, f.r.sha256);
  assert.ok(grant.urls.length >= 1);
  for (const url of grant.urls) assert.ok(url.includes(`/files/${f.r.fileId}?ticket=${grant.ticket}`));
  const full = Buffer.from(await (await fetch(grant.urls[0])).arrayBuffer());
  assert.is(sha256(full), f.r.sha256);
  const part = await fetch(grant.urls[0], { headers: { range: 'bytes=100-4195' } });
  assert.is(part.status, 206);
  assert.equal(Buffer.from(await part.arrayBuffer()), f.body.subarray(100, 4196));
  // once every node of the group applied the record, every node is a read target
  await eventually(async () => (await alice.request('files.download', { id: f.r.fileId })).urls.length === nodes[aliceGroup].length, 'all replicas listed');
  await rejects(bob.request('files.download', { id: f.r.fileId }), 'not_found');
  await rejects(bob.request('files.stat', { id: f.r.fileId }), 'not_found');
  // bob's read ticket would not do either: the node checks the owner
  const bobsTicket = env.tickets.fileTicket('read', f.r.fileId, (bob.user as { id: number }).id, 60);
  assert.is((await fetch(`${nodes[aliceGroup][0].url}/files/${f.r.fileId}?ticket=${bobsTicket}`)).status, 403);
});

test('svc.files.link: a read grant for another user, checked by the caller, named in the ticket', async () => {
  const f = files[1];
  const link = await callService(env.host, 'svc.files.link', { fileId: f.r.fileId, forUser: (bob.user as { id: number }).id, grant: 'room:42' });
  assert.is(link.file.id, f.r.fileId);
  const payload = JSON.parse(Buffer.from(link.ticket.split('.')[1], 'base64url').toString()) as { user: number; grant?: string; op: string };
  assert.equal([payload.op, payload.user, payload.grant], ['read', (bob.user as { id: number }).id, 'room:42']);
  const res = await fetch(link.urls[0]);
  assert.is(res.status, 200);
  assert.is(sha256(Buffer.from(await res.arrayBuffer())), f.r.sha256);
  await rejects(callService(env.host, 'svc.files.link', { fileId: 'g1-zz-aaaaaaaaaaaa', forUser: 1, grant: 'room:1' }), 'not_found');
});

test('chat links: a message references your upload; members get a signed URL, others do not', async () => {
  const body = randomBytes(50_000);
  const up = await put(alice, body, 'photo.jpg', 'image/jpeg');
  const cleo = await env.user('outsider_linkcheck');
  const room = (await alice.request('rooms.create', { name: 'Photos', members: [bob.user!.id] })).room.id;
  await rejects(bob.request('chat.send', { room, clientMsgId: 'steal', body: 'mine now', file: up.fileId }), 'not_found');
  const sent = await alice.request('chat.send', { room, clientMsgId: 'pic', body: 'look', file: up.fileId });
  const link = await bob.request('chat.file', { room, seq: sent.seq });
  assert.equal([link.file.id, link.file.name, link.file.contentType, link.file.size], [up.fileId, 'photo.jpg', 'image/jpeg', body.length], 'what the file is, to show it');
  const got = await fetch(link.url);
  assert.is(got.status, 200);
  assert.is(sha256(Buffer.from(await got.arrayBuffer())), sha256(body));
  const history = await bob.request('chat.history', { room });
  const entry = history.messages.find((m) => m.seq === sent.seq)!;
  assert.is(entry.file, up.fileId);
  assert.ok(entry.fileUrl, 'history entries carry a URL for the member');
  const ranged = await fetch(entry.fileUrl!, { headers: { range: 'bytes=0-9' } });
  assert.is(ranged.status, 206);
  await rejects(cleo.request('chat.file', { room, seq: sent.seq }), 'forbidden');
  await alice.request('chat.recall', { room, seq: sent.seq });
  await rejects(bob.request('chat.file', { room, seq: sent.seq }), 'not_found');
  await alice.request('files.delete', { id: up.fileId });
});

test('files.delete: the row at once, the bytes on every node of the group', async () => {
  const f = files[0];
  const { id, binlogSeq } = await alice.request('files.delete', { id: f.r.fileId });
  assert.is(id, f.r.fileId);
  assert.ok(binlogSeq > f.r.binlogSeq);
  await rejects(alice.request('files.stat', { id }), 'not_found');
  await rejects(alice.request('files.download', { id }), 'not_found');
  await rejects(alice.request('files.delete', { id }), 'not_found');
  await rejects(bob.request('files.delete', { id: files[1].r.fileId }), 'not_found');
  const n = parseFileId(id)!.n;
  for (const node of nodes[aliceGroup]) {
    await eventually(() => node.replicator.appliedSeq >= binlogSeq, `${node.nodeId} applies the delete`);
    assert.not.ok(fs.existsSync(filePath(node.store.filesRoot, n)), `${node.nodeId} dropped the bytes`);
  }
  assert.is((await alice.request('files.list', {})).files.length, 4);
});

test('storage.groups: both groups, their nodes and states', async () => {
  const { groups } = await alice.request('storage.groups', {});
  assert.equal(groups.map((g) => [g.name, g.active, g.nodes.length]), [['g1', 2, 2], ['g2', 1, 1]]);
  assert.ok(groups.every((g) => g.freeBytes > 0));
  assert.equal(new Set(groups.flatMap((g) => g.nodes.map((n) => n.node))), new Set(all().map((n) => n.nodeId)));
});

test('a user\'s group without active nodes: the route holds (unavailable); new users go elsewhere', async () => {
  for (const n of nodes[aliceGroup]) await env.stopNode(n);
  await eventually(async () => (await view(aliceGroup)).every((m) => m.state === 'offline'), 'the group actor has them offline');
  const e = await rejects(alice.request('files.upload', {}), 'unavailable');
  assert.match(e.message, /no active node/);
  await rejects(alice.request('files.download', { id: files[3].r.fileId }), 'unavailable');
  const other = aliceGroup === 'g1' ? 'g2' : 'g1';
  await eventually(async () => {
    const { groups } = await alice.request('storage.groups', {});
    return groups.find((g) => g.name === aliceGroup)!.active === 0;
  }, 'the tracker heard');
  const carol = await env.user('carol');
  assert.is((await carol.request('files.upload', {})).group, other);
});

test.after(() => env.stop());
test.run();
