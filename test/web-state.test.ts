// The web client's state logic, without a browser: timelines (history pages merged with live
// entries, pending sends that never show twice, edits and recalls, day separators, "seen by"), the
// conversation list (order, unread counts, read cursors, membership), people, links, send retries,
// and the connection statechart.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createActor } from 'xstate';
import {
  emptyTimeline, applyEntries, applyHistoryPage, addPending, updatePending, olderCursor, timelineRows, seenBy,
  fromList, applyEntry, applyRead, applyJoined, applyLeft, totalUnread, titleOf, directPeer, directRoomId,
  applyFriendUpdate, applyPresence, sortPeople, pendingRequests,
  linkify, retryable, retryDelayMs, newClientMsgId, describeSystem, previewText, formatBytes, dayLabel,
  connectionMachine,
  type ChatEntry, type WireConversation, type Timeline, type PendingSend,
} from '../gateway/web/app/state/mod.ts';

const ME = 1;
const BOB = 2;
const ROOM = 'd1-2';
const T0 = new Date(2025, 2, 14, 9, 0).getTime();
const name = (id: number) => ({ 1: 'alice', 2: 'bob', 3: 'carol' } as Record<number, string>)[id] ?? `user ${id}`;

function text(seq: number, from = BOB, body = `m${seq}`, extra: Partial<ChatEntry> = {}): ChatEntry {
  return { room: ROOM, seq, kind: 'text', from, body, at: T0 + seq * 1000, ...extra };
}

const seqs = (tl: Timeline) => tl.messages.map((m) => m.seq);
const pending = (id: string, body = 'hello'): PendingSend => ({ clientMsgId: id, body, at: T0 + 99_000, state: 'sending', attempts: 0 });

test('history and live entries merge by seq: each once, in order, whatever arrives first', () => {
  let tl = emptyTimeline(ROOM);
  // live entries arrive before the first history page is back
  tl = applyEntries(tl, [text(51), text(52)], ME);
  tl = applyHistoryPage(tl, { messages: Array.from({ length: 50 }, (_, i) => text(i + 3)), more: true }, ME);
  assert.equal(seqs(tl), Array.from({ length: 50 }, (_, i) => i + 3));
  assert.is(tl.loaded, true);
  assert.is(olderCursor(tl), 3);
  // a sync repeats what a push brought; another live one lands at the end
  tl = applyEntries(tl, [text(52), text(51), text(53)], ME);
  assert.equal(seqs(tl).slice(-3), [51, 52, 53]);
  assert.is(new Set(seqs(tl)).size, tl.messages.length, 'no seq twice');
  // the older page: the start of the room
  tl = applyHistoryPage(tl, { messages: [text(1), text(2)], more: false }, ME);
  assert.equal(seqs(tl).slice(0, 4), [1, 2, 3, 4]);
  assert.is(tl.moreBefore, false);
  assert.is(olderCursor(tl), null);
  assert.is(tl.lastSeq, 53);
  // a page that overlaps what is there (the newest page fetched again) changes nothing but copies
  const again = applyHistoryPage(tl, { messages: [text(52), text(53)], more: true }, ME);
  assert.equal(seqs(again), seqs(tl));
  assert.is(again.moreBefore, false, 'only a page reaching further back says whether there is more');
});

test('a pending send shows until its own entry arrives, by clientMsgId, and never twice', () => {
  let tl = applyHistoryPage(emptyTimeline(ROOM), { messages: [text(1)], more: false }, ME);
  tl = addPending(tl, pending('c1', 'first'));
  tl = addPending(tl, pending('c2', 'second'));
  assert.equal(timelineRows(tl, ME, T0).filter((r) => r.type === 'pending').map((r) => r.key), ['cc1', 'cc2']);
  // the answer to a resend after a timeout comes back with the seq the first attempt got
  tl = applyEntries(tl, [text(2, ME, 'first', { clientMsgId: 'c1' })], ME);
  tl = applyEntries(tl, [text(2, ME, 'first', { clientMsgId: 'c1' })], ME);
  assert.equal(tl.pending.map((p) => p.clientMsgId), ['c2']);
  assert.equal(seqs(tl), [1, 2]);
  // the same row key before and after confirmation: the UI keeps the element
  const keys = timelineRows(tl, ME, T0).map((r) => r.key);
  assert.ok(keys.includes('cc1') && keys.includes('cc2'));
  assert.is(keys.filter((k) => k === 'cc1').length, 1);
  // someone else's entry with the same clientMsgId does not confirm ours
  tl = applyEntries(tl, [text(3, BOB, 'x', { clientMsgId: 'c2' })], ME);
  assert.equal(tl.pending.map((p) => p.clientMsgId), ['c2']);
  tl = updatePending(tl, 'c2', { state: 'failed', error: 'forbidden', attempts: 1 });
  assert.is(tl.pending[0].state, 'failed');
  const last = timelineRows(tl, ME, T0).at(-1)!;
  assert.is(last.type, 'pending');
});

test('edits and recalls change the message they name; a stale copy does not undo them', () => {
  let tl = applyHistoryPage(emptyTimeline(ROOM), { messages: [text(1, ME, 'hello'), text(2, BOB, 'photo', { file: 'g1-1-aaaaaaaaaaaa', fileUrl: 'http://n/f' })], more: false }, ME);
  tl = applyEntries(tl, [{ room: ROOM, seq: 3, kind: 'edit', from: ME, body: 'hello there', at: T0, ref: 1 }], ME);
  assert.equal([tl.messages[0].body, tl.messages[0].edited], ['hello there', true]);
  // a sync that repeats the original entry (with its old body) after the edit was applied
  tl = applyEntries(tl, [text(1, ME, 'hello')], ME);
  assert.is(tl.messages[0].body, 'hello there');
  tl = applyEntries(tl, [{ room: ROOM, seq: 4, kind: 'recall', from: BOB, body: '', at: T0, ref: 2 }], ME);
  assert.equal([tl.messages[1].recalled, tl.messages[1].body, tl.messages[1].file], [true, '', undefined]);
  tl = applyEntries(tl, [text(2, BOB, 'photo', { file: 'g1-1-aaaaaaaaaaaa' })], ME);
  assert.is(tl.messages[1].recalled, true, 'a recalled message stays recalled');
  assert.equal(seqs(tl), [1, 2], 'edits and recalls are not rows of their own');
  assert.is(tl.lastSeq, 4);
  // an edit of a message not loaded yet is dropped (its page will bring the edited text)
  const t2 = applyEntries(tl, [{ room: ROOM, seq: 5, kind: 'edit', from: BOB, body: 'x', at: T0, ref: 99 }], ME);
  assert.equal(seqs(t2), [1, 2]);
});

test('rows: a day separator per day, runs by sender, system entries apart', () => {
  const day2 = T0 + 86_400_000;
  let tl = applyHistoryPage(emptyTimeline(ROOM), {
    messages: [
      text(1, BOB), text(2, BOB), { ...text(3, ME), at: T0 + 10 * 60_000 },
      { room: ROOM, seq: 4, kind: 'system', from: BOB, body: '', at: T0 + 11 * 60_000, data: { event: 'joined', user: 3 } },
      { ...text(5, BOB), at: day2 },
    ],
    more: false,
  }, ME);
  tl = addPending(tl, { ...pending('p'), at: day2 + 1000 });
  const rows = timelineRows(tl, ME, day2);
  assert.equal(rows.map((r) => (r.type === 'day' ? `day:${r.label}` : `${r.type}:${r.head ? 'head' : 'cont'}`)), [
    'day:Yesterday', 'message:head', 'message:cont', 'message:head', 'message:head', 'day:Today', 'message:head', 'pending:head',
  ]);
  assert.is(dayLabel(T0, T0 + 30 * 86_400_000), '14 Mar 2025');
});

test('seen by: who read up to your latest message', () => {
  const tl = applyHistoryPage(emptyTimeline('gabcdefghijkl'), { messages: [text(1, ME), text(2, BOB), text(3, ME)].map((e) => ({ ...e, room: 'gabcdefghijkl' })), more: false }, ME);
  assert.equal(seenBy(tl, new Map([[ME, 3], [BOB, 3], [3, 2]]), ME), { seq: 3, users: [BOB] });
  assert.is(seenBy(tl, new Map([[BOB, 2]]), ME), null);
});

function wire(id: string, over: Partial<WireConversation> = {}, room: Partial<WireConversation['room']> = {}): WireConversation {
  return {
    room: { id, kind: id.startsWith('d') ? 'direct' : 'group', name: id.startsWith('g') ? 'Room' : '', description: '', open: false, owner: null, members: 2, ...room },
    lastSeq: 5, lastAt: T0, lastFrom: BOB, lastPreview: 'hi', readSeq: 5, unread: 0, ...over,
  };
}

test('the conversation list: newest first, unread counts from live entries, read cursors', () => {
  let list = fromList([wire('d1-2', { lastAt: T0 }), wire('gaaaaaaaaaaaa', { lastAt: T0 + 5000, unread: 2, readSeq: 3 })]);
  assert.equal(list.map((c) => c.id), ['gaaaaaaaaaaaa', 'd1-2']);
  assert.is(totalUnread(list), 2);
  // a message from bob in the direct conversation, not being read: to the top, one unread
  list = applyEntry(list, text(6), ME, false, name);
  assert.equal(list.map((c) => c.id), ['d1-2', 'gaaaaaaaaaaaa']);
  assert.equal([list[0].unread, list[0].lastSeq, list[0].lastPreview], [1, 6, 'm6']);
  // the same entry again (a sync) counts once
  list = applyEntry(list, text(6), ME, false, name);
  assert.is(list[0].unread, 1);
  // my own message and a system entry do not count; a message read as it arrives does not either
  list = applyEntry(list, text(7, ME), ME, false, name);
  list = applyEntry(list, { room: ROOM, seq: 8, kind: 'system', from: BOB, body: '', at: T0 + 9000, data: { event: 'joined', user: 3 } }, ME, false, name);
  list = applyEntry(list, text(9), ME, true, name);
  assert.is(list[0].unread, 1);
  assert.is(list[0].lastSystem, false);
  // chat.read answered: the server's count
  list = applyRead(list, ROOM, 9, 0);
  assert.equal([list[0].readSeq, list[0].unread], [9, 0]);
  // another device read the group up to 4 of 5: what is left, at most
  list = applyRead(list, 'gaaaaaaaaaaaa', 4);
  assert.is(list.find((c) => c.id === 'gaaaaaaaaaaaa')!.unread, 1);
  list = applyRead(list, 'gaaaaaaaaaaaa', 5);
  assert.is(totalUnread(list), 0);
  // a read cursor never moves back
  list = applyRead(list, ROOM, 2);
  assert.is(list[0].readSeq, 9);
  // an entry of a room we do not know: unchanged (the caller fetches the list)
  assert.is(applyEntry(list, { ...text(1), room: 'gbbbbbbbbbbbb' }, ME, false, name), list);
});

test('membership: joined rooms appear at the top, renames apply, left rooms go', () => {
  let list = fromList([wire('d1-2')]);
  list = applyJoined(list, { id: 'gaaaaaaaaaaaa', kind: 'group', name: 'Project', description: '', open: false, owner: ME, members: 3, role: 'owner' }, T0 + 60_000);
  assert.equal(list.map((c) => [c.id, c.name, c.role]), [['gaaaaaaaaaaaa', 'Project', 'owner'], ['d1-2', '', undefined]]);
  list = applyEntry(list, { room: 'gaaaaaaaaaaaa', seq: 2, kind: 'system', from: ME, body: '', at: T0 + 61_000, data: { event: 'updated', by: ME, name: 'Renamed', open: true } }, ME, true, name);
  assert.equal([list[0].name, list[0].open, list[0].lastSystem], ['Renamed', true, true]);
  assert.match(describeSystem({ data: { event: 'updated', by: ME, name: 'Renamed', open: true }, from: ME }, name), /alice renamed the room to “Renamed” and opened the room to everyone/);
  list = applyEntry(list, { room: 'gaaaaaaaaaaaa', seq: 3, kind: 'system', from: 3, body: '', at: T0 + 62_000, data: { event: 'joined', user: 3 } }, ME, true, name);
  assert.is(list[0].members, 4);
  // an event about someone whose name is not known yet keeps what it says, to be worded when shown
  const unknown = (id: number) => (id === 9 ? 'user 9' : name(id));
  list = applyEntry(list, { room: 'gaaaaaaaaaaaa', seq: 4, kind: 'system', from: ME, body: '', at: T0 + 63_000, data: { event: 'invited', user: 9, by: ME } }, ME, true, unknown);
  assert.equal(list[0].lastEvent, { data: { event: 'invited', user: 9, by: ME }, from: ME });
  assert.match(describeSystem(list[0].lastEvent!, (id) => (id === 9 ? 'erin' : name(id))), /erin/);
  list = applyEntry(list, { room: 'gaaaaaaaaaaaa', seq: 5, kind: 'text', from: 3, body: 'hi', at: T0 + 64_000 }, ME, true, name);
  assert.is(list[0].lastEvent, undefined);
  list = applyLeft(list, 'gaaaaaaaaaaaa');
  assert.equal(list.map((c) => c.id), ['d1-2']);
  assert.is(titleOf(list[0], name, ME), 'bob');
  assert.is(titleOf({ id: 'd0-1', kind: 'direct', name: '', peer: undefined }, name, ME), 'System');
  assert.equal([directPeer('d1-2', ME), directPeer('d1-2', BOB), directPeer('d3-4', ME), directPeer('gaaaaaaaaaaaa', ME)], [2, 1, null, null]);
  assert.equal([directRoomId(5, 2), directRoomId(2, 5)], ['d2-5', 'd2-5']);
  assert.equal([previewText('[joined]'), previewText('[edited] new'), previewText('[recalled]'), previewText('plain')], ['Someone joined', '(edited) new', 'Message deleted', 'plain']);
});

test('people: requests first, presence moves friends, none removes', () => {
  const carol = { id: 3, name: 'carol' };
  let list = sortPeople([
    { user: { id: 2, name: 'bob' }, status: 'friend', online: false, devices: [] },
    { user: { id: 4, name: 'dave' }, status: 'outgoing', online: false, devices: [] },
  ]);
  list = applyFriendUpdate(list, carol, 'incoming');
  assert.equal(list.map((p) => p.user.name), ['carol', 'bob', 'dave']);
  assert.is(pendingRequests(list), 1);
  list = applyFriendUpdate(list, carol, 'friend');
  list = applyPresence(list, 3, true, ['web']);
  assert.equal(list.map((p) => [p.user.name, p.online]), [['carol', true], ['bob', false], ['dave', false]]);
  list = applyFriendUpdate(list, { id: 4, name: 'dave' }, 'none');
  assert.equal(list.map((p) => p.user.name), ['carol', 'bob']);
  assert.is(applyPresence(list, 99, true, []), list, 'strangers\' presence changes nothing');
});

test('links: http(s) URLs only, sentence punctuation left out, the rest stays text', () => {
  assert.equal(linkify('see https://example.com/a?b=1. ok'), [
    { kind: 'text', text: 'see ' }, { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' }, { kind: 'text', text: '. ok' },
  ]);
  assert.equal(linkify('(http://x.org/wiki/A_(b))').map((p) => p.text), ['(', 'http://x.org/wiki/A_(b)', ')']);
  assert.equal(linkify('<img src=x onerror=alert(1)> javascript:alert(1)'), [{ kind: 'text', text: '<img src=x onerror=alert(1)> javascript:alert(1)' }]);
  assert.equal(linkify('https://'), [{ kind: 'text', text: 'https://' }]);
  assert.equal(linkify(''), []);
});

test('sends: what is retried, how long it waits, message ids the protocol accepts', () => {
  for (const code of ['timeout', 'unavailable', 'rate_limited', undefined]) assert.ok(retryable(code), String(code));
  for (const code of ['forbidden', 'not_found', 'bad_request']) assert.not.ok(retryable(code), code);
  assert.equal([1, 2, 3, 10].map(retryDelayMs), [1000, 2000, 4000, 15_000]);
  const ids = new Set(Array.from({ length: 1000 }, () => newClientMsgId()));
  assert.is(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_.:-]{1,64}$/);
  assert.equal([formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 * 1024)], ['512 B', '1.5 KiB', '5.0 MiB']);
});

test('the connection statechart: sign in, drop and reconnect, kicked, expired', () => {
  const actor = createActor(connectionMachine).start();
  const state = () => actor.getSnapshot().value;
  actor.send({ type: 'SIGN_IN' });
  actor.send({ type: 'SIGN_IN_FAILED', error: 'Wrong name or password.' });
  assert.equal([state(), actor.getSnapshot().context.error], ['signedOut', 'Wrong name or password.']);
  actor.send({ type: 'SIGN_IN' });
  assert.is(actor.getSnapshot().context.error, '');
  actor.send({ type: 'SIGNED_IN' });
  assert.is(state(), 'online');
  actor.send({ type: 'RECONNECTED' });
  assert.is(state(), 'online', 'events that do not apply are ignored');
  actor.send({ type: 'DISCONNECTED', reason: '1006' });
  actor.send({ type: 'RECONNECTING', attempt: 3, delayMs: 800 });
  assert.equal([state(), actor.getSnapshot().context.attempt, actor.getSnapshot().context.delayMs], ['reconnecting', 3, 800]);
  actor.send({ type: 'RECONNECTED' });
  assert.is(state(), 'online');
  actor.send({ type: 'KICKED' });
  assert.is(state(), 'kicked');
  actor.send({ type: 'DISCONNECTED', reason: 'closed' });
  assert.is(state(), 'kicked', 'a kicked session does not start reconnecting');
  actor.send({ type: 'RESUME' });
  actor.send({ type: 'UNREACHABLE', attempt: 1, delayMs: 500 });
  assert.is(state(), 'resuming');
  actor.send({ type: 'EXPIRED' });
  assert.equal([state(), actor.getSnapshot().context.notice], ['signedOut', 'Your session has ended. Sign in again.']);
  actor.stop();
});

test.run();
