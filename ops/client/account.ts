// Accounts and the saved session: register, login, logout, whoami, ping.
import type { TroupeClient } from '../../protocol/client/mod.ts';
import { readPassword } from './io.ts';
import { connectClient, urlFor, type ClientCommand, type ClientEnv } from './context.ts';

const connect = (env: ClientEnv) => connectClient(env);

async function using<T>(env: ClientEnv, work: (c: TroupeClient) => Promise<T>): Promise<T> {
  const c = await connect(env);
  try {
    return await work(c);
  } finally {
    await c.close();
  }
}

export const accountCommands: Record<string, ClientCommand> = {
  register: {
    usage: 'register <name>', summary: 'create an account (asks for the password, or --password / TROUPE_PASSWORD)',
    args: [1, 1], flags: ['password'], standalone: true,
    async alone(env, [name], flags) {
      const password = await readPassword(env.io, flags.password, env.env);
      const user = await using(env, (c) => c.register(name, password));
      env.io.out(`registered ${user.name} (id ${user.id})`);
    },
  },
  login: {
    usage: 'login <name>', summary: 'log in and save the session in the profile for later commands',
    args: [1, 1], flags: ['password'], standalone: true,
    async alone(env, [name], flags) {
      const password = await readPassword(env.io, flags.password, env.env);
      const url = urlFor(env);
      await using(env, async (c) => {
        const user = await c.login(name, password);
        env.profile.saveSession({ url, token: c.token!, user, expiresAt: '' });
        env.io.out(`logged in as ${user.name} (id ${user.id}) over ${c.url}`);
      });
    },
  },
  logout: {
    usage: 'logout', summary: 'revoke the saved session and forget it (and the profile\'s cursors)',
    args: [0, 0], standalone: true,
    async run(ctx) {
      await ctx.client.logout();
      ctx.profile.forget();
      ctx.io.out(`logged out ${ctx.me.name}`);
    },
  },
  whoami: {
    usage: 'whoami', summary: 'the saved session\'s user (resumes it on the server)',
    args: [0, 0],
    async run(ctx) {
      ctx.io.out(`${ctx.me.name} (id ${ctx.me.id})`);
    },
  },
  ping: {
    usage: 'ping', summary: 'round trip to the gateway',
    args: [0, 0],
    async alone(env) {
      await using(env, async (c) => {
        const t = Date.now();
        await c.request('ping', { t });
        env.io.out(`pong from ${c.url} in ${Date.now() - t} ms`);
      });
    },
  },
};
