// The terminal client's plain output and line parsing, without a system.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { esc, row, entryRow, entryLine, describeSystem, splitWords, directRoomId, isRoomId } from '../ops/client/mod.ts';
import type { ChatEntry } from '../protocol/client/mod.ts';

const names: Record<number, string> = { 1: 'alice', 2: 'bob' };
const label = (id: number) => names[id] ?? `#${id}`;
const at = Date.UTC(2024, 4, 1, 12, 30, 5);
const entry = (e: Partial<ChatEntry>): ChatEntry => ({ room: 'd1-2', seq: 1, kind: 'text', from: 1, body: '', at, ...e });

test('free text never breaks a record: backslash, TAB, newline and CR are escaped', () => {
  assert.is(esc('a\\b\tc\nd\re'), 'a\\\\b\\tc\\nd\\re');
  assert.is(row('g1', 3, 'x\ty'), 'g1\t3\tx\\ty');
});

test('entries as records: text, edited, recalled, edit, recall, system', () => {
  assert.is(entryRow(entry({ body: 'hi\nthere' }), label), 'd1-2\t1\t2024-05-01T12:30:05Z\talice\ttext\thi\\nthere');
  assert.is(entryRow(entry({ body: 'new', edited: true }), label).split('\t')[4], 'edited');
  assert.equal(entryRow(entry({ recalled: true }), label).split('\t').slice(4), ['recalled', '']);
  assert.equal(entryRow(entry({ seq: 5, kind: 'edit', ref: 1, body: 'new' }), label).split('\t').slice(4), ['edit', '#1 new']);
  assert.equal(entryRow(entry({ seq: 6, kind: 'recall', ref: 1 }), label).split('\t').slice(4), ['recall', '#1']);
  assert.equal(entryRow(entry({ kind: 'system', from: 0, data: { event: 'joined', user: 2 } }), label).split('\t').slice(3), ['-', 'system', 'bob joined']);
});

test('system events in words; unknown users as #id; a system message keeps its text', () => {
  const sys = (data: Record<string, unknown>, body = '') => describeSystem(entry({ kind: 'system', data, body }), label);
  assert.is(sys({ event: 'created', by: 1, name: 'Project' }), 'alice created the room "Project"');
  assert.is(sys({ event: 'invited', by: 1, user: 9 }), 'alice added #9');
  assert.is(sys({ event: 'left', user: 1, owner: 2 }), 'alice left; bob is now the owner');
  assert.is(sys({ event: 'kicked', by: 1, user: 2 }), 'alice removed bob');
  assert.is(sys({ event: 'role', by: 1, user: 2, role: 'admin' }), 'alice made bob an admin');
  assert.is(sys({ event: 'updated', by: 2, name: 'Y', open: true }), 'bob renamed the room to "Y", opened the room to anyone');
  assert.is(sys({}, 'maintenance at noon'), 'maintenance at noon');
});

test('the interactive line of an entry has its seq (for /edit and /recall)', () => {
  assert.match(entryLine(entry({ seq: 7, body: 'hello' }), label, at), /^\[#7 \d\d:\d\d\] alice: hello$/);
  assert.match(entryLine(entry({ seq: 7, body: 'hello', edited: true }), label, at), /alice: hello \(edited\)$/);
  assert.match(entryLine(entry({ seq: 8, kind: 'recall', ref: 7 }), label, at), /\* alice recalled #7$/);
});

test('interactive commands split like a shell: quotes group, backslash escapes', () => {
  assert.equal(splitWords(`create "Project X" --member bob`), ['create', 'Project X', '--member', 'bob']);
  assert.equal(splitWords(`it\\'s  'a b'c ""`), ["it's", 'a bc', '']);
  assert.throws(() => splitWords('"open'), /unterminated " quote/);
});

test('room ids', () => {
  assert.is(directRoomId(9, 3), 'd3-9');
  assert.ok(isRoomId('gabcdefghijkl') && isRoomId('d3-9') && isRoomId('d0-1'), 'd0-<uid>: a user\'s system messages');
  assert.not.ok(isRoomId('Project') || isRoomId('d1-0') || isRoomId('gABCDEFGHIJKL'));
});

test.run();
