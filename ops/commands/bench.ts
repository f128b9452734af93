import { command } from '../command.ts';
import { benchmarks } from '../bench/mod.ts';

export default command({
  name: 'bench',
  summary: 'run a benchmark: ' + benchmarks.map((b) => b.name).join(', '),
  usage: 'troupe bench <name>... [--seconds S] [--concurrency C]   (npm run bench -- <name>; several run one after another: npm run bench -- actors chat storage)',
  description: `
Each benchmark starts what it needs (its own nats-server, a fresh Postgres database when one is
reachable at TROUPE_BENCH_DATABASE_URL or postgres://127.0.0.1:5432/postgres, host processes),
measures, and prints its figures beside a baseline measured in the same run, with the ratios.

${benchmarks.map((b) => `  ${b.name.padEnd(10)} ${b.summary}`).join('\n')}`,
  groups: [],
  flags: {
    seconds: { type: 'string', help: 'seconds per measurement', default: '8' },
    concurrency: { type: 'string', help: 'operations in flight', default: '64' },
    ...Object.assign({}, ...benchmarks.map((b) => b.flags ?? {})),
  },
  async run({ flags, positionals }) {
    const chosen = positionals.map((name) => ({ name, b: benchmarks.find((x) => x.name === name) }));
    const unknown = chosen.find((c) => !c.b);
    if (!chosen.length || unknown) {
      console.error(`troupe bench: ${unknown ? `no benchmark "${unknown.name}"` : 'which benchmark?'}; choose one or more of: ${benchmarks.map((x) => x.name).join(', ')}`);
      return 2;
    }
    const seconds = Number(flags.seconds);
    const concurrency = Number(flags.concurrency);
    if (!(seconds > 0) || !Number.isInteger(concurrency) || concurrency < 1) throw new Error('--seconds must be positive and --concurrency a whole number >= 1');
    for (const [i, { name, b }] of chosen.entries()) {
      if (chosen.length > 1) console.log(`${i ? '\n' : ''}=== bench ${name} (${i + 1} of ${chosen.length}) ===`);
      await b!.run({ seconds, concurrency, flags });
    }
    return 0;
  },
});
