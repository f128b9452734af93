// Rooms: the recent-conversations list, creating, joining, membership and roles, discovery.
import { TroupeError } from '../../protocol/mod.ts';
import { row } from './format.ts';
import { about } from './names.ts';
import { usageError, type ClientCommand, type ClientContext, type Flags } from './context.ts';

/** What a conversation is called: the room name, or @peer for a direct one. */
export function conversationLabel(room: { kind: 'group' | 'direct'; name: string; peer?: { name: string }; id: string }): string {
  return room.kind === 'direct' ? (room.peer ? `@${room.peer.name}` : room.id) : room.name;
}

/** Rooms are named by everything after the room argument, so quoting is optional. */
function roomName(words: string[]): string {
  const name = words.join(' ').trim();
  if (!name) throw usageError('the room name is empty');
  if (name.length > 80) throw usageError(`a room name has at most 80 characters (this one has ${name.length})`);
  return name;
}

async function memberTarget(ctx: ClientContext, roomArg: string) {
  const t = await ctx.names.target(roomArg);
  if (t.kind === 'direct') throw new TroupeError('forbidden', `${t.label} is a direct conversation: it has exactly its two people`);
  return t;
}

export async function createRoom(ctx: ClientContext, words: string[], flags: Flags) {
  const name = roomName(words);
  if (flags.description !== undefined && flags.description.length > 1000) throw usageError('a description has at most 1000 characters');
  const members = [];
  for (const m of flags.member ?? []) members.push((await ctx.names.user(m)).id);
  const { room } = await ctx.client.request('rooms.create', {
    name, ...(flags.open ? { open: true } : {}), ...(flags.description !== undefined ? { description: flags.description } : {}), ...(members.length ? { members } : {}),
  });
  return room;
}

export async function joinRoom(ctx: ClientContext, arg: string) {
  const id = await ctx.names.openRoom(arg);
  const { room } = await about({ room: id, label: arg, kind: 'group' }, () => ctx.client.request('rooms.join', { room: id }));
  return room;
}

export const roomCommands: Record<string, ClientCommand> = {
  rooms: {
    usage: 'rooms', summary: 'your conversations, last activity first',
    args: [0, 0],
    async run(ctx) {
      const { conversations } = await ctx.client.request('rooms.list', { limit: 500 });
      for (const c of conversations) ctx.io.out(row(c.room.id, conversationLabel(c.room), c.unread, c.lastPreview));
    },
  },
  create: {
    usage: 'create <name...> [--open] [--description D] [--member NAME ...]', summary: 'create a group room (you are its owner)',
    args: [1, Infinity], flags: ['open', 'description', 'member'],
    async run(ctx, words, flags) {
      const room = await createRoom(ctx, words, flags);
      ctx.io.out(row(room.id, room.name));
    },
  },
  join: {
    usage: 'join <room>', summary: 'join an open room (by id or exact name)',
    args: [1, 1],
    async run(ctx, [arg]) {
      const room = await joinRoom(ctx, arg);
      ctx.io.out(row(room.id, room.name));
    },
  },
  invite: {
    room: true,
    usage: 'invite <room> <user>', summary: 'add a user to a room (owner and admins)',
    args: [2, 2],
    async run(ctx, [roomArg, userArg]) {
      const t = await memberTarget(ctx, roomArg);
      const user = await ctx.names.user(userArg);
      await about(t, () => ctx.client.request('rooms.invite', { room: t.room, user: user.id }));
      ctx.io.out(row(t.room, 'invited', user.name));
    },
  },
  leave: {
    room: true,
    usage: 'leave <room>', summary: 'leave a room',
    args: [1, 1],
    async run(ctx, [roomArg]) {
      const t = await memberTarget(ctx, roomArg);
      await about(t, () => ctx.client.request('rooms.leave', { room: t.room }));
      ctx.io.out(row(t.room, 'left'));
    },
  },
  kick: {
    room: true,
    usage: 'kick <room> <user>', summary: 'remove a member (owner: anyone; admins: members)',
    args: [2, 2],
    async run(ctx, [roomArg, userArg]) {
      const t = await memberTarget(ctx, roomArg);
      const user = await ctx.names.user(userArg);
      await about(t, () => ctx.client.request('rooms.kick', { room: t.room, user: user.id }));
      ctx.io.out(row(t.room, 'kicked', user.name));
    },
  },
  role: {
    room: true,
    usage: 'role <room> <user> admin|member', summary: 'make a member an admin or a plain member (owner only)',
    args: [3, 3],
    async run(ctx, [roomArg, userArg, role]) {
      if (role !== 'admin' && role !== 'member') throw usageError(`role must be admin or member, got "${role}"`);
      const t = await memberTarget(ctx, roomArg);
      const user = await ctx.names.user(userArg);
      await about(t, () => ctx.client.request('rooms.role', { room: t.room, user: user.id, role }));
      ctx.io.out(row(t.room, role, user.name));
    },
  },
  rename: {
    room: true,
    usage: 'rename <room> <name...>', summary: 'rename a room (owner and admins)',
    args: [2, Infinity],
    async run(ctx, [roomArg, ...words]) {
      const name = roomName(words);
      const t = await memberTarget(ctx, roomArg);
      await about(t, () => ctx.client.request('rooms.update', { room: t.room, name }));
      ctx.io.out(row(t.room, 'renamed', name));
    },
  },
  members: {
    room: true,
    usage: 'members <room>', summary: 'members with role, online state and read position',
    args: [1, 1],
    async run(ctx, [roomArg]) {
      const t = await ctx.names.target(roomArg);
      const { members } = await about(t, () => ctx.client.request('rooms.members', { room: t.room }));
      for (const m of members) ctx.io.out(row(m.user.name, m.role, m.online ? 'online' : 'offline', m.readSeq));
    },
  },
  discover: {
    usage: 'discover [prefix]', summary: 'open rooms you can join, by name prefix',
    args: [0, 1],
    async run(ctx, [prefix]) {
      if (prefix !== undefined && prefix.length > 80) throw usageError('the prefix has at most 80 characters');
      const { rooms } = await ctx.client.request('rooms.discover', { query: prefix ?? '', limit: 100 });
      for (const r of rooms) ctx.io.out(row(r.id, r.name, r.members, r.description));
    },
  },
};
