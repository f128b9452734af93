// The interactive client's view of your conversations: what each is called, how far it goes,
// how many unread, and the numbers of the last list shown (for /open <number>). Unread counts
// start from rooms.list and grow with entries newer than what that list knew, so an entry is never
// counted twice.
import type { Static } from '@sinclair/typebox';
import type { Conversation } from '../../protocol/mod.ts';
import type { ChatEntry } from '../../protocol/client/mod.ts';
import { preview, shortTime } from './format.ts';
import { directPeer, type Names, type Target } from './names.ts';
import { conversationLabel } from './rooms.ts';
import { usageError } from './context.ts';

interface RoomInfo {
  label: string;
  kind: 'group' | 'direct';
  peer?: { id: number; name: string };
  lastSeq: number;
  unread: number;
}

export class Conversations {
  private readonly rooms = new Map<string, RoomInfo>();
  /** Room ids in the order of the last list shown. */
  private listed: string[] = [];

  constructor(private readonly names: Names) {}

  /** Takes rooms.list as the truth; returns the lines that show it, numbered. */
  list(conversations: Static<typeof Conversation>[]): string[] {
    this.listed = [];
    const lines: string[] = [];
    for (const c of conversations) {
      if (c.room.peer) this.names.learn(c.room.peer);
      const label = conversationLabel(c.room);
      const old = this.rooms.get(c.room.id);
      this.rooms.set(c.room.id, { label, kind: c.room.kind, ...(c.room.peer ? { peer: c.room.peer } : {}), lastSeq: Math.max(c.lastSeq, old?.lastSeq ?? 0), unread: c.unread });
      this.listed.push(c.room.id);
      const unread = c.unread ? `  ${c.unread} unread` : '';
      const when = c.lastAt ? `  ${shortTime(c.lastAt)}` : '';
      lines.push(`  ${this.listed.length}. ${label}  [${c.room.id}]${unread}${when}  ${preview(c.lastPreview, 50)}`);
    }
    return lines;
  }

  /** A number from the last list, or a room we know, as a target (undefined: ask the server). */
  known(arg: string): Target | undefined {
    if (/^\d+$/.test(arg)) {
      const id = this.listed[Number(arg) - 1];
      if (!id) throw usageError(`no conversation number ${arg} (/rooms lists them)`);
      arg = id;
    }
    const info = this.rooms.get(arg);
    return info ? { room: arg, label: info.label, kind: info.kind, ...(info.peer ? { peer: info.peer } : {}) } : undefined;
  }

  /** A target with the room's name instead of its id, when we know it. */
  named(t: Target): Target {
    const info = this.rooms.get(t.room);
    return info && t.kind === 'group' ? { ...t, label: info.label } : t;
  }

  /** A group room we just got into; false when it was known already. */
  joined(id: string, name: string): boolean {
    if (this.rooms.has(id)) return false;
    this.rooms.set(id, { label: name, kind: 'group', lastSeq: 0, unread: 0 });
    return true;
  }

  /** Forgets a room we are no longer in; returns what it was called. */
  left(id: string): string {
    const label = this.rooms.get(id)?.label ?? id;
    this.rooms.delete(id);
    return label;
  }

  /** The room was shown up to seq: nothing unread there. */
  opened(room: string, seq: number): void {
    const info = this.rooms.get(room);
    if (!info) return;
    info.unread = 0;
    info.lastSeq = Math.max(info.lastSeq, seq);
  }

  /** Read on another device of mine up to seq. */
  readElsewhere(room: string, seq: number): void {
    const info = this.rooms.get(room);
    if (info && seq >= info.lastSeq) info.unread = 0;
  }

  /**
   * An entry of a room that is not open. Returns the notice to show (once names are loaded) when
   * it is a new message from someone else, undefined when it is no news.
   */
  arrived(e: ChatEntry): (() => Promise<string>) | undefined {
    const me = this.names.me.id;
    let info = this.rooms.get(e.room);
    if (!info) {
      info = { label: e.room, kind: directPeer(e.room, me) === undefined ? 'group' : 'direct', lastSeq: 0, unread: 0 };
      this.rooms.set(e.room, info);
    }
    if (e.seq <= info.lastSeq) return undefined;
    info.lastSeq = e.seq;
    if (e.kind !== 'text' || e.from === me) return undefined;
    info.unread++;
    const room = info;
    const unread = info.unread;
    return async () => {
      await this.names.loadRoom(e.room, [e.from]);
      // a direct conversation first heard of by its message is named after the peer
      if (room.kind === 'direct' && room.label === e.room) room.label = `@${this.names.label(directPeer(e.room, me)!)}`;
      return `* [${room.label}] ${this.names.label(e.from)}: ${preview(e.body)}  (${unread} unread)`;
    };
  }
}
