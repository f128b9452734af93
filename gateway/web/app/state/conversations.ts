// The conversation list: newest activity first, with the last message and an unread count, kept
// current by live entries, read cursors (this device's, other devices', receipts) and membership
// pushes. rooms.list is the truth; these functions keep it fresh between fetches.
import type { ChatEntry, RoomSummary, WireConversation, Role, UserRef } from './types.ts';
import { previewOf, previewText, type NameOf } from './format.ts';

export interface Conversation {
  id: string;
  kind: 'group' | 'direct';
  name: string;
  description: string;
  open: boolean;
  owner: number | null;
  members: number;
  role?: Role;
  /** The other person of a direct conversation. */
  peer?: UserRef;
  lastSeq: number;
  lastAt: number | null;
  lastFrom: number | null;
  lastPreview: string;
  /** The last entry is a room event (no "name:" before its preview). */
  lastSystem: boolean;
  /** That event, when it arrived live: its preview is worded when shown, once the names it mentions are known. */
  lastEvent?: Pick<ChatEntry, 'data' | 'from'>;
  readSeq: number;
  unread: number;
}

export function fromWire(c: WireConversation): Conversation {
  return {
    id: c.room.id, kind: c.room.kind, name: c.room.name, description: c.room.description, open: c.room.open, owner: c.room.owner,
    members: c.room.members, role: c.room.role, peer: c.room.peer,
    lastSeq: c.lastSeq, lastAt: c.lastAt, lastFrom: c.lastFrom, lastPreview: previewText(c.lastPreview), lastSystem: /^\[[a-z]+\]$/.test(c.lastPreview), readSeq: c.readSeq, unread: c.unread,
  };
}

/** The other member of a direct room `d<a>-<b>` (0 is the system: d0-<uid> holds system messages). */
export function directPeer(room: string, me: number): number | null {
  const m = /^d(\d+)-(\d+)$/.exec(room);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a === me ? b : b === me ? a : null;
}

export function directRoomId(a: number, b: number): string {
  return a < b ? `d${a}-${b}` : `d${b}-${a}`;
}

export function sortConversations(list: readonly Conversation[]): Conversation[] {
  return [...list].sort((a, b) => (b.lastAt ?? 0) - (a.lastAt ?? 0) || b.lastSeq - a.lastSeq || a.id.localeCompare(b.id));
}

/** The list after rooms.list answered: the server's rows, newest first. */
export function fromList(list: readonly WireConversation[]): Conversation[] {
  return sortConversations(list.map(fromWire));
}

/** Whether an entry counts as unread for `me` (the server's rule: text from others). */
export function countsAsUnread(e: Pick<ChatEntry, 'kind' | 'from'>, me: number): boolean {
  return e.kind === 'text' && e.from !== me;
}

/**
 * A live entry: the conversation's last message, time and unread count, and it moves to the top.
 * `reading`: the user is looking at this conversation now (it is marked read instead).
 * An entry of a room not in the list returns the list unchanged (the caller fetches rooms.list).
 */
export function applyEntry(list: readonly Conversation[], e: ChatEntry, me: number, reading: boolean, name: NameOf): Conversation[] {
  const i = list.findIndex((c) => c.id === e.room);
  if (i < 0) return list as Conversation[];
  const c = list[i];
  if (e.seq <= c.lastSeq && c.lastAt !== null) {
    // an entry we already counted (a sync repeating a push): nothing changes
    return list as Conversation[];
  }
  const next: Conversation = {
    ...c,
    lastSeq: Math.max(c.lastSeq, e.seq),
    lastAt: e.at,
    lastFrom: e.from,
    lastPreview: previewOf(e, name),
    lastSystem: e.kind === 'system',
    lastEvent: e.kind === 'system' ? { data: e.data, from: e.from } : undefined,
    unread: !reading && e.seq > c.readSeq && countsAsUnread(e, me) ? c.unread + 1 : c.unread,
  };
  if (e.kind === 'system') {
    const d = e.data as { event?: string; name?: string; open?: boolean; description?: string } | undefined;
    if (d?.event === 'updated') {
      if (d.name !== undefined) next.name = d.name;
      if (d.open !== undefined) next.open = d.open;
      if (d.description !== undefined) next.description = d.description;
    }
    if (d?.event === 'joined' || d?.event === 'invited') next.members = c.members + 1;
    if (d?.event === 'left' || d?.event === 'kicked') next.members = Math.max(0, c.members - 1);
  }
  const rest = list.filter((_, j) => j !== i);
  return sortConversations([next, ...rest]);
}

/**
 * This user's read cursor moved to `seq` (chat.read answered with `unread`, or another device of
 * theirs read it: then the count is what is left after seq, at most).
 */
export function applyRead(list: readonly Conversation[], room: string, seq: number, unread?: number): Conversation[] {
  return list.map((c) => {
    if (c.id !== room) return c;
    const readSeq = Math.max(c.readSeq, seq);
    const left = unread ?? (readSeq >= c.lastSeq ? 0 : Math.min(c.unread, c.lastSeq - readSeq));
    return { ...c, readSeq, unread: left };
  });
}

/** rooms.joined at `now`: a new conversation (or a fresher summary of one we have). */
export function applyJoined(list: readonly Conversation[], room: RoomSummary, now: number, peer?: UserRef): Conversation[] {
  const old = list.find((c) => c.id === room.id);
  const c: Conversation = {
    lastSeq: 0, lastAt: null, lastFrom: null, lastPreview: '', lastSystem: false, readSeq: 0, unread: 0,
    ...old,
    id: room.id, kind: room.kind, name: room.name, description: room.description, open: room.open, owner: room.owner, members: room.members,
    role: room.role ?? old?.role, peer: room.peer ?? peer ?? old?.peer,
  };
  if (c.lastAt === null) c.lastAt = now;
  return sortConversations([c, ...list.filter((x) => x.id !== room.id)]);
}

export function applyLeft(list: readonly Conversation[], room: string): Conversation[] {
  return list.filter((c) => c.id !== room);
}

export function totalUnread(list: readonly Conversation[]): number {
  return list.reduce((n, c) => n + c.unread, 0);
}

/** A conversation's title: the room's name, the peer's name, or "System" for system messages. */
export function titleOf(c: Pick<Conversation, 'kind' | 'name' | 'peer' | 'id'>, name: NameOf, me: number): string {
  if (c.kind === 'group') return c.name || 'Unnamed room';
  if (c.peer) return c.peer.name;
  const peer = directPeer(c.id, me);
  if (peer === 0) return 'System';
  return peer === null ? c.id : name(peer);
}
