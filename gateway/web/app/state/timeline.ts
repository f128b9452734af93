// One conversation's messages as the client shows them: history pages and live entries merged by
// seq (each once, in order), edits and recalls applied to the messages they change, and sends of
// this client that are not confirmed yet (pending) after them. A pending send leaves when its own
// entry arrives (same clientMsgId), so a message never shows twice, whether its confirmation came
// as the send's answer, from a sync after a reconnect, or from another device.
import type { ChatEntry } from './types.ts';
import { dayKey, dayLabel } from './format.ts';

export interface Message {
  seq: number;
  kind: 'text' | 'system';
  from: number;
  body: string;
  at: number;
  clientMsgId?: string;
  file?: string;
  fileUrl?: string;
  data?: Record<string, unknown>;
  edited?: boolean;
  recalled?: boolean;
}

export interface PendingFile {
  id: string;
  name: string;
  size: number;
  type: string;
}

export interface PendingSend {
  clientMsgId: string;
  body: string;
  at: number;
  file?: PendingFile;
  state: 'sending' | 'failed';
  error?: string;
  /** The server refused it (forbidden, bad request): nothing was created under its clientMsgId. */
  refused?: boolean;
  attempts: number;
}

export interface Timeline {
  room: string;
  /** Text and system entries, ascending seq. */
  messages: readonly Message[];
  /** Older entries exist before messages[0]. */
  moreBefore: boolean;
  /** The newest history page has been fetched. */
  loaded: boolean;
  /** This client's sends without their entry yet, in the order they were made. */
  pending: readonly PendingSend[];
  /** The highest seq seen (edits and recalls count). */
  lastSeq: number;
}

export function emptyTimeline(room: string): Timeline {
  return { room, messages: [], moreBefore: true, loaded: false, pending: [], lastSeq: 0 };
}

/** Index of `seq` in `messages`, or -(insertion point) - 1. */
function search(messages: readonly Message[], seq: number): number {
  let lo = 0;
  let hi = messages.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = messages[mid].seq;
    if (s === seq) return mid;
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

function toMessage(e: ChatEntry): Message {
  const m: Message = { seq: e.seq, kind: e.kind as 'text' | 'system', from: e.from, body: e.body, at: e.at };
  if (e.clientMsgId) m.clientMsgId = e.clientMsgId;
  if (e.file) m.file = e.file;
  if (e.fileUrl) m.fileUrl = e.fileUrl;
  if (e.data) m.data = e.data;
  if (e.edited) m.edited = true;
  if (e.recalled) m.recalled = true;
  return m;
}

/** The same entry seen twice: an edit or recall already applied here wins over an older copy. */
function mergeCopies(old: Message, copy: Message): Message {
  if (old.recalled) return old;
  if (copy.recalled) return copy;
  const merged = { ...old, ...copy };
  if (old.edited && !copy.edited) {
    merged.body = old.body;
    merged.edited = true;
  }
  if (!copy.fileUrl && old.fileUrl) merged.fileUrl = old.fileUrl;
  return merged;
}

/** Applies entries (any order, duplicates allowed) to a timeline. */
export function applyEntries(tl: Timeline, entries: readonly ChatEntry[], me: number): Timeline {
  if (!entries.length) return tl;
  const messages = tl.messages.slice();
  let pending = tl.pending;
  let lastSeq = tl.lastSeq;
  for (const e of entries) {
    if (e.room !== tl.room) continue;
    if (e.seq > lastSeq) lastSeq = e.seq;
    if (e.kind === 'text' || e.kind === 'system') {
      const m = toMessage(e);
      const last = messages[messages.length - 1];
      if (!last || m.seq > last.seq) messages.push(m);
      else {
        const i = search(messages, m.seq);
        if (i >= 0) messages[i] = mergeCopies(messages[i], m);
        else messages.splice(-i - 1, 0, m);
      }
      if (e.clientMsgId && e.from === me && pending.some((p) => p.clientMsgId === e.clientMsgId)) {
        pending = pending.filter((p) => p.clientMsgId !== e.clientMsgId);
      }
    } else if (e.ref !== undefined) {
      const i = search(messages, e.ref);
      if (i < 0 || messages[i].recalled) continue;
      messages[i] = e.kind === 'edit'
        ? { ...messages[i], body: e.body, edited: true }
        : { ...messages[i], body: '', recalled: true, file: undefined, fileUrl: undefined };
    }
  }
  return { ...tl, messages, pending, lastSeq };
}

/** A page of chat.history (entries before the oldest loaded one, or the newest page). */
export function applyHistoryPage(tl: Timeline, page: { messages: readonly ChatEntry[]; more: boolean }, me: number): Timeline {
  const oldest = tl.messages[0]?.seq ?? Infinity;
  const next = applyEntries(tl, page.messages, me);
  const pageOldest = page.messages[0]?.seq ?? 0;
  // only the page that reaches furthest back says whether there is more before it
  const moreBefore = !tl.loaded || pageOldest <= oldest ? page.more : tl.moreBefore;
  return { ...next, loaded: true, moreBefore };
}

export function addPending(tl: Timeline, p: PendingSend): Timeline {
  return { ...tl, pending: [...tl.pending, p] };
}

export function updatePending(tl: Timeline, clientMsgId: string, change: Partial<Omit<PendingSend, 'clientMsgId'>>): Timeline {
  if (!tl.pending.some((p) => p.clientMsgId === clientMsgId)) return tl;
  return { ...tl, pending: tl.pending.map((p) => (p.clientMsgId === clientMsgId ? { ...p, ...change } : p)) };
}

export function removePending(tl: Timeline, clientMsgId: string): Timeline {
  return { ...tl, pending: tl.pending.filter((p) => p.clientMsgId !== clientMsgId) };
}

/** The seq to pass as `before` for the next older page, or null when there is nothing older. */
export function olderCursor(tl: Timeline): number | null {
  if (!tl.loaded || !tl.moreBefore) return null;
  return tl.messages[0]?.seq ?? null;
}

export type Row =
  | { type: 'day'; key: string; label: string }
  | { type: 'message'; key: string; message: Message; head: boolean }
  | { type: 'pending'; key: string; pending: PendingSend; head: boolean };

/** A new run of messages starts after this long without one from the same sender. */
const RUN_GAP_MS = 5 * 60_000;

/**
 * What the list shows, top to bottom: a day separator before each day's first message, the
 * messages (`head`: the first of a run by one sender, which shows the name), then pending sends.
 * Your own messages keep the key of their clientMsgId, so a confirmed send stays the same row.
 */
export function timelineRows(tl: Timeline, me: number, now: number): Row[] {
  const rows: Row[] = [];
  let day = '';
  let prev: { from: number; at: number; kind: string } | undefined;
  /** Opens a new day when `at` is on another one; whether this entry starts a run (shows its sender). */
  const place = (from: number, at: number, kind: string): boolean => {
    const d = dayKey(at);
    if (d !== day) {
      day = d;
      rows.push({ type: 'day', key: `d${d}`, label: dayLabel(at, now) });
      prev = undefined;
    }
    const head = !prev || kind === 'system' || prev.kind === 'system' || prev.from !== from || at - prev.at > RUN_GAP_MS;
    prev = { from, at, kind };
    return head;
  };
  for (const m of tl.messages) {
    const head = place(m.from, m.at, m.kind);
    rows.push({ type: 'message', key: m.clientMsgId && m.from === me ? `c${m.clientMsgId}` : `s${m.seq}`, message: m, head });
  }
  for (const p of tl.pending) {
    const head = place(me, p.at, 'text');
    rows.push({ type: 'pending', key: `c${p.clientMsgId}`, pending: p, head });
  }
  return rows;
}

/** "Seen by": who has read up to your latest message (others' read cursors, from rooms.members and chat.read pushes). */
export function seenBy(tl: Timeline, readSeqs: ReadonlyMap<number, number>, me: number): { seq: number; users: number[] } | null {
  for (let i = tl.messages.length - 1; i >= 0; i--) {
    const m = tl.messages[i];
    if (m.kind !== 'text' || m.from !== me) continue;
    const users = [...readSeqs].filter(([uid, seq]) => uid !== me && seq >= m.seq).map(([uid]) => uid);
    return users.length ? { seq: m.seq, users } : null;
  }
  return null;
}
