import { command } from '../command.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectAs, callService, configureLogging, ConfigError, type ConfigOf } from '../../lib/mod.ts';
import { parseActorSubject } from '../../protocol/mod.ts';
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
in-memory database and compares each actor with the state stored in Postgres (through
svc.actors.inspect) at the same version: it reads the stored versions first, then the history up
to the stream's end, and takes each actor's replayed state when it reaches the stored version. So
it can run on a live system: messages applied meanwhile are not differences. An audit needs the
history from each actor's first message, so it reads from the stream's start (--filter only).`,
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
    if (flags.audit && (range.fromSeq || range.toSeq || range.since || range.until)) {
      throw new ConfigError('--audit replays each actor from its first message up to the version that is stored now; it takes --filter only');
    }
    const nc = await connectAs(config, 'ops', 'replay', { maxReconnectAttempts: 0 });
    const progress = new ReadProgress();
    try {
      const bounds = await streamBounds(nc);
      if (!flags.audit) {
        let n = 0;
        for await (const m of readHistory(nc, range, (seq, last) => progress.at(seq, last))) {
          n++;
          console.log(`${m.seq}\t${new Date(m.time).toISOString()}\t${m.subject}\t${m.key}\t${new TextDecoder().decode(m.data)}`);
        }
        progress.done(`${n} messages (stream holds ${bounds.firstSeq}..${bounds.lastSeq})`);
        return 0;
      }
      if (bounds.firstSeq > 1) console.error(`note: the stream starts at seq ${bounds.firstSeq} (older history expired); actors older than that will not match`);
      return await audit(nc, config, range.filter, progress);
    } finally {
      await nc.close();
    }
  },
});

/** Read progress on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
class ReadProgress {
  private readonly tty = process.stderr.isTTY === true;
  private shown = Date.now();
  private read = 0;

  at(seq: number, last: number): void {
    this.read++;
    const now = Date.now();
    if (now - this.shown < (this.tty ? 250 : 5000)) return;
    this.shown = now;
    process.stderr.write(`${this.tty ? '\r' : ''}  read ${this.read} messages, up to seq ${seq} of ${last}${this.tty ? '' : '\n'}`);
  }

  /** The final line (it replaces the progress line on a terminal). */
  done(line: string): void {
    process.stderr.write(`${this.tty ? '\r\x1b[K' : ''}${line}\n`);
    this.read = 0;
    this.shown = Date.now();
  }

}

/**
 * Compares each actor's stored state with the replayed state at the SAME version: the stored
 * versions are read first, then history up to the stream's end (which holds every message that
 * produced them), and the replay records each actor's state when it reaches its stored version.
 * Messages that arrive meanwhile therefore never count as a difference; a mismatch is a real
 * divergence (or expired history).
 */
async function audit(nc: NatsConnection, config: ConfigOf<'host'>, filter: string, progress: ReadProgress): Promise<number> {
  const history: HistoryMessage[] = [];
  for await (const m of readHistory(nc, { filter }, (seq, last) => progress.at(seq, last))) history.push(m);
  const firstEnd = history.length ? history[history.length - 1].seq : 0;
  const actors = new Map<string, { kind: string; id: string }>();
  for (const m of history) {
    const a = parseActorSubject(m.subject);
    if (a) actors.set(`${a.kind}.${a.id}`, { kind: a.kind, id: a.id });
  }
  const stored = new Map<string, { version: number; state: unknown }>();
  for (const [key, a] of actors) {
    const s = await callService(nc, 'svc.actors.inspect', a, 5000);
    if (s.found) stored.set(key, { version: s.version ?? 0, state: s.state });
  }
  // what was applied between the first read and the inspections
  for await (const m of readHistory(nc, { filter, fromSeq: firstEnd + 1 }, (seq, last) => progress.at(seq, last))) history.push(m);
  progress.done(`  ${history.length} messages read (up to seq ${history.length ? history[history.length - 1].seq : 0}), ${actors.size} actors; replaying through the machines...`);
  configureLogging('warn');
  const scratch = await openDatabase({ databaseUrl: 'memory:' });
  try {
    await migrate(scratch, '');
    const atStoredVersion = new Map<string, unknown>();
    const createdAt = new Map<string, number>();
    const replayed = await replayInto(scratch, history, actorKinds(config), config.partitions, {
      staged(_h, _p, _e, c) {
        if (c.version === 1) createdAt.set(c.actor, c.seq);
        if (stored.get(c.actor)?.version === c.version) atStoredVersion.set(c.actor, structuredClone(c.state));
      },
    });
    let mismatches = 0;
    let compared = 0;
    const differ = (key: string, why: string, replayedState: unknown, storedState: unknown) => {
      mismatches++;
      console.log(`MISMATCH ${key}: ${why}`);
      console.log(`  replayed: ${JSON.stringify(replayedState)}`);
      console.log(`  stored:   ${JSON.stringify(storedState)}`);
    };
    for (const key of actors.keys()) {
      const s = stored.get(key);
      const r = replayed.get(key);
      if (!s) {
        // created by a message read before the inspection, yet not stored: a real difference
        if (r && (createdAt.get(key) ?? Infinity) <= firstEnd) differ(key, 'the replay created it, nothing is stored', r.state, null);
        continue;
      }
      compared++;
      if (!atStoredVersion.has(key)) differ(key, `stored version ${s.version}, but the replay reached only version ${r?.version ?? 0}`, r?.state ?? null, s.state);
      else if (canonical(atStoredVersion.get(key)) !== canonical(s.state)) differ(key, `the states at version ${s.version} differ`, atStoredVersion.get(key), s.state);
    }
    console.log(`audit: ${compared} actors replayed from ${history.length} messages; ${compared - mismatches} match the stored state, ${mismatches} differ`);
    return mismatches ? 1 : 0;
  } finally {
    await scratch.close();
  }
}

/** JSON with object keys sorted: Postgres' jsonb keeps its own key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}
