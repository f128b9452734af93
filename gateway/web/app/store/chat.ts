// Conversations and messages: the list (rooms.list, then live), one timeline per room (history
// pages merged with live entries), the outbox (sends shown at once as pending, sent one at a time
// and resent with the same clientMsgId after a timeout or a reconnect), read cursors, receipts,
// typing, and room members.
import { signal, type Signal } from '@preact/signals';
import { TroupeError } from '../../../../protocol/errors.ts';
import { api, chatSession, me, sessionEvents, startChat } from './session.ts';
import { nameOf, rememberNames, setOnline, queryPresence } from './people.ts';
import { notify, errorText } from './notices.ts';
import {
  fromList, applyEntry, applyRead, applyJoined, applyLeft, directPeer, directRoomId, titleOf,
  emptyTimeline, applyEntries, applyHistoryPage, addPending, updatePending, removePending, olderCursor,
  retryable, retryDelayMs, newClientMsgId,
  type Conversation, type Timeline, type PendingFile, type Member, type RoomSummary, type UserRef, type ChatEntry,
} from '../state/mod.ts';

export const conversations = signal<Conversation[]>([]);
export const conversationsLoaded = signal(false);
export const currentRoom = signal<string | null>(null);
/** The open conversation shows as its room's watch view (#/w/<room>) rather than as a chat. */
export const watchRoom = signal<string | null>(null);
/** room -> user -> when their typing indicator goes out (ms). */
export const typing = signal<ReadonlyMap<string, ReadonlyMap<number, number>>>(new Map());
/** room -> user -> read cursor (rooms.members, then chat.read receipts). */
export const readSeqs = signal<ReadonlyMap<string, ReadonlyMap<number, number>>>(new Map());
export const members = signal<ReadonlyMap<string, Member[]>>(new Map());
/** Rooms whose older history is being fetched. */
export const loadingOlder = signal<ReadonlySet<string>>(new Set());

const timelines = new Map<string, Signal<Timeline>>();

export function timelineOf(room: string): Signal<Timeline> {
  let t = timelines.get(room);
  if (!t) timelines.set(room, (t = signal(emptyTimeline(room))));
  return t;
}

const myId = () => me.value?.id ?? 0;

export function conversation(room: string): Conversation | undefined {
  return conversations.value.find((c) => c.id === room);
}

export function titleOfRoom(room: string): string {
  const c = conversation(room);
  if (c) return titleOf(c, nameOf, myId());
  const peer = directPeer(room, myId());
  return peer === 0 ? 'System' : peer !== null ? nameOf(peer) : room;
}

/** Whether the user is looking at this room now (its new messages are read as they come). */
function reading(room: string): boolean {
  return currentRoom.value === room && typeof document !== 'undefined' && document.visibilityState === 'visible';
}

// ---- the list ----

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

export async function loadConversations(): Promise<void> {
  const { conversations: list } = await api().request('rooms.list', { limit: 200 });
  rememberNames(list.flatMap((c) => (c.room.peer ? [c.room.peer] : [])));
  // a direct conversation opened here but not started yet stays in the list
  const drafts = conversations.value.filter((c) => c.kind === 'direct' && c.lastSeq === 0 && !list.some((x) => x.room.id === c.id));
  conversations.value = [...fromList(list), ...drafts];
  conversationsLoaded.value = true;
}

function refreshSoon(): void {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void loadConversations().catch(() => {}), 300);
}

// ---- timelines ----

async function loadNewest(room: string): Promise<void> {
  const t = timelineOf(room);
  try {
    const page = await api().request('chat.history', { room, limit: 50 });
    t.value = applyHistoryPage(t.value, page, myId());
  } catch (e) {
    // a direct conversation not started yet has no history; anything else is worth saying
    if (e instanceof TroupeError && e.reason === 'not_member' && room.startsWith('d')) t.value = applyHistoryPage(t.value, { messages: [], more: false }, myId());
    else if (e instanceof TroupeError && e.reason === 'not_member') {
      // an old address, or a room this user has left
      notify('You are not a member of that room.', 'info');
      if (currentRoom.value === room) openConversation(null);
    } else notify(`Could not load the conversation: ${errorText(e)}`, 'error');
  }
}

/** Fetches the page before the oldest loaded message (scrolling up). */
export async function loadOlder(room: string): Promise<void> {
  const t = timelineOf(room);
  const before = olderCursor(t.value);
  if (before === null || loadingOlder.value.has(room)) return;
  loadingOlder.value = new Set([...loadingOlder.value, room]);
  try {
    const page = await api().request('chat.history', { room, before, limit: 200 });
    t.value = applyHistoryPage(t.value, page, myId());
  } catch (e) {
    notify(`Could not load older messages: ${errorText(e)}`, 'error');
  } finally {
    const next = new Set(loadingOlder.value);
    next.delete(room);
    loadingOlder.value = next;
  }
}

export function openConversation(room: string | null): void {
  currentRoom.value = room;
  watchRoom.value = null;
  if (typeof location !== 'undefined') {
    const hash = room ? `#/r/${room}` : '#/';
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }
  if (room) showConversation(room);
}

/** Loads what a conversation shows (newest history, members) and moves the read cursor. */
export function showConversation(room: string): void {
  const t = timelineOf(room);
  if (!t.value.loaded) void loadNewest(room).then(() => markRead(room));
  else markRead(room);
  void loadMembers(room);
}

/** Opens the direct conversation with a user (a draft until the first message creates it). */
export function openDirect(user: UserRef): void {
  const self = myId();
  if (!self || user.id === self) return;
  const room = directRoomId(self, user.id);
  rememberNames([user]);
  if (!conversation(room)) {
    conversations.value = [...conversations.value, {
      id: room, kind: 'direct', name: '', description: '', open: false, owner: null, members: 2, peer: user,
      lastSeq: 0, lastAt: null, lastFrom: null, lastPreview: '', lastSystem: false, readSeq: 0, unread: 0,
    }];
  }
  openConversation(room);
}

// ---- read cursors ----

const readTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Moves this user's read cursor to the newest entry of the room (debounced). */
export function markRead(room: string): void {
  clearTimeout(readTimers.get(room));
  readTimers.set(room, setTimeout(() => {
    readTimers.delete(room);
    const c = conversation(room);
    const seq = Math.max(c?.lastSeq ?? 0, timelineOf(room).value.lastSeq);
    if (!c || seq === 0 || (seq <= c.readSeq && c.unread === 0)) return;
    api().request('chat.read', { room, seq }).then(
      (r) => { conversations.value = applyRead(conversations.value, room, r.readSeq, r.unread); },
      () => { /* read again when the room is next looked at */ },
    );
  }, 250));
}

// ---- members ----

export async function loadMembers(room: string): Promise<void> {
  if (room.startsWith('d0-')) return;
  try {
    const { members: list } = await api().request('rooms.members', { room });
    rememberNames(list.map((m) => m.user));
    setOnline(list.map((m) => ({ user: m.user.id, online: m.online })));
    const next = new Map(members.value);
    next.set(room, list);
    members.value = next;
    const reads = new Map(readSeqs.value);
    const mine = new Map(reads.get(room) ?? []);
    for (const m of list) mine.set(m.user.id, Math.max(mine.get(m.user.id) ?? 0, m.readSeq));
    reads.set(room, mine);
    readSeqs.value = reads;
  } catch {
    // not a member (yet): nothing to show
  }
}

let membersTimer: ReturnType<typeof setTimeout> | undefined;
function reloadMembersSoon(room: string): void {
  clearTimeout(membersTimer);
  membersTimer = setTimeout(() => void loadMembers(room), 300);
}

/** Presence of the open room's members who are not friends (no pushes come for them). */
setInterval(() => {
  const room = currentRoom.value;
  if (!room || !me.value) return;
  const list = members.value.get(room);
  if (list?.length) void queryPresence(list.map((m) => m.user.id)).catch(() => {});
}, 30_000);

// ---- sending ----

interface Outgoing {
  room: string;
  target: { room?: string; to?: number };
  clientMsgId: string;
  body: string;
  file?: PendingFile;
  attempts: number;
}

const outbox: Outgoing[] = [];
let pumping = false;

function targetOf(room: string): { room?: string; to?: number } {
  const peer = directPeer(room, myId());
  // the first message of a direct conversation creates it: send to the person
  return peer !== null && peer !== 0 ? { to: peer } : { room };
}

/** Whether the user can write in this room (not the system's one-way conversation). */
export function canWrite(room: string): boolean {
  return directPeer(room, myId()) !== 0;
}

export function send(room: string, body: string, file?: PendingFile): void {
  const text = body.trim() ? body : file?.name ?? '';
  if (!text.trim() || text.length > 8000) return;
  const clientMsgId = newClientMsgId();
  // the others' indicator ends with this message: typing the next one is news again
  typingSent.delete(room);
  const t = timelineOf(room);
  t.value = addPending(t.value, { clientMsgId, body: text, at: Date.now(), file, state: 'sending', attempts: 0 });
  outbox.push({ room, target: targetOf(room), clientMsgId, body: text, file, attempts: 0 });
  void pump();
}

/** Sends the outbox in order, one at a time; stops while offline (a reconnect starts it again). */
async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    while (outbox.length) {
      const item = outbox[0];
      let client;
      try {
        client = api();
      } catch {
        break;
      }
      if (!client.connected) break;
      try {
        await chatSession().send(item.target, item.clientMsgId, item.body, { file: item.file?.id, timeoutMs: 10_000 });
        outbox.shift();
      } catch (e) {
        const code = e instanceof TroupeError ? e.code : undefined;
        item.attempts++;
        const t = timelineOf(item.room);
        if (!retryable(code) || item.attempts >= 8) {
          outbox.shift();
          t.value = updatePending(t.value, item.clientMsgId, { state: 'failed', error: errorText(e), attempts: item.attempts, refused: !retryable(code) });
          continue;
        }
        t.value = updatePending(t.value, item.clientMsgId, { attempts: item.attempts });
        if (!client.connected) break;
        await new Promise((r) => setTimeout(r, retryDelayMs(item.attempts)));
      }
    }
  } finally {
    pumping = false;
  }
}

/** A failed send, sent again with the same clientMsgId (a refusal is judged afresh; nothing doubles). */
export function retrySend(room: string, clientMsgId: string): void {
  const t = timelineOf(room);
  const p = t.value.pending.find((x) => x.clientMsgId === clientMsgId);
  if (!p || p.state !== 'failed') return;
  t.value = updatePending(t.value, clientMsgId, { state: 'sending', error: undefined, refused: false, attempts: 0 });
  outbox.push({ room, target: targetOf(room), clientMsgId, body: p.body, file: p.file, attempts: 0 });
  void pump();
}

export function discardSend(room: string, clientMsgId: string): void {
  const t = timelineOf(room);
  t.value = removePending(t.value, clientMsgId);
}

export async function editMessage(room: string, seq: number, body: string): Promise<boolean> {
  try {
    await chatSession().edit(room, seq, body);
    return true;
  } catch (e) {
    notify(`Could not edit: ${errorText(e)}`, 'error');
    return false;
  }
}

export async function recallMessage(room: string, seq: number): Promise<void> {
  try {
    await chatSession().recall(room, seq);
  } catch (e) {
    notify(`Could not delete: ${errorText(e)}`, 'error');
  }
}

// ---- typing ----

const typingSent = new Map<string, number>();
let typingTimer: ReturnType<typeof setTimeout> | undefined;
const TYPING_EVERY_MS = 3000;
const TYPING_SHOWN_MS = 6000;

/** The user typed in a room's composer: tell the room, at most every few seconds. */
export function userTyping(room: string): void {
  const now = Date.now();
  if (now - (typingSent.get(room) ?? 0) < TYPING_EVERY_MS || !canWrite(room)) return;
  if (!conversation(room) || conversation(room)!.lastSeq === 0) return; // a draft has no room yet
  typingSent.set(room, now);
  api().request('chat.typing', { room }).catch(() => {});
}

function setTyping(room: string, user: number, until: number | null): void {
  const next = new Map(typing.value);
  const inRoom = new Map(next.get(room) ?? []);
  if (until === null) inRoom.delete(user);
  else inRoom.set(user, until);
  if (inRoom.size) next.set(room, inRoom);
  else next.delete(room);
  typing.value = next;
  clearTimeout(typingTimer);
  const soonest = Math.min(...[...next.values()].flatMap((m) => [...m.values()]));
  if (Number.isFinite(soonest)) typingTimer = setTimeout(expireTyping, Math.max(50, soonest - Date.now()));
}

function expireTyping(): void {
  const now = Date.now();
  for (const [room, users] of typing.value) for (const [user, until] of users) if (until <= now) setTyping(room, user, null);
}

// ---- what arrives ----

function onEntry(e: ChatEntry): void {
  const t = timelineOf(e.room);
  t.value = applyEntries(t.value, [e], myId());
  if (!conversation(e.room)) refreshSoon();
  else conversations.value = applyEntry(conversations.value, e, myId(), reading(e.room), nameOf);
  if (typing.value.get(e.room)?.has(e.from)) setTyping(e.room, e.from, null);
  if (reading(e.room) && e.from !== myId()) markRead(e.room);
  if (e.kind === 'system' && members.value.has(e.room)) reloadMembersSoon(e.room);
}

function onPush(p: { op: string; [k: string]: unknown }): void {
  switch (p.op) {
    case 'chat.read': {
      const { room, user, seq } = p as unknown as { room: string; user: number; seq: number };
      if (user === myId()) {
        conversations.value = applyRead(conversations.value, room, seq);
        return;
      }
      const reads = new Map(readSeqs.value);
      const inRoom = new Map(reads.get(room) ?? []);
      inRoom.set(user, Math.max(inRoom.get(user) ?? 0, seq));
      reads.set(room, inRoom);
      readSeqs.value = reads;
      return;
    }
    case 'chat.typing': {
      const { room, user } = p as unknown as { room: string; user: number };
      if (user !== myId()) setTyping(room, user, Date.now() + TYPING_SHOWN_MS);
      return;
    }
    case 'rooms.joined': {
      const { room } = p as unknown as { room: RoomSummary };
      const peer = directPeer(room.id, myId());
      conversations.value = applyJoined(conversations.value, room, Date.now(), peer ? { id: peer, name: nameOf(peer) } : undefined);
      return;
    }
    case 'rooms.left': {
      const { room, reason } = p as unknown as { room: string; reason: 'left' | 'kicked' };
      const title = titleOfRoom(room);
      conversations.value = applyLeft(conversations.value, room);
      if (currentRoom.value === room) openConversation(null);
      if (reason === 'kicked') notify(`You were removed from ${title}.`, 'info');
      return;
    }
  }
}

sessionEvents.on('ready', () => {
  conversations.value = [];
  conversationsLoaded.value = false;
  timelines.clear();
  outbox.length = 0;
  members.value = new Map();
  readSeqs.value = new Map();
  typing.value = new Map();
  void (async () => {
    try {
      await loadConversations();
    } catch (e) {
      notify(`Could not load your conversations: ${errorText(e)}`, 'error');
    }
    // the list says where each room is: live delivery starts after it
    await startChat(Object.fromEntries(conversations.value.map((c) => [c.id, c.lastSeq]))).catch(() => {});
    const room = currentRoom.value;
    if (room) showConversation(room);
  })();
});

sessionEvents.on('reconnected', () => {
  void loadConversations().catch(() => {});
  void pump();
  const room = currentRoom.value;
  if (room) void loadMembers(room);
});

sessionEvents.on('ended', () => {
  currentRoom.value = null;
  conversations.value = [];
  timelines.clear();
  outbox.length = 0;
});

sessionEvents.on('entry', onEntry);
sessionEvents.on('push', onPush);

if (typeof document !== 'undefined') {
  // back to the tab: what arrived meanwhile in the open conversation is read now
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && currentRoom.value) markRead(currentRoom.value);
  });
}
