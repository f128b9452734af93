// What a room does with each message, as pure functions: (context, event) -> next context and
// effects. The machine (machine.ts) calls them; nothing here reads a clock or the network.
import { subjects, type OpName, type OpError, type ErrorReason } from '../../protocol/mod.ts';
import { effects, type Effect } from '../runtime/mod.ts';

export type Role = 'owner' | 'admin' | 'member';

export interface Member {
  r: Role;
  /** When they joined (ms), to pick the longest-standing successor of a leaving owner. */
  t: number;
}

export interface RoomContext {
  rid: string;
  kind: 'group' | 'direct';
  name: string;
  description: string;
  open: boolean;
  owner: number | null;
  members: Record<string, Member>;
  /** Last sequence number given out. */
  seq: number;
  /** Direct rooms: which of the two blocks the other. */
  blocked: Record<string, boolean>;
  /** A member started watching: the watch actor has the roster and hears every change. */
  watched: boolean;
}

export interface Outcome {
  ctx: RoomContext;
  effects: Effect[];
}

export interface EntryInput {
  kind: 'text' | 'system' | 'edit' | 'recall';
  from: number;
  body: string;
  at: number;
  clientMsgId?: string;
  ref?: number;
  file?: string;
  data?: Record<string, unknown>;
}

/** A refusal on behalf of client op `op`: only a code the op lists (protocol/chat.ts) type-checks. */
const fail = <N extends OpName>(ctx: RoomContext, _op: N, code: OpError<N>, message: string, reason?: ErrorReason): Outcome => ({ ctx, effects: [effects.fail(code, message, reason)] });

/** Parses `d<a>-<b>` into its two members. */
export function directMembers(rid: string): [number, number] | null {
  const m = /^d(\d+)-(\d+)$/.exec(rid);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a < b ? [a, b] : null;
}

/** The conversation where a user receives system messages (sender 0). */
export const systemRoomId = (uid: number) => `d0-${uid}`;

export function initialContext(rid: string): RoomContext {
  const pair = directMembers(rid);
  return {
    rid, kind: pair ? 'direct' : 'group', name: '', description: '', open: false, owner: null,
    members: pair ? { [pair[0]]: { r: 'member', t: 0 }, [pair[1]]: { r: 'member', t: 0 } } : {},
    seq: 0, blocked: {}, watched: false,
  };
}

export function summary(ctx: RoomContext, forUser?: number) {
  return {
    id: ctx.rid, kind: ctx.kind, name: ctx.name, description: ctx.description, open: ctx.open, owner: ctx.owner,
    members: Object.keys(ctx.members).length,
    ...(forUser !== undefined && ctx.members[forUser] ? { role: ctx.members[forUser].r } : {}),
  };
}

const roleOf = (ctx: RoomContext, uid: number): Role | undefined => ctx.members[uid]?.r;
const isManager = (ctx: RoomContext, uid: number) => uid === 0 || roleOf(ctx, uid) === 'owner' || roleOf(ctx, uid) === 'admin';

/** The push of an entry: to the room's subject for groups, to both users for a direct room. */
function fanOut(ctx: RoomContext, push: Record<string, unknown>, origin?: string): Effect[] {
  const event = { push, ...(origin ? { except: origin } : {}) };
  if (ctx.kind === 'group') return [effects.publish(subjects.roomEvents(ctx.rid), event)];
  return Object.keys(ctx.members).map((uid) => effects.publish(subjects.userEvents(uid), event));
}

/** Appends an entry to the sequence: stored with the room's summary, pushed to members. */
export function appendEntry(ctx: RoomContext, e: EntryInput, origin?: string): Outcome {
  const seq = ctx.seq + 1;
  const next = { ...ctx, seq };
  const entry = {
    room: ctx.rid, seq, kind: e.kind, from: e.from, body: e.body, at: e.at,
    ...(e.clientMsgId ? { clientMsgId: e.clientMsgId } : {}),
    ...(e.ref !== undefined ? { ref: e.ref } : {}),
    ...(e.file ? { file: e.file } : {}),
    ...(e.data ? { data: e.data } : {}),
  };
  return {
    ctx: next,
    effects: [
      effects.write('entry', entry),
      ...fanOut(next, { op: 'chat.message', ...entry }, origin),
    ],
  };
}

function system(ctx: RoomContext, at: number, data: Record<string, unknown>, by = 0): Outcome {
  return appendEntry(ctx, { kind: 'system', from: by, body: '', at, data });
}

/** Membership changes: rows, the user's gateways (subscribe/unsubscribe) and their devices. */
function joined(ctx: RoomContext, uid: number): Effect[] {
  return [effects.publish(subjects.userEvents(uid), { rooms: { join: [ctx.rid] }, push: { op: 'rooms.joined', room: summary(ctx, uid) } })];
}

function left(ctx: RoomContext, uid: number, reason: 'left' | 'kicked'): Effect[] {
  return [effects.publish(subjects.userEvents(uid), { rooms: { leave: [ctx.rid] }, push: { op: 'rooms.left', room: ctx.rid, reason } })];
}

function roomRow(ctx: RoomContext): Effect {
  return effects.write('room', { rid: ctx.rid, kind: ctx.kind, name: ctx.name, description: ctx.description, open: ctx.open, owner: ctx.owner });
}

function membersWrite(rid: string, change: { add?: { user: number; role: Role; at: number }[]; remove?: number[]; roles?: { user: number; role: Role }[] }): Effect {
  return effects.write('members', { rid, ...change });
}

function chain(first: Outcome, ...more: ((ctx: RoomContext) => Outcome)[]): Outcome {
  let out = first;
  for (const f of more) {
    const next = f(out.ctx);
    out = { ctx: next.ctx, effects: [...out.effects, ...next.effects] };
  }
  return out;
}

const done = (ctx: RoomContext, ...effs: Effect[]): Outcome => ({ ctx, effects: effs });

// ---- group lifecycle ----

export function create(ctx: RoomContext, e: { by: number; name: string; description: string; open: boolean; invite: number[]; at: number }, maxMembers: number): Outcome {
  const invited = [...new Set(e.invite.filter((u) => u !== e.by))];
  if (invited.length + 1 > maxMembers) return fail(ctx, 'rooms.create', 'limit_exceeded', `a room holds at most ${maxMembers} members`);
  const members: Record<string, Member> = { [e.by]: { r: 'owner', t: e.at } };
  for (const u of invited) members[u] = { r: 'member', t: e.at };
  const next: RoomContext = { ...ctx, name: e.name, description: e.description, open: e.open, owner: e.by, members };
  return chain(
    done(next, roomRow(next), membersWrite(ctx.rid, { add: Object.entries(members).map(([u, m]) => ({ user: Number(u), role: m.r, at: e.at })) }), ...Object.keys(members).flatMap((u) => joined(next, Number(u)))),
    (c) => system(c, e.at, { event: 'created', by: e.by, name: e.name }, e.by),
    (c) => done(c, effects.reply({ room: summary(c, e.by) })),
  );
}

export function join(ctx: RoomContext, e: { user: number; at: number }, maxMembers: number): Outcome {
  if (ctx.kind === 'direct') return fail(ctx, 'rooms.join', 'forbidden', 'a direct conversation has exactly its two people');
  if (ctx.members[e.user]) return done(ctx, effects.reply({ room: summary(ctx, e.user) }));
  if (!ctx.open) return fail(ctx, 'rooms.join', 'forbidden', 'this room is invitation-only');
  if (Object.keys(ctx.members).length >= maxMembers) return fail(ctx, 'rooms.join', 'limit_exceeded', `a room holds at most ${maxMembers} members`);
  return addMember(ctx, e.user, 0, e.at, 'joined', (c) => done(c, effects.reply({ room: summary(c, e.user) })));
}

export function invite(ctx: RoomContext, e: { by: number; user: number; at: number }, maxMembers: number): Outcome {
  if (ctx.kind === 'direct') return fail(ctx, 'rooms.invite', 'forbidden', 'a direct conversation has exactly its two people');
  if (!isManager(ctx, e.by)) return fail(ctx, 'rooms.invite', 'forbidden', 'only the owner and admins invite');
  if (ctx.members[e.user]) return fail(ctx, 'rooms.invite', 'conflict', 'already a member');
  if (Object.keys(ctx.members).length >= maxMembers) return fail(ctx, 'rooms.invite', 'limit_exceeded', `a room holds at most ${maxMembers} members`);
  return addMember(ctx, e.user, e.by, e.at, 'invited', (c) => done(c, effects.reply({})));
}

function addMember(ctx: RoomContext, user: number, by: number, at: number, event: string, reply: (c: RoomContext) => Outcome): Outcome {
  const next = { ...ctx, members: { ...ctx.members, [user]: { r: 'member' as Role, t: at } } };
  return chain(
    done(next, membersWrite(ctx.rid, { add: [{ user, role: 'member', at }] }), ...joined(next, user)),
    (c) => system(c, at, { event, user, ...(by ? { by } : {}) }, by),
    reply,
  );
}

/** The longest-standing admin, else the longest-standing member. */
function successor(members: Record<string, Member>): number | null {
  const rank = (m: Member) => (m.r === 'admin' ? 0 : 1);
  const best = Object.entries(members).sort((a, b) => rank(a[1]) - rank(b[1]) || a[1].t - b[1].t || Number(a[0]) - Number(b[0]))[0];
  return best ? Number(best[0]) : null;
}

function remove(ctx: RoomContext, user: number, at: number, by: number, reason: 'left' | 'kicked'): Outcome {
  const { [user]: _gone, ...rest } = ctx.members;
  let next: RoomContext = { ...ctx, members: rest };
  const extra: Effect[] = [];
  if (ctx.owner === user) {
    const heir = successor(rest);
    next = { ...next, owner: heir, members: heir === null ? rest : { ...rest, [heir]: { ...rest[heir], r: 'owner' } } };
    extra.push(roomRow(next));
    if (heir !== null) extra.push(membersWrite(ctx.rid, { roles: [{ user: heir, role: 'owner' }] }));
  }
  return chain(
    done(next, membersWrite(ctx.rid, { remove: [user] }), ...extra, ...left(next, user, reason)),
    (c) => system(c, at, { event: reason, user, ...(by !== user ? { by } : {}), ...(ctx.owner === user ? { owner: next.owner } : {}) }, by),
    (c) => done(c, effects.reply({})),
  );
}

export function leave(ctx: RoomContext, e: { user: number; at: number }): Outcome {
  if (ctx.kind === 'direct') return fail(ctx, 'rooms.leave', 'forbidden', 'you cannot leave a direct conversation (block the user instead)');
  if (!ctx.members[e.user]) return fail(ctx, 'rooms.leave', 'forbidden', 'not a member', 'not_member');
  return remove(ctx, e.user, e.at, e.user, 'left');
}

export function kick(ctx: RoomContext, e: { by: number; user: number; at: number }): Outcome {
  if (ctx.kind === 'direct') return fail(ctx, 'rooms.kick', 'forbidden', 'nobody is kicked from a direct conversation');
  const target = roleOf(ctx, e.user);
  if (!target) return fail(ctx, 'rooms.kick', 'not_found', 'not a member');
  const mine = roleOf(ctx, e.by);
  if (e.by === e.user) return fail(ctx, 'rooms.kick', 'forbidden', 'use rooms.leave to leave');
  const allowed = mine === 'owner' || (mine === 'admin' && target === 'member');
  if (!allowed) return fail(ctx, 'rooms.kick', 'forbidden', mine === 'admin' ? 'admins kick members only' : 'only the owner and admins kick');
  return remove(ctx, e.user, e.at, e.by, 'kicked');
}

export function update(ctx: RoomContext, e: { by: number; name?: string; description?: string; open?: boolean; at: number }): Outcome {
  if (ctx.kind === 'direct') return fail(ctx, 'rooms.update', 'forbidden', 'a direct conversation has no name');
  if (!isManager(ctx, e.by)) return fail(ctx, 'rooms.update', 'forbidden', 'only the owner and admins change the room');
  const next = { ...ctx, name: e.name ?? ctx.name, description: e.description ?? ctx.description, open: e.open ?? ctx.open };
  const changed: Record<string, unknown> = {};
  if (e.name !== undefined) changed.name = e.name;
  if (e.description !== undefined) changed.description = e.description;
  if (e.open !== undefined) changed.open = e.open;
  return chain(done(next, roomRow(next)), (c) => system(c, e.at, { event: 'updated', by: e.by, ...changed }, e.by), (c) => done(c, effects.reply({})));
}

export function setRole(ctx: RoomContext, e: { by: number; user: number; role: 'admin' | 'member'; at: number }): Outcome {
  if (roleOf(ctx, e.by) !== 'owner') return fail(ctx, 'rooms.role', 'forbidden', 'only the owner sets roles');
  const target = roleOf(ctx, e.user);
  if (!target) return fail(ctx, 'rooms.role', 'not_found', 'not a member');
  if (target === 'owner') return fail(ctx, 'rooms.role', 'forbidden', 'the owner keeps the owner role');
  if (target === e.role) return done(ctx, effects.reply({}));
  const next = { ...ctx, members: { ...ctx.members, [e.user]: { ...ctx.members[e.user], r: e.role as Role } } };
  return chain(done(next, membersWrite(ctx.rid, { roles: [{ user: e.user, role: e.role }] })), (c) => system(c, e.at, { event: 'role', user: e.user, role: e.role, by: e.by }, e.by), (c) => done(c, effects.reply({})));
}

// ---- messages ----

export function post(ctx: RoomContext, e: { from: number; body: string; clientMsgId: string; origin?: string; file?: string; at: number }, born: boolean): Outcome {
  if (e.from !== 0 && !ctx.members[e.from]) return fail(ctx, 'chat.send', 'forbidden', 'only members post in a room', 'not_member');
  if (ctx.kind === 'direct' && ctx.members[0] && e.from !== 0) return fail(ctx, 'chat.send', 'forbidden', 'system messages cannot be answered');
  if (ctx.kind === 'direct' && Object.values(ctx.blocked).some(Boolean)) return fail(ctx, 'chat.send', 'forbidden', 'blocked');
  let start: Outcome = done(ctx);
  if (ctx.kind === 'direct' && !born) {
    // the first message creates the conversation's rows
    start = done(ctx, roomRow(ctx), membersWrite(ctx.rid, { add: Object.keys(ctx.members).map((u) => ({ user: Number(u), role: 'member', at: e.at })) }), ...Object.keys(ctx.members).flatMap((u) => joined(ctx, Number(u))));
  }
  return chain(start, (c) => appendEntry(c, { kind: 'text', from: e.from, body: e.body, at: e.at, clientMsgId: e.clientMsgId, file: e.file }, e.origin), (c) => done(c, effects.reply({ room: c.rid, seq: c.seq, at: e.at })));
}

/** What the room knows of an entry it wrote: read from its own rows (RoomKind loads). */
export interface EntryFacts {
  sender: number;
  kind: string;
  recalled: boolean;
}

/** The facts of the target entry from the rows the runtime loaded for an edit or recall. */
export function entryFacts(loaded: readonly Record<string, unknown>[] | undefined): EntryFacts | null {
  const r = loaded?.[0];
  return r ? { sender: Number(r.sender), kind: String(r.kind), recalled: r.recalled === true || r.recalled === 't' } : null;
}

/**
 * Edit or recall: decided from the room's own record of the target entry (`target`, loaded by
 * the runtime after every earlier message of the room committed), never from what the asker says.
 */
export function amend(ctx: RoomContext, e: { kind: 'edit' | 'recall'; by: number; target: number; entry: EntryFacts | null; body?: string; origin?: string; at: number }): Outcome {
  const op = e.kind === 'edit' ? 'chat.edit' : 'chat.recall';
  if (!ctx.members[e.by]) return fail(ctx, op, 'forbidden', 'only members change messages', 'not_member');
  if (e.target < 1 || e.target > ctx.seq || !e.entry) return fail(ctx, op, 'not_found', 'no such message');
  if (e.entry.sender !== e.by) return fail(ctx, op, 'forbidden', `you can only ${e.kind} your own messages`);
  if (e.entry.kind !== 'text') return fail(ctx, op, 'conflict', `only a text message can be ${e.kind === 'edit' ? 'edited' : 'recalled'}`);
  if (e.entry.recalled) return fail(ctx, op, 'conflict', 'the message was recalled');
  return chain(appendEntry(ctx, { kind: e.kind, from: e.by, body: e.body ?? '', at: e.at, ref: e.target }, e.origin), (c) => done(c, effects.reply({ seq: c.seq })));
}

export function block(ctx: RoomContext, e: { by: number; on: boolean }): Outcome {
  if (ctx.kind !== 'direct' || !ctx.members[e.by]) return done(ctx);
  return done({ ...ctx, blocked: { ...ctx.blocked, [e.by]: e.on } });
}

// ---- watch together ----

/** Members and roles as the room's watch actor keeps them. */
export function rosterOf(ctx: RoomContext): Record<string, Role> {
  return Object.fromEntries(Object.entries(ctx.members).map(([u, m]) => [u, m.r]));
}

/**
 * A member starts watching: the watch actor gets the roster now and, from then on, every change
 * (rosterChanges), in the room's order through the outbox. Nothing the gateway read is trusted.
 */
export function watchRoster(ctx: RoomContext, e: { user: number }): Outcome {
  if (!ctx.members[e.user]) return fail(ctx, 'watch.join', 'forbidden', 'only members of the room watch with it', 'not_member');
  const next = ctx.watched ? ctx : { ...ctx, watched: true };
  return done(next, effects.send('watch', ctx.rid, { type: 'roster', members: rosterOf(next) }), effects.reply({}));
}

/** What the watch actor must hear after a message changed members or roles (nothing before anyone watched). */
export function rosterChanges(before: RoomContext, after: RoomContext): Effect[] {
  if (!after.watched || !before.watched || before.members === after.members) return [];
  const out: Effect[] = [];
  for (const u of new Set([...Object.keys(before.members), ...Object.keys(after.members)])) {
    const was = before.members[u]?.r ?? null;
    const now = after.members[u]?.r ?? null;
    if (was !== now) out.push(effects.send('watch', after.rid, { type: 'member', user: Number(u), role: now }));
  }
  return out;
}
