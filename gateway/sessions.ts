// Logged-in connections of this gateway, by user. The gateway subscribes to a user's event
// subject while it holds at least one of that user's connections, and fans what arrives out to them.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { subjects } from '../protocol/mod.ts';
import { logger } from '../lib/mod.ts';
import type { Connection, Session } from './connection.ts';
import { RoomRouter, type RoomEvent } from './rooms.ts';
import { WatchRouter } from './watchers.ts';
import { Encoded } from './outbound.ts';
import { gatewayMetrics as m } from './metrics.ts';
import { pushEnvelope } from '../protocol/mod.ts';

const dec = new TextDecoder();
const log = logger('sessions');

/** What hosts publish on evt.user.<uid>: a push for the user's devices, optionally narrowed. */
export interface UserEvent {
  push?: { op: string; [k: string]: unknown };
  /** Only this connection (`<gateway instance>/<id>`) gets it. */
  only?: string;
  /** Every connection but this one gets it (the sender's other devices). */
  except?: string;
  /** Close this connection (`<gateway instance>/<id>`) with this error code after delivering the push. */
  close?: { conn: string; code: 'kicked'; message: string };
  /** Room membership changed: the gateway (un)subscribes room events for this user. */
  rooms?: { join?: string[]; leave?: string[] };
  /** The watch actor dropped this user's viewers of these rooms: stop relaying their watch events. */
  watch?: { leave?: string[] };
}

export interface SessionEvents {
  loggedIn?(conn: Connection, session: Session, firstOfUser: boolean): void;
  loggedOut?(conn: Connection, session: Session, lastOfUser: boolean, reason: 'logout' | 'disconnect'): void;
}

export class SessionHub {
  private readonly byUser = new Map<number, { conns: Set<Connection>; sub: Subscription }>();
  private listeners: SessionEvents[] = [];
  readonly rooms: RoomRouter;
  readonly watch: WatchRouter;

  /** `watchGone`: a connection watching a room closed or logged out (the watch actor must hear it). */
  constructor(private readonly nc: NatsConnection, watchGone: (conn: Connection, rid: string) => void = () => {}) {
    this.rooms = new RoomRouter(nc, (users, event) => this.deliverRoom(users, event));
    this.watch = new WatchRouter(nc, watchGone);
  }

  /** A room event to the connections of the given users: serialized once, the same bytes to each. */
  private deliverRoom(users: Iterable<number>, event: RoomEvent): void {
    const { op, ...body } = event.push;
    let encoded: Encoded | undefined;
    const sent = { tcp: 0, ws: 0 };
    for (const uid of users) {
      const entry = this.byUser.get(uid);
      if (!entry) continue;
      for (const conn of entry.conns) {
        if (event.except !== undefined && conn.key === event.except) continue;
        encoded ??= Encoded.of(pushEnvelope(op, body));
        if (conn.pushEncoded(encoded)) sent[conn.transport.kind]++;
      }
    }
    if (sent.tcp + sent.ws === 0) return;
    m.pushes.labels(op).inc(sent.tcp + sent.ws);
    if (sent.tcp) m.framesOut.labels('tcp').inc(sent.tcp);
    if (sent.ws) m.framesOut.labels('ws').inc(sent.ws);
  }

  on(listener: SessionEvents): void {
    this.listeners.push(listener);
  }

  get userCount(): number {
    return this.byUser.size;
  }

  connectionsOf(userId: number): ReadonlySet<Connection> {
    return this.byUser.get(userId)?.conns ?? new Set();
  }

  users(): IterableIterator<number> {
    return this.byUser.keys();
  }

  attach(conn: Connection, session: Session): void {
    conn.session = session;
    conn.logins++;
    let entry = this.byUser.get(session.user.id);
    const first = !entry;
    if (!entry) {
      const sub = this.nc.subscribe(subjects.userEvents(session.user.id), { callback: (err, msg) => {
        if (err) return;
        this.deliver(session.user.id, msg.data);
      } });
      entry = { conns: new Set(), sub };
      this.byUser.set(session.user.id, entry);
    }
    entry.conns.add(conn);
    for (const l of this.listeners) l.loggedIn?.(conn, session, first);
  }

  detach(conn: Connection, reason: 'logout' | 'disconnect'): void {
    const session = conn.session;
    if (!session) return;
    conn.session = undefined;
    this.watch.forget(conn);
    const entry = this.byUser.get(session.user.id);
    if (!entry) return;
    entry.conns.delete(conn);
    const last = entry.conns.size === 0;
    if (last) {
      entry.sub.unsubscribe();
      this.byUser.delete(session.user.id);
      this.rooms.forget(session.user.id);
    }
    for (const l of this.listeners) l.loggedOut?.(conn, session, last, reason);
  }

  private deliver(userId: number, data: Uint8Array): void {
    let event: UserEvent;
    try {
      event = JSON.parse(dec.decode(data)) as UserEvent;
    } catch (e) {
      log.warn({ err: (e as Error).message, userId }, 'malformed user event dropped');
      return;
    }
    const entry = this.byUser.get(userId);
    if (!entry) return;
    for (const rid of event.rooms?.join ?? []) this.rooms.add(userId, rid);
    for (const rid of event.rooms?.leave ?? []) this.rooms.remove(userId, rid);
    for (const rid of event.watch?.leave ?? []) this.watch.removeUser(userId, rid);
    let encoded: Encoded | undefined;
    for (const conn of [...entry.conns]) {
      if (event.only !== undefined && conn.key !== event.only) continue;
      if (event.except !== undefined && conn.key === event.except) continue;
      if (event.push) {
        const { op, ...body } = event.push;
        encoded ??= Encoded.of(pushEnvelope(op, body));
        if (conn.pushEncoded(encoded)) {
          m.pushes.labels(op).inc();
          m.framesOut.labels(conn.transport.kind).inc();
        }
      }
      if (event.close && event.close.conn === conn.key) conn.fail(event.close.code, event.close.message);
    }
  }

  /** Unsubscribes everything (gateway shutdown). */
  clear(): void {
    for (const entry of this.byUser.values()) entry.sub.unsubscribe();
    this.byUser.clear();
    this.rooms.clear();
    this.watch.clear();
  }
}
