import { command } from '../command.ts';
import { connectAs, callService, configureLogging } from '../../lib/mod.ts';
import { openDatabase, migrate } from '../../schema/mod.ts';
import { readHistory, streamBounds, replayInto, type HistoryMessage } from '../../actors/runtime/mod.ts';
import { actorKinds } from '../roles.ts';

function parseWhen(v: unknown, name: string): Date | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  const rel = /^(\d+)(s|m|h|d)$/.exec(s);
  if (rel) return new Date(Date.now() - Number(rel[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[rel[2] as 's']);
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`--${name}: expected an ISO time or an age like 15m, 2h, 1d; got "${s}"`);
  return d;
}

function seqFlag(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a stream sequence (a whole number from 1), got "${v}"`);
  return n;
}

export default command({
  name: 'replay',
  summary: 'read actor mailbox history (ACTORS stream), or re-run it to audit stored state',
  usage: 'troupe replay [--filter SUBJECT] [--from-seq N] [--to-seq N] [--since T] [--until T] [--audit] [settings]',
  description: `
Reads the ACTORS stream in order for a subject filter (default act.>, e.g. act.room.>, or one
actor: act.user.*.42) and a sequence or time range (--since 2026-11-22T10:00:00Z or --since 2h),
printing one line per message: sequence, time, subject, idempotency key, body. Progress goes to
stderr.

--audit re-runs the history through the actor machines (the real runtime worker) into a scratch
in-memory database and compares every actor it produced with the state stored in Postgres
(through svc.actors.inspect): the same version and the same state, or the differences are listed.
An audit needs the history from each actor's first message, so it reads from the stream's start.`,
  groups: ['common', 'nats', 'host'],
  flags: {
    filter: { type: 'string', help: 'subject filter', default: 'act.>' },
    'from-seq': { type: 'string', help: 'first stream sequence' },
    'to-seq': { type: 'string', help: 'last stream sequence' },
    since: { type: 'string', help: 'start time (ISO) or age (30m, 2h, 1d)' },
    until: { type: 'string', help: 'end time (ISO) or age' },
    audit: { type: 'boolean', help: 're-run through the machines into a scratch database and compare with the stored state' },
  },
  async run({ config, flags }) {
    const range = { filter: String(flags.filter), fromSeq: seqFlag(flags['from-seq'], 'from-seq'), toSeq: seqFlag(flags['to-seq'], 'to-seq'), since: parseWhen(flags.since, 'since'), until: parseWhen(flags.until, 'until') };
    const nc = await connectAs(config, 'ops', 'replay', { maxReconnectAttempts: 0 });
    let lastReport = 0;
    const progress = (seq: number, last: number) => {
      if (Date.now() - lastReport > 1000) {
        lastReport = Date.now();
        process.stderr.write(`\r  read up to seq ${seq} of ${last}`);
      }
    };
    try {
      const bounds = await streamBounds(nc);
      if (!flags.audit) {
        let n = 0;
        for await (const m of readHistory(nc, range, progress)) {
          n++;
          console.log(`${m.seq}\t${new Date(m.time).toISOString()}\t${m.subject}\t${m.key}\t${new TextDecoder().decode(m.data)}`);
        }
        process.stderr.write(`\r${n} messages (stream holds ${bounds.firstSeq}..${bounds.lastSeq})\n`);
        return 0;
      }
      if (bounds.firstSeq > 1) console.error(`note: the stream starts at seq ${bounds.firstSeq} (older history expired); actors older than that will not match`);
      const history: HistoryMessage[] = [];
      for await (const m of readHistory(nc, { filter: range.filter, toSeq: range.toSeq }, progress)) history.push(m);
      process.stderr.write(`\r  ${history.length} messages read; replaying through the machines...\n`);
      configureLogging('warn');
      const scratch = await openDatabase({ databaseUrl: 'memory:' });
      await migrate(scratch, '');
      const replayed = await replayInto(scratch, history, actorKinds(config), config.partitions);
      let mismatches = 0;
      for (const [key, got] of replayed) {
        const dot = key.indexOf('.');
        const stored = await callService(nc, 'svc.actors.inspect', { kind: key.slice(0, dot), id: key.slice(dot + 1) }, 5000);
        const same = stored.found && stored.version === got.version && JSON.stringify(stored.state) === JSON.stringify(got.state);
        if (!same) {
          mismatches++;
          console.log(`MISMATCH ${key}: replayed version ${got.version}, stored ${stored.found ? `version ${stored.version}` : 'nothing'}`);
          console.log(`  replayed: ${JSON.stringify(got.state)}`);
          console.log(`  stored:   ${JSON.stringify(stored.state)}`);
        }
      }
      await scratch.close();
      console.log(`audit: ${replayed.size} actors replayed from ${history.length} messages; ${replayed.size - mismatches} match the stored state, ${mismatches} differ`);
      return mismatches ? 1 : 0;
    } finally {
      await nc.close();
    }
  },
});
