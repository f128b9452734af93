// Watch fan-out on a gateway: it subscribes to evt.watch.<rid> only while it holds a connection
// watching that room, and hands what arrives to those connections. When a watching connection
// closes (or logs out) the room's watch actor is told, so its viewers and the room's media
// servers are released.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { subjects } from '../protocol/mod.ts';
import { logger } from '../lib/mod.ts';
import { subscribeJson } from './events.ts';
import type { Connection } from './connection.ts';

const log = logger('watchers');

export interface WatchEvent {
  push: { op: string; [k: string]: unknown };
}

export class WatchRouter {
  private readonly rooms = new Map<string, { sub: Subscription; conns: Set<Connection> }>();
  private readonly ofConn = new Map<Connection, Set<string>>();

  /** `gone`: a watching connection went away without watch.leave (tell the watch actor). */
  constructor(private readonly nc: NatsConnection, private readonly gone: (conn: Connection, rid: string) => void) {}

  get subscriptions(): number {
    return this.rooms.size;
  }

  /** The connection watches the room (subscribed before the join is asked, so no push is missed). */
  add(conn: Connection, rid: string): void {
    let mine = this.ofConn.get(conn);
    if (!mine) this.ofConn.set(conn, (mine = new Set()));
    mine.add(rid);
    let room = this.rooms.get(rid);
    if (!room) {
      const sub = subscribeJson<WatchEvent>(this.nc, subjects.watchEvents(rid), log, (event) => {
        const { op, ...body } = event.push;
        for (const c of this.rooms.get(rid)?.conns ?? []) c.push(op, body);
      });
      room = { sub, conns: new Set() };
      this.rooms.set(rid, room);
    }
    room.conns.add(conn);
  }

  has(conn: Connection, rid: string): boolean {
    return this.ofConn.get(conn)?.has(rid) ?? false;
  }

  remove(conn: Connection, rid: string): void {
    const mine = this.ofConn.get(conn);
    mine?.delete(rid);
    if (mine?.size === 0) this.ofConn.delete(conn);
    const room = this.rooms.get(rid);
    if (!room) return;
    room.conns.delete(conn);
    if (room.conns.size === 0) {
      room.sub.unsubscribe();
      this.rooms.delete(rid);
    }
  }

  /** The watch actor dropped this user's viewers of the room (removed from the room). */
  removeUser(user: number, rid: string): void {
    for (const c of [...(this.rooms.get(rid)?.conns ?? [])]) if (c.session?.user.id === user) this.remove(c, rid);
  }

  /** The connection closed or logged out: it watches nothing any more. */
  forget(conn: Connection): void {
    for (const rid of [...(this.ofConn.get(conn) ?? [])]) {
      this.remove(conn, rid);
      this.gone(conn, rid);
    }
  }

  clear(): void {
    for (const r of this.rooms.values()) r.sub.unsubscribe();
    this.rooms.clear();
    this.ofConn.clear();
  }
}
