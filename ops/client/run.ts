// Runs one `troupe client` command: checks its arguments, resumes the saved session when the
// command needs it, and closes the connection afterwards.
import type { Parsed } from '../../lib/mod.ts';
import { scriptedCommands } from './commands.ts';
import { chatCommand } from './chat.ts';
import { clientUsage } from './help.ts';
import { Profile } from './profile.ts';
import { checkArgs, connectSaved, deviceOf, givenUrl, type ClientCommand, type ClientEnv, type Flags } from './context.ts';
import type { ClientIo } from './io.ts';

export const clientCommands: Record<string, ClientCommand> = { ...scriptedCommands, chat: chatCommand };

export const usage = clientUsage(clientCommands);

export async function runClient(parsed: Parsed<'client'>, io: ClientIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...args] = parsed.positionals;
  const spec = name ? clientCommands[name] : undefined;
  if (!spec) {
    io.err(name ? `unknown client command "${name}"\n\nUsage: ${usage}` : `Usage: ${usage}`);
    return 2;
  }
  const flags = parsed.flags as Flags;
  checkArgs(name, spec, args, flags);
  const { config } = parsed;
  const base: ClientEnv = {
    // only what was given: a profile remembers where it logged in (urlFor decides)
    url: givenUrl(parsed),
    failover: config.failover,
    profile: new Profile(config.clientHome, config.profile),
    io, env,
    device: deviceOf(flags, spec.device ?? 'cli'),
  };
  if ('alone' in spec) return (await spec.alone(base, args, flags)) ?? 0;
  const ctx = await connectSaved(base, { reconnect: true, heartbeatMs: spec.live ? 30_000 : 0 });
  try {
    return (await spec.run(ctx, args, flags)) ?? 0;
  } finally {
    await ctx.client.close();
  }
}
