// Room fan-out on a gateway: it subscribes to evt.room.<rid> only while it holds a connection of a
// member, and hands what arrives to the connections of the members it holds.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { subjects } from '../protocol/mod.ts';
import { logger } from '../lib/mod.ts';
import { subscribeJson } from './events.ts';

const log = logger('rooms');

export interface RoomEvent {
  push: { op: string; [k: string]: unknown };
  except?: string;
}

export class RoomRouter {
  private readonly rooms = new Map<string, { sub: Subscription; users: Set<number> }>();
  private readonly ofUser = new Map<number, Set<string>>();

  constructor(private readonly nc: NatsConnection, private readonly deliver: (users: Iterable<number>, event: RoomEvent) => void) {}

  get subscriptions(): number {
    return this.rooms.size;
  }

  /** Group rooms get a room subscription; direct rooms are pushed per user and need none. */
  add(user: number, rid: string): void {
    if (!rid.startsWith('g')) return;
    let mine = this.ofUser.get(user);
    if (!mine) this.ofUser.set(user, (mine = new Set()));
    mine.add(rid);
    let room = this.rooms.get(rid);
    if (!room) {
      const sub = subscribeJson<RoomEvent>(this.nc, subjects.roomEvents(rid), log, (event) => {
        const r = this.rooms.get(rid);
        if (r) this.deliver(r.users, event);
      });
      room = { sub, users: new Set() };
      this.rooms.set(rid, room);
    }
    room.users.add(user);
  }

  remove(user: number, rid: string): void {
    this.ofUser.get(user)?.delete(rid);
    const room = this.rooms.get(rid);
    if (!room) return;
    room.users.delete(user);
    if (room.users.size === 0) {
      room.sub.unsubscribe();
      this.rooms.delete(rid);
    }
  }

  /** The user's last connection here went away. */
  forget(user: number): void {
    for (const rid of [...(this.ofUser.get(user) ?? [])]) this.remove(user, rid);
    this.ofUser.delete(user);
  }

  /** Whether the user is known here as a member (a join may race the first room events). */
  has(user: number, rid: string): boolean {
    return this.ofUser.get(user)?.has(rid) ?? false;
  }

  clear(): void {
    for (const r of this.rooms.values()) r.sub.unsubscribe();
    this.rooms.clear();
    this.ofUser.clear();
  }
}
