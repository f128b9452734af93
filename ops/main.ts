// The troupe CLI: one program, many roles and tools. `troupe <command> --help` for each.
import './threadpool.ts';
import { runCommand, StoppedWhileStarting, type Command } from './command.ts';
import { ConfigError } from '../lib/mod.ts';
import { TroupeError } from '../protocol/mod.ts';
// Commands load on demand: a one-shot client command should not pay for the whole system.
const loaders: Record<string, () => Promise<{ default: unknown }>> = {
  up: () => import('./commands/up.ts'),
  host: () => import('./commands/host.ts'),
  gateway: () => import('./commands/gateway.ts'),
  storage: () => import('./commands/storage.ts'),
  migrate: () => import('./commands/migrate.ts'),
  nats: () => import('./commands/nats.ts'),
  secrets: () => import('./commands/secrets.ts'),
  client: () => import('./commands/client.ts'),
  files: () => import('./commands/files.ts'),
  library: () => import('./commands/library.ts'),
  watch: () => import('./commands/watch.ts'),
  partitions: () => import('./commands/partitions.ts'),
  'storage-forget': () => import('./commands/storage-forget.ts'),
  inspect: () => import('./commands/inspect.ts'),
  replay: () => import('./commands/replay.ts'),
  tail: () => import('./commands/tail.ts'),
  bench: () => import('./commands/bench.ts'),
  sim: () => import('./commands/sim.ts'),
  docs: () => import('./commands/docs.ts'),
  web: () => import('./commands/web.ts'),
  test: () => import('./commands/test.ts'),
};

const load = async (name: string) => (await loaders[name]()).default as Command;

async function overview(): Promise<string> {
  const commands = await Promise.all(Object.keys(loaders).map(load));
  return [
    'Usage: troupe <command> [options]      (from a checkout: npm run troupe -- <command>)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(15)} ${c.summary}`),
    '',
    'Every command takes --help. Settings come from flags, then environment variables, then defaults.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await overview());
    return name ? 0 : 2;
  }
  if (!Object.hasOwn(loaders, name)) {
    console.error(`troupe: unknown command "${name}"\n\n${await overview()}`);
    return 2;
  }
  const c = await load(name);
  try {
    return await runCommand(c, rest);
  } catch (e) {
    if (e instanceof StoppedWhileStarting) return 0;
    if (e instanceof ConfigError) {
      console.error(`troupe ${name}: ${e.message} (see troupe ${name} --help)`);
      return 2;
    }
    if (e instanceof TroupeError) {
      console.error(`troupe ${name}: ${e.code}: ${e.message}`);
      return 1;
    }
    console.error(`troupe ${name}: ${(e as Error).message ?? e}`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
if (!['up', 'host', 'gateway', 'nats', 'storage'].includes(process.argv[2] ?? '')) {
  // one-shot commands: don't wait for stray handles (pools, timers) to wind down
  setTimeout(() => process.exit(code), 50).unref();
}
