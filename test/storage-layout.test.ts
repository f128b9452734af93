// File ids and the three-level directory layout: round trips, the exact mapping, and traversal
// or malformed ids rejected.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { formatFileId, parseFileId, relativeFilePath, filePath, randomPart } from '../storage/mod.ts';
import { isSubjectToken, FileId, isValid } from '../protocol/mod.ts';
import { prng } from './helpers/prng.ts';

test('format and parse round-trip; ids are URL-, subject- and schema-safe', () => {
  for (const n of [1, 2, 35, 36, 511, 512, 512 ** 2, 512 ** 3 - 1, 512 ** 3, 512 ** 4 + 7, Number.MAX_SAFE_INTEGER]) {
    const id = formatFileId('g1', n);
    const p = parseFileId(id);
    assert.ok(p, id);
    assert.is(p!.group, 'g1');
    assert.is(p!.n, n);
    assert.is(encodeURIComponent(id), id, 'nothing to escape in a URL');
    assert.ok(isSubjectToken(id), 'usable as a subject token');
    assert.ok(isValid(FileId, id), 'matches the protocol schema');
  }
  assert.is(formatFileId('media_01', 3, 'abcdefghij23'), 'media_01-3-abcdefghij23');
});

test('the random part differs between ids and uses only a-z2-7', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const r = randomPart();
    assert.match(r, /^[a-z2-7]{12}$/);
    seen.add(r);
  }
  assert.is(seen.size, 2000);
});

test('the path is the seed\'s 512-ary three-level layout of n', () => {
  const cases: [number, string][] = [
    [1, '000/000/000/001'],
    [511, '000/000/000/511'],
    [512, '000/000/001/000'],
    [512 * 512 + 3, '000/001/000/003'],
    [512 ** 3, '001/000/000/000'],
    [3 * 512 ** 3 + 4 * 512 ** 2 + 5 * 512 + 6, '003/004/005/006'],
    // past 512^4 the top level keeps counting
    [512 ** 4, '512/000/000/000'],
    [Number.MAX_SAFE_INTEGER, `${Math.floor(Number.MAX_SAFE_INTEGER / 512 ** 3)}/511/511/511`],
  ];
  for (const [n, rel] of cases) assert.is(relativeFilePath(n), rel.split('/').join(path.sep), String(n));
  assert.is(filePath('/data/files', 513), path.join('/data/files', '000', '000', '001', '001'));
  assert.throws(() => relativeFilePath(0));
  assert.throws(() => relativeFilePath(1.5));
  assert.throws(() => relativeFilePath(-1));
});

test('malformed and hostile ids are rejected', () => {
  const bad = [
    '', 'g1', 'g1-1', 'g1-1-', '-1-abcdefghij23', 'g1--abcdefghij23',
    'g1-0-abcdefghij23',          // zero
    'g1-01-abcdefghij23',         // leading zero: not canonical
    'g1-1-abcdefghij2',           // random part too short
    'g1-1-abcdefghij234',         // too long
    'g1-1-ABCDEFGHIJ23',          // upper case
    'g1-1-abcdefghij01',          // 0 and 1 are not in the alphabet
    'g1-zzzzzzzzzzz-abcdefghij23', // past 2^53
    'g1-1-abcdefghij23 ', ' g1-1-abcdefghij23', 'g1-1-abcdefghij23\n',
    '../etc/passwd', '..-1-abcdefghij23', 'g1-..-abcdefghij23', 'g1-1-../../../../x',
    'g1/../../x-1-abcdefghij23', 'g1-1-abcdefghij23/../../x', '%2e%2e-1-abcdefghij23',
    'g1-%2e%2e-abcdefghij23', 'g1.x-1-abcdefghij23', 'g*-1-abcdefghij23', 'g>-1-abcdefghij23',
    'g1-1\u0000-abcdefghij23', 'g1-１-abcdefghij23', 'g1-1-abcdefghij2\u00e9',
    'a'.repeat(33) + '-1-abcdefghij23', // group too long
    'g1-1-abcdefghij23-extra',
  ];
  for (const id of bad) assert.is(parseFileId(id), null, JSON.stringify(id));
  for (const v of [undefined, null, 42, {}, ['g1-1-abcdefghij23']]) assert.is(parseFileId(v), null);
  assert.throws(() => formatFileId('g-1', 1), /group/);
  assert.throws(() => formatFileId('../x', 1), /group/);
  assert.throws(() => formatFileId('g1', 1, '../../../../'), /random/);
});

test('fuzz: whatever parses maps to a path of four digit parts inside the root', () => {
  const rand = prng(7);
  const alphabet = 'abcz0279-_./\\%:~ \u0000é1';
  const root = path.resolve('/srv/storage/files');
  let parsed = 0;
  for (let i = 0; i < 20_000; i++) {
    let s = '';
    const len = Math.floor(rand() * 30);
    for (let j = 0; j < len; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
    // half the inputs start from a valid id and get mutated
    if (i % 2) s = formatFileId('g1', 1 + Math.floor(rand() * 1e9)).replace(/./g, (c) => (rand() < 0.05 ? alphabet[Math.floor(rand() * alphabet.length)] : c));
    const p = parseFileId(s);
    if (!p) continue;
    parsed++;
    const full = filePath(root, p.n);
    assert.ok(full.startsWith(root + path.sep), full);
    assert.match(path.relative(root, full), /^\d{3,}[/\\]\d{3}[/\\]\d{3}[/\\]\d{3}$/);
  }
  assert.ok(parsed > 100, `some mutated ids stay valid (${parsed})`);
});

test.run();
