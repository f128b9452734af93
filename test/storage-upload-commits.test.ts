// Group commit of uploads (storage/upload-commits.ts) against a real file store, with the binlog
// and the rows recorded: uploads that arrive while a group is being made durable go together in
// the next one, as one `creates` record and one insert; the next group places its files while
// the one before it records; none is answered before its record; a
// failed append drops the group's files; a failed insert still answers (the record stands) and
// tells the replicator to insert the rows itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { FileStore, UploadCommitter, OwnRows, formatFileId, type Committed, type Received } from '../storage/mod.ts';
import { TroupeError, type BinlogRecord, type BinlogCreate } from '../protocol/mod.ts';
import { logger } from '../lib/mod.ts';
import { tempDir } from './helpers/env.ts';

const dir = tempDir('troupe-commits-');
const store = new FileStore(dir);
await store.init();

function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

function setup() {
  const appended: BinlogRecord[] = [];
  const inserted: { rec: BinlogCreate; seq: number }[][] = [];
  const ownRows = new OwnRows();
  const o = {
    appendGate: undefined as Promise<void> | undefined,
    appendCalls: 0,
    appendFails: false,
    insertFails: false,
  };
  const committer = new UploadCommitter({
    group: 'g1', nodeId: 'node-a', store, ownRows, log: logger('test'),
    binlog: {
      async append(rec) {
        o.appendCalls++;
        await o.appendGate;
        if (o.appendFails) throw new Error('no binlog');
        appended.push(rec);
        return appended.length;
      },
    },
    index: {
      async recordCreates(recs) {
        if (o.insertFails) throw new Error('no database');
        inserted.push(recs);
      },
    },
  });
  return { committer, appended, inserted, ownRows, o };
}

let next = 1;
async function received(): Promise<{ r: Received; n: number }> {
  const n = next++;
  const r = await store.receive(Readable.from([Buffer.from(`file ${n}`)]), {
    maxBytes: 100,
    describe: ({ size, sha256 }) => ({ op: 'create', fileId: formatFileId('g1', n), group: 'g1', owner: 1, size, sha256, contentType: 'text/plain', name: '', createdAt: new Date().toISOString(), origin: 'node-a' }),
  });
  return { r, n };
}

test('uploads arriving during a group go together in the next: one creates record, one insert, one sequence', async () => {
  const { committer, appended, inserted, ownRows, o } = setup();
  const g = gate();
  o.appendGate = g.wait;
  const first = await received();
  const answered: string[] = [];
  const p1 = committer.commit(first.r, first.n).then((c) => (answered.push(c.rec.fileId), c));
  const rest = await Promise.all([received(), received(), received()]);
  const ps = rest.map((x) => committer.commit(x.r, x.n).then((c) => (answered.push(c.rec.fileId), c)));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(answered, [], 'nothing is answered before its record is appended');
  assert.ok(await store.meta(first.n), 'the first group\'s file is in place before its record is appended');
  g.open();
  const c1: Committed = await p1;
  const cs = await Promise.all(ps);
  assert.is(appended.length, 2);
  assert.is(appended[0].op, 'create', 'a group of one is a plain create record');
  const batch = appended[1];
  assert.is(batch.op, 'creates');
  if (batch.op !== 'creates') return;
  assert.equal(batch.files.map((f) => f.fileId), cs.map((c) => c.rec.fileId));
  assert.is(batch.group, 'g1');
  assert.is(batch.origin, 'node-a');
  assert.is(c1.seq, 1);
  assert.ok(cs.every((c) => c.seq === 2), 'the files of one record share its sequence');
  assert.equal(inserted.map((rows) => rows.map((x) => x.seq)), [[1], [2, 2, 2]], 'one insert per group');
  for (const c of [c1, ...cs]) {
    assert.is(await ownRows.take(c.rec.fileId), true, 'the replicator learns the row is in');
    assert.ok(await store.meta(Number.parseInt(c.rec.fileId.split('-')[1], 36)));
  }
});

test('the next group places its files while the one before it records; records keep the groups\' order', async () => {
  const { committer, appended, inserted, o } = setup();
  const g = gate();
  o.appendGate = g.wait;
  const first = await received();
  const p1 = committer.commit(first.r, first.n);
  while (o.appendCalls < 1) await new Promise((r) => setTimeout(r, 1));
  const second = await received();
  const p2 = committer.commit(second.r, second.n);
  for (let i = 0; i < 2000 && !(await store.meta(second.n)); i++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(await store.meta(second.n), 'the second group\'s file is in place while the first group\'s record is held');
  assert.is(o.appendCalls, 1, 'the second record waits for the first');
  g.open();
  const [c1, c2] = await Promise.all([p1, p2]);
  assert.equal(appended.map((r) => (r.op === 'create' ? r.fileId : '')), [first.r.meta.fileId, second.r.meta.fileId]);
  assert.equal([c1.seq, c2.seq], [1, 2]);
  assert.equal(inserted.map((rows) => rows.map((x) => x.seq)), [[1], [2]]);
});

test('a failed append drops the whole group: nothing stays on disk and the replicator is not told to wait', async () => {
  const { committer, inserted, ownRows, o } = setup();
  o.appendFails = true;
  const x = await received();
  try {
    await committer.commit(x.r, x.n);
    assert.unreachable('answered without a record');
  } catch (e) {
    assert.instance(e, TroupeError);
    assert.is((e as TroupeError).code, 'unavailable');
  }
  assert.is(await store.meta(x.n), null);
  assert.is(ownRows.take(x.r.meta.fileId), undefined);
  assert.equal(inserted, []);
  assert.equal(fs.readdirSync(store.tmpRoot), []);
});

test('a failed insert still answers (the record stands for the row) and tells the replicator to insert it', async () => {
  const { committer, appended, ownRows, o } = setup();
  o.insertFails = true;
  const x = await received();
  const c = await committer.commit(x.r, x.n);
  assert.is(c.seq, 1);
  assert.is(appended.length, 1);
  assert.is(await ownRows.take(x.r.meta.fileId), false);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
