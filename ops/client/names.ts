// Names for ids and targets for names. Users are given by name (resolved with users.find, exact,
// case-insensitive); a room by its id, as @name for the direct conversation with that user, or by
// the exact name of one of your rooms. Entries carry only sender ids: names come from the rooms'
// member lists, and users.get names the rest (a former member, say).
import { TroupeError, RoomId } from '../../protocol/mod.ts';
import type { TroupeClient } from '../../protocol/client/mod.ts';

export interface UserRef {
  id: number;
  name: string;
}

/** A room to act on. Direct conversations also carry the peer (`to`), so the first message creates them. */
export interface Target {
  room: string;
  label: string;
  kind: 'group' | 'direct';
  peer?: UserRef;
}

const roomIdPattern = new RegExp(RoomId.pattern as string);
const userNamePattern = /^[A-Za-z0-9_.-]{1,32}$/;

export function isRoomId(s: string): boolean {
  return roomIdPattern.test(s);
}

/** The id of the direct room of two users (the gateway's rule: d<smaller>-<larger>). */
export function directRoomId(a: number, b: number): string {
  return a < b ? `d${a}-${b}` : `d${b}-${a}`;
}

/** The other member of a direct room of mine (undefined: not a direct room, or not mine). */
export function directPeer(room: string, me: number): number | undefined {
  const m = /^d(\d+)-(\d+)$/.exec(room);
  if (!m) return undefined;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === me ? b : b === me ? a : undefined;
}

export class Names {
  private readonly byId = new Map<number, string>();
  private readonly loaded = new Map<string, Promise<void>>();
  private readonly misses = new Set<string>();

  constructor(private readonly client: TroupeClient, readonly me: UserRef) {
    this.learn(me);
  }

  learn(...users: UserRef[]): void {
    for (const u of users) this.byId.set(u.id, u.name);
  }

  /** A user's name, or #<id> when it is not known; '-' for the system (0). */
  label = (id: number): string => (id === 0 ? '-' : this.byId.get(id) ?? `#${id}`);

  has(id: number): boolean {
    return id === 0 || this.byId.has(id);
  }

  /** Learns the members of a room (once; again when an id is still unknown, say a new member). */
  async loadRoom(room: string, ids: number[] = []): Promise<void> {
    const unknown = ids.filter((id) => !this.has(id) && !this.misses.has(`${room}:${id}`));
    if (this.loaded.has(room) && !unknown.length) return this.loaded.get(room);
    for (const id of unknown) this.misses.add(`${room}:${id}`);
    const p = this.client.request('rooms.members', { room }).then(
      (r) => this.learn(...r.members.map((m) => m.user)),
      () => {
        // not a member (any more): users.get below still names the ids
      },
    ).then(() => this.loadUsers(ids));
    this.loaded.set(room, p);
    return p;
  }

  /** Names for ids no member list gave (a former member, a kicked sender), asked once each. */
  async loadUsers(ids: number[]): Promise<void> {
    const unknown = [...new Set(ids)].filter((id) => !this.has(id) && !this.misses.has(`user:${id}`)).slice(0, 100);
    if (!unknown.length) return;
    for (const id of unknown) this.misses.add(`user:${id}`);
    const { users } = await this.client.request('users.get', { ids: unknown }).catch(() => ({ users: [] as UserRef[] }));
    this.learn(...users);
  }

  /** The user with exactly this name (any case). */
  async user(name: string): Promise<UserRef> {
    const given = name.startsWith('@') ? name.slice(1) : name;
    if (!userNamePattern.test(given)) throw new TroupeError('not_found', `no user named "${name}"`);
    const { users } = await this.client.request('users.find', { query: given, limit: 50 });
    const hit = users.find((u) => u.name.toLowerCase() === given.toLowerCase());
    if (!hit) throw new TroupeError('not_found', `no user named "${given}"`);
    this.learn(hit);
    return hit;
  }

  /** A room: an id, @user (the direct conversation), or the exact name of one of your rooms. */
  async target(arg: string): Promise<Target> {
    if (arg.startsWith('@')) {
      const peer = await this.user(arg.slice(1));
      if (peer.id === this.me.id) throw new TroupeError('bad_request', 'that is you: a direct conversation needs another user');
      return { room: directRoomId(this.me.id, peer.id), label: `@${peer.name}`, kind: 'direct', peer };
    }
    if (isRoomId(arg)) {
      if (!arg.startsWith('d')) return { room: arg, label: arg, kind: 'group' };
      const peerId = directPeer(arg, this.me.id);
      if (peerId === undefined) throw new TroupeError('forbidden', `${arg} is a direct conversation of two other users`);
      await this.loadRoom(arg, [peerId]);
      const peer = this.has(peerId) ? { id: peerId, name: this.label(peerId) } : undefined;
      return { room: arg, label: peer ? `@${peer.name}` : arg, kind: 'direct', ...(peer ? { peer } : {}) };
    }
    const { conversations } = await this.client.request('rooms.list', { limit: 500 });
    const hits = conversations.filter((c) => c.room.kind === 'group' && c.room.name.toLowerCase() === arg.toLowerCase());
    if (hits.length > 1) throw new TroupeError('conflict', `${hits.length} of your rooms are named "${arg}": give the id (${hits.map((h) => h.room.id).join(', ')})`);
    if (!hits.length) throw new TroupeError('not_found', `no room "${arg}" among yours: give a room id (g…), @user, or the name of a room you are in`);
    return { room: hits[0].room.id, label: hits[0].room.name, kind: 'group' };
  }

  /** An open room to join: its id, or its exact name (rooms.discover). */
  async openRoom(arg: string): Promise<string> {
    if (isRoomId(arg)) return arg;
    const { rooms } = await this.client.request('rooms.discover', { query: arg.slice(0, 80), limit: 100 });
    const hits = rooms.filter((r) => r.name.toLowerCase() === arg.toLowerCase());
    if (hits.length > 1) throw new TroupeError('conflict', `${hits.length} open rooms are named "${arg}": give the id (${hits.map((h) => h.id).join(', ')})`);
    if (!hits.length) throw new TroupeError('not_found', `no open room named "${arg}" (troupe client discover lists them)`);
    return hits[0].id;
  }
}

/** Runs a request about a room and says which room a failure was about; a direct room that does not exist yet gets a plain word. */
export async function about<T>(t: Target, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof TroupeError)) throw e;
    // a direct conversation of mine I am not a member of is one nobody wrote in yet
    if (e.reason === 'not_member' && t.kind === 'direct') throw new TroupeError('not_found', `no conversation with ${t.label} yet (send a message first)`);
    if (e.reason === 'not_member') throw new TroupeError('forbidden', `${t.label}: you are not a member of this room (or it does not exist)`, 'not_member');
    throw new TroupeError(e.code, `${t.label}: ${e.message}`, e.reason);
  }
}
