// Users and friends: find, the friend list, requests, blocks, presence.
import { row } from './format.ts';
import { usageError, type ClientCommand, type ClientContext } from './context.ts';

type FriendOp = 'friends.accept' | 'friends.decline' | 'friends.remove' | 'friends.block' | 'friends.unblock';

/** A one-user friendship change; prints the user and the status it leaves. */
function change(op: FriendOp, status: string, summary: string, verb: string): ClientCommand {
  return {
    usage: `${verb} <user>`, summary, args: [1, 1],
    async run(ctx: ClientContext, [name]: string[]) {
      const user = await ctx.names.user(name);
      await ctx.client.request(op, { user: user.id });
      ctx.io.out(row(user.name, status));
    },
  };
}

export const friendCommands: Record<string, ClientCommand> = {
  find: {
    usage: 'find <prefix>', summary: 'users whose name starts with the prefix',
    args: [1, 1],
    async run(ctx, [prefix]) {
      if (prefix.length > 32) throw usageError('a user name has at most 32 characters');
      const { users } = await ctx.client.request('users.find', { query: prefix, limit: 50 });
      for (const u of users) ctx.io.out(row(u.name, u.id));
    },
  },
  friends: {
    usage: 'friends', summary: 'friends, requests both ways and blocked users, with online state',
    args: [0, 0],
    async run(ctx) {
      const { friends } = await ctx.client.request('friends.list', {});
      for (const f of friends) ctx.io.out(row(f.user.name, f.status, f.online ? 'online' : 'offline', f.devices.join(',') || '-'));
    },
  },
  add: {
    usage: 'add <user>', summary: 'ask a user to be friends (accepts theirs if they asked first)',
    args: [1, 1],
    async run(ctx, [name]) {
      const user = await ctx.names.user(name);
      const { status } = await ctx.client.request('friends.request', { user: user.id });
      ctx.io.out(row(user.name, status));
    },
  },
  accept: change('friends.accept', 'friend', 'accept a friend request', 'accept'),
  decline: change('friends.decline', 'none', 'decline a friend request (or withdraw yours)', 'decline'),
  unfriend: change('friends.remove', 'none', 'end a friendship', 'unfriend'),
  block: change('friends.block', 'blocked', 'block a user (no friendship, no direct messages)', 'block'),
  unblock: change('friends.unblock', 'none', 'lift a block', 'unblock'),
  presence: {
    usage: 'presence <user...>', summary: 'online state and devices of users',
    args: [1, 200],
    async run(ctx, names) {
      const users = [];
      for (const n of names) users.push(await ctx.names.user(n));
      const { presence } = await ctx.client.request('presence.query', { users: users.map((u) => u.id) });
      for (const p of presence) ctx.io.out(row(ctx.names.label(p.user), p.online ? 'online' : 'offline', p.devices.join(',') || '-', p.lastSeenAt ?? '-'));
    },
  },
};
