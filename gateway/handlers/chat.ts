// Chat ops: friends go to the user actor, room changes and messages to the room actor, reads to
// svc.chat.*. The authenticated user is stamped here; clients never name themselves.
import { randomBytes } from 'node:crypto';
import { callService } from '../../lib/mod.ts';
import { TroupeError, refusal, type OpName, type OpError } from '../../protocol/mod.ts';
import type { HandlerTable, HandlerContext, GatewayLinks } from './context.ts';

const me = (ctx: HandlerContext) => ctx.conn.session!.user;
const ask = <T = Record<string, unknown>>(ctx: HandlerContext, kind: string, id: string, body: { type: string; [k: string]: unknown }, key?: string) =>
  ctx.gw.actors.ask<T>(kind, id, body, { timeoutMs: ctx.gw.requestTimeoutMs, key });
const svc = <N extends Parameters<typeof callService>[1]>(ctx: HandlerContext, name: N, body: Parameters<typeof callService<N>>[2]) =>
  callService(ctx.gw.nc, name, body, ctx.gw.requestTimeoutMs);

/** A group room id: `g` + 12 base32 characters. */
export function newRoomId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return 'g' + [...randomBytes(12)].map((b) => alphabet[b & 31]).join('');
}

export function directRoomId(a: number, b: number): string {
  return a < b ? `d${a}-${b}` : `d${b}-${a}`;
}

/**
 * Names of users this gateway has looked up. Accounts are never renamed or removed, so a hit
 * saves a service round trip on every direct message; least recently used entries go first.
 */
const knownUsers = new Map<number, string>();
const KNOWN_USERS_MAX = 50_000;

async function lookUp(gw: GatewayLinks, ids: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const missing: number[] = [];
  for (const id of ids) {
    const name = knownUsers.get(id);
    if (name === undefined) missing.push(id);
    else {
      knownUsers.delete(id);
      knownUsers.set(id, name);
      out.set(id, name);
    }
  }
  if (missing.length) {
    const { users } = await callService(gw.nc, 'svc.users.get', { ids: missing }, gw.requestTimeoutMs);
    for (const u of users) {
      out.set(u.id, u.name);
      knownUsers.set(u.id, u.name);
    }
    while (knownUsers.size > KNOWN_USERS_MAX) knownUsers.delete(knownUsers.keys().next().value!);
  }
  return out;
}

/** Ops that list `not_found` (an unknown user is refused with it). */
type OpsWithNotFound = { [N in OpName]: 'not_found' extends OpError<N> ? N : never }[OpName];

async function userName(ctx: HandlerContext, _op: OpsWithNotFound, id: number): Promise<string> {
  const name = (await lookUp(ctx.gw, [id])).get(id);
  if (name === undefined) throw new TroupeError('not_found', `no user ${id}`);
  return name;
}

function requireUsers(ctx: HandlerContext, _op: OpsWithNotFound, ids: number[]): Promise<void> {
  return requireUsersExist(ctx.gw, ids);
}

/** Refuses with not_found naming the ids that are nobody (also the admin API's answer). */
export async function requireUsersExist(gw: GatewayLinks, ids: number[]): Promise<void> {
  if (!ids.length) return;
  const known = await lookUp(gw, ids);
  const missing = ids.filter((i) => !known.has(i));
  if (missing.length) throw new TroupeError('not_found', `no such user: ${missing.join(', ')}`);
}

type ChatOps =
  | 'users.find' | 'users.get' | 'friends.list' | 'friends.request' | 'friends.accept' | 'friends.decline' | 'friends.remove' | 'friends.block' | 'friends.unblock'
  | 'rooms.create' | 'rooms.join' | 'rooms.invite' | 'rooms.leave' | 'rooms.kick' | 'rooms.update' | 'rooms.role' | 'rooms.members' | 'rooms.list' | 'rooms.discover'
  | 'chat.send' | 'chat.file' | 'chat.edit' | 'chat.recall' | 'chat.typing' | 'chat.history' | 'chat.sync' | 'chat.delivered' | 'chat.read';

export const chatHandlers: HandlerTable<ChatOps> = {
  async 'users.find'(ctx, req) {
    return svc(ctx, 'svc.users.find', { query: req.query, limit: req.limit ?? 20 });
  },
  async 'users.get'(ctx, req) {
    const found = await lookUp(ctx.gw, [...new Set(req.ids)]);
    return { users: [...found].map(([id, name]) => ({ id, name })) };
  },
  async 'friends.list'(ctx) {
    return svc(ctx, 'svc.friends.list', { user: me(ctx).id });
  },
  async 'friends.request'(ctx, req) {
    const toName = await userName(ctx, 'friends.request', req.user);
    return ask(ctx, 'user', String(me(ctx).id), { type: 'friendRequest', to: req.user, toName, fromName: me(ctx).name });
  },
  async 'friends.accept'(ctx, req) {
    return ask(ctx, 'user', String(me(ctx).id), { type: 'friendAccept', user: req.user });
  },
  async 'friends.decline'(ctx, req) {
    return ask(ctx, 'user', String(me(ctx).id), { type: 'friendDecline', user: req.user });
  },
  async 'friends.remove'(ctx, req) {
    return ask(ctx, 'user', String(me(ctx).id), { type: 'friendRemove', user: req.user });
  },
  async 'friends.block'(ctx, req) {
    const name = await userName(ctx, 'friends.block', req.user);
    return ask(ctx, 'user', String(me(ctx).id), { type: 'block', user: req.user, name });
  },
  async 'friends.unblock'(ctx, req) {
    return ask(ctx, 'user', String(me(ctx).id), { type: 'unblock', user: req.user });
  },

  async 'rooms.create'(ctx, req) {
    const invite = [...new Set(req.members ?? [])].filter((u) => u !== me(ctx).id);
    await requireUsers(ctx, 'rooms.create', invite);
    return ask(ctx, 'room', newRoomId(), { type: 'create', by: me(ctx).id, name: req.name, description: req.description ?? '', open: req.open ?? false, invite });
  },
  async 'rooms.join'(ctx, req) {
    return ask(ctx, 'room', req.room, { type: 'join', user: me(ctx).id });
  },
  async 'rooms.invite'(ctx, req) {
    await requireUsers(ctx, 'rooms.invite', [req.user]);
    return ask(ctx, 'room', req.room, { type: 'invite', by: me(ctx).id, user: req.user });
  },
  async 'rooms.leave'(ctx, req) {
    return ask(ctx, 'room', req.room, { type: 'leave', user: me(ctx).id });
  },
  async 'rooms.kick'(ctx, req) {
    return ask(ctx, 'room', req.room, { type: 'kick', by: me(ctx).id, user: req.user });
  },
  async 'rooms.update'(ctx, req) {
    if (req.name === undefined && req.description === undefined && req.open === undefined) throw refusal('rooms.update', 'bad_request', 'change at least one of name, description, open');
    return ask(ctx, 'room', req.room, { type: 'update', by: me(ctx).id, ...(req.name !== undefined ? { name: req.name } : {}), ...(req.description !== undefined ? { description: req.description } : {}), ...(req.open !== undefined ? { open: req.open } : {}) });
  },
  async 'rooms.role'(ctx, req) {
    return ask(ctx, 'room', req.room, { type: 'role', by: me(ctx).id, user: req.user, role: req.role });
  },
  async 'rooms.members'(ctx, req) {
    return svc(ctx, 'svc.chat.members', { user: me(ctx).id, room: req.room });
  },
  async 'rooms.list'(ctx, req) {
    return svc(ctx, 'svc.chat.conversations', { user: me(ctx).id, limit: req.limit ?? 100 });
  },
  async 'rooms.discover'(ctx, req) {
    return svc(ctx, 'svc.chat.discover', { user: me(ctx).id, query: req.query ?? '', limit: req.limit ?? 50 });
  },

  async 'chat.send'(ctx, req) {
    if ((req.room === undefined) === (req.to === undefined)) throw refusal('chat.send', 'bad_request', 'give exactly one of room and to');
    const uid = me(ctx).id;
    let rid = req.room!;
    if (req.to !== undefined) {
      if (req.to === uid) throw refusal('chat.send', 'bad_request', 'you cannot message yourself');
      await requireUsers(ctx, 'chat.send', [req.to]);
      rid = directRoomId(uid, req.to);
    }
    // only your own uploads: svc.files.stat answers not_found for anything else
    if (req.file) await svc(ctx, 'svc.files.stat', { user: uid, id: req.file });
    // the idempotency key makes a resend of the same client message id answer with the first seq
    return ask(ctx, 'room', rid, { type: 'post', from: uid, body: req.body, clientMsgId: req.clientMsgId, origin: ctx.conn.key, ...(req.file ? { file: req.file } : {}) }, `post:${rid}:${uid}:${req.clientMsgId}`);
  },
  async 'chat.file'(ctx, req) {
    const entry = await svc(ctx, 'svc.chat.entry', { user: me(ctx).id, room: req.room, seq: req.seq });
    if (!entry.file || entry.recalled) throw refusal('chat.file', 'not_found', 'this entry references no file');
    const grant = await svc(ctx, 'svc.files.link', { fileId: entry.file, forUser: me(ctx).id, grant: `room:${req.room}` });
    return { url: grant.urls[0], urls: grant.urls, expiresAt: grant.expiresAt, file: grant.file };
  },
  // authorship and recalled state are the room actor's to decide, from its own rows
  async 'chat.edit'(ctx, req) {
    return ask(ctx, 'room', req.room, { type: 'edit', by: me(ctx).id, target: req.seq, body: req.body, origin: ctx.conn.key });
  },
  async 'chat.recall'(ctx, req) {
    // the key names the user: someone else's refused recall must not answer the author's
    return ask(ctx, 'room', req.room, { type: 'recall', by: me(ctx).id, target: req.seq, origin: ctx.conn.key }, `recall:${req.room}:${req.seq}:${me(ctx).id}`);
  },
  async 'chat.typing'(ctx, req) {
    return svc(ctx, 'svc.chat.typing', { user: me(ctx).id, room: req.room, origin: ctx.conn.key });
  },
  async 'chat.history'(ctx, req) {
    return svc(ctx, 'svc.chat.history', { user: me(ctx).id, room: req.room, ...(req.before !== undefined ? { before: req.before } : {}), limit: req.limit ?? 50 });
  },
  async 'chat.sync'(ctx, req) {
    return svc(ctx, 'svc.chat.sync', { user: me(ctx).id, rooms: req.rooms ?? {}, limit: req.limit ?? 100 });
  },
  async 'chat.delivered'(ctx, req) {
    await svc(ctx, 'svc.chat.cursor', { user: me(ctx).id, room: req.room, seq: req.seq, cursor: 'delivered' });
    return {};
  },
  async 'chat.read'(ctx, req) {
    const r = await svc(ctx, 'svc.chat.cursor', { user: me(ctx).id, room: req.room, seq: req.seq, cursor: 'read', origin: ctx.conn.key });
    return { readSeq: r.readSeq, unread: r.unread };
  },
};
