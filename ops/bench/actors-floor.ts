// The durable ask floor of `bench actors`: the least an exactly-once durable ask can cost on this
// machine with the same components (nats-server 2.9, Postgres, Node, nats.js, postgres.js), at the
// same concurrency, measured in the same run. It exists because the goal of issue #11 (ask() at
// >= 0.35 of a bare JetStream publish+ack) is judged against a publish that is neither durable in
// Postgres nor answered; this row says how far below the physical limit the real ask() is, measured
// rather than estimated (DESIGN.md, 'The limit').
//
// What it keeps of an ask, and nothing more:
//  - the client publishes to JetStream with Nats-Msg-Id (dedupe) and the reply subject in a header,
//    and waits for the reply on one core NATS subscription (a token per ask), with a timeout;
//  - one worker process pulls the whole stream through one AckNone pull consumer (memory state,
//    1024-message pulls), skips sequences it has taken, and commits everything received while the
//    previous commit ran in ONE Postgres statement (autocommit, synchronous_commit on): the
//    per-actor counter rows (absolute value and version, computed in memory since the worker is
//    the only writer, with a stale-version guard), one idempotency row per message with its reply
//    (its primary key aborts a batch that would apply a key twice), and the applied sequence;
//  - after the commit it publishes the replies.
// No leases, fencing, partitions, xstate, schema validation, outbox, metrics or logs; no recovery
// path (an error ends the worker and the asks time out).
//
// The same floor split over W worker processes (as the three-host row splits the partitions over
// three hosts): worker i of W consumes only `floor.<W>.<i>.>` with a consumer of its own, keeps its
// own applied sequence, and commits on its own connection; an actor id belongs to one worker
// (`shardOf`). So the 1-worker and the 3-worker floors differ in nothing but the split, and their
// ratio is what splitting the same work over more processes costs on these cores.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { connect, createInbox, headers, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import postgres from 'postgres';
import { partitionOf } from '../../actors/runtime/mod.ts';

export const FLOOR_STREAM = 'FLOOR';
export const FLOOR_SUBJECTS = 'floor.>';
const REPLY_HEADER = 'Troupe-Reply';

export interface FloorWorkerPlan {
  natsUrl: string;
  user: string;
  pass: string;
  databaseUrl: string;
  /** This worker's share: it takes the ids with `shardOf(id, workers) === index`. */
  index: number;
  workers: number;
}

/** The worker of `workers` that owns counter `id`: the runtime's placement, with workers for partitions. */
const shardOf = (id: string, workers: number) => partitionOf('counter', id, workers);

const shardSubject = (workers: number, index: number) => `floor.${workers}.${index}`;

/** Messages committed and commit statements run by the worker so far. */
export interface FloorStats {
  messages: number;
  commits: number;
}

type ToWorker = { type: 'plan'; plan: FloorWorkerPlan } | { type: 'stats' } | { type: 'close' };
type FromWorker = { type: 'started' } | { type: 'ready' } | ({ type: 'stats' } & FloorStats) | { type: 'failed'; message: string };

const COMMIT = `with x as (
    select * from jsonb_to_recordset($1::jsonb) as x(key text, id text, seq bigint, reply jsonb)
  ), a as (
    select * from jsonb_to_recordset($2::jsonb) as a(id text, n bigint, version bigint)
  ), inbox as (
    insert into floor_inbox (key, id, seq, reply) select key, id, seq, reply from x
  ), counters as (
    insert into floor_counter as c (id, n, version) select id, n, version from a
    on conflict (id) do update set n = excluded.n, version = excluded.version, updated_at = now() where c.version < excluded.version
  )
  update floor_applied set seq = greatest(seq, $3) where shard = $4`;

async function work(plan: FloorWorkerPlan, send: (m: FromWorker) => void, closing: Promise<void>): Promise<void> {
  const nc = await connect({ servers: plan.natsUrl, user: plan.user, pass: plan.pass, name: 'troupe-bench-floor', noAsyncTraces: true });
  const sql = postgres(plan.databaseUrl, { max: 1, onnotice: () => {}, connection: { synchronous_commit: 'on' } });
  try {
    await sql`create table if not exists floor_counter (id text primary key, n bigint not null, version bigint not null, updated_at timestamptz not null default now())`;
    await sql`create table if not exists floor_inbox (key text primary key, id text not null, seq bigint not null, reply jsonb, at timestamptz not null default now())`;
    // what pruning the inbox needs (the real inbox has it too)
    await sql`create index if not exists floor_inbox_at on floor_inbox (at)`;
    // one applied sequence per share ('<workers>.<index>'): a worker of one split never replays another's messages
    await sql`create table if not exists floor_applied (shard text primary key, seq bigint not null)`;
    const shard = `${plan.workers}.${plan.index}`;
    await sql`insert into floor_applied values (${shard}, 0) on conflict do nothing`;
    let taken = Number((await sql`select seq from floor_applied where shard = ${shard}`)[0].seq);
    const totals = new Map<string, { n: number; version: number }>();
    for (const r of await sql`select id, n, version from floor_counter`) totals.set(String(r.id), { n: Number(r.n), version: Number(r.version) });

    const jsm = await jetstreamManager(nc);
    const name = `floor-${plan.workers}-${plan.index}`;
    const prefix = shardSubject(plan.workers, plan.index);
    await jsm.consumers.add(FLOOR_STREAM, {
      durable_name: name, filter_subject: `${prefix}.>`, ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: taken + 1, mem_storage: true,
    });
    const messages = await jetstream(nc).consumers.get(FLOOR_STREAM, name).then((c) => c.consume({ max_messages: 1024 }));

    const stats: FloorStats = { messages: 0, commits: 0 };
    process.on('message', (m: ToWorker) => { if (m.type === 'stats') send({ type: 'stats', ...stats }); });
    let pending: { key: string; id: string; seq: number; n: number; replyTo: string }[] = [];
    let committing = false;
    const enc = new TextEncoder();
    const commitAll = async () => {
      committing = true;
      while (pending.length) {
        const batch = pending;
        pending = [];
        const inbox: { key: string; id: string; seq: number; reply: unknown }[] = [];
        const changed = new Map<string, { n: number; version: number }>();
        for (const m of batch) {
          const prev = totals.get(m.id) ?? { n: 0, version: 0 };
          const next = { n: prev.n + m.n, version: prev.version + 1 };
          totals.set(m.id, next);
          changed.set(m.id, next);
          inbox.push({ key: m.key, id: m.id, seq: m.seq, reply: { ok: true, total: next.n } });
        }
        // postgres.js serializes the jsonb parameters (JSON.stringify), as the host's statement is sent
        await sql.unsafe(COMMIT, [inbox, [...changed].map(([id, c]) => ({ id, ...c })), batch[batch.length - 1].seq, shard] as never[], { prepare: true });
        stats.commits++;
        stats.messages += batch.length;
        for (let i = 0; i < batch.length; i++) if (batch[i].replyTo) nc.publish(batch[i].replyTo, enc.encode(JSON.stringify(inbox[i].reply)));
      }
      committing = false;
    };
    let failure: unknown;
    const consumed = (async () => {
      for await (const m of messages) {
        if (m.seq <= taken) continue;
        taken = m.seq;
        pending.push({ key: m.headers?.get('Nats-Msg-Id') ?? '', id: m.subject.slice(prefix.length + 1), seq: m.seq, n: m.json<{ n: number }>().n, replyTo: m.headers?.get(REPLY_HEADER) ?? '' });
        if (!committing) commitAll().catch((e) => { failure = e; void messages.close(); });
      }
    })();
    send({ type: 'ready' });
    await Promise.race([closing, consumed]);
    await messages.close();
    await consumed;
    if (failure) throw failure;
  } finally {
    await nc.close().catch(() => {});
    await sql.end({ timeout: 2 });
  }
}

// the worker process: started by startFloorWorker, driven over IPC
if (process.env.TROUPE_BENCH_FLOOR_WORKER) {
  const send = (m: FromWorker) => process.send!(m);
  let close!: () => void;
  const closing = new Promise<void>((r) => (close = r));
  process.on('message', (m: ToWorker) => {
    if (m.type === 'plan') {
      work(m.plan, send, closing).then(() => process.exit(0), (e) => {
        process.stderr.write(`floor worker: ${(e as Error)?.stack ?? e}\n`);
        send({ type: 'failed', message: String((e as Error)?.message ?? e) });
        process.exit(1);
      });
    } else if (m.type === 'close') close();
  });
  send({ type: 'started' });
}

export interface FloorWorker {
  pid: number;
  stats(): Promise<FloorStats>;
  stop(): Promise<void>;
}

/** Starts the worker process (run from the sources under tsx, as chat-clients.ts is) once its consumer exists. */
export async function startFloorWorker(root: string, plan: FloorWorkerPlan): Promise<FloorWorker> {
  // TROUPE_BENCH_CPU_PROF=<dir>: a V8 CPU profile of the worker too, as of the role processes (harness.ts)
  const prof = process.env.TROUPE_BENCH_CPU_PROF;
  const profiling = prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`, `--cpu-prof-name=floor-worker-${plan.workers}-${plan.index}.cpuprofile`] : [];
  const child: ChildProcess = fork(path.join(root, 'ops', 'bench', 'actors-floor.ts'), [], {
    execArgv: [...profiling, '--import', 'tsx'], env: { ...process.env, TROUPE_BENCH_FLOOR_WORKER: '1' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
  let statsWaiter: ((s: FloorStats) => void) | undefined;
  const stop = async () => {
    if (child.exitCode === null && child.connected) child.send({ type: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.on('message', (m: FromWorker) => {
        if (m.type === 'started') child.send({ type: 'plan', plan } satisfies ToWorker);
        else if (m.type === 'ready') resolve();
        else if (m.type === 'stats') statsWaiter?.(m);
        else if (m.type === 'failed') reject(new Error(`floor worker: ${m.message}`));
      });
      child.once('exit', (code) => reject(new Error(`floor worker exited with ${code}`)));
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    pid: child.pid!,
    stats: () => new Promise<FloorStats>((resolve, reject) => {
      if (!child.connected) return reject(new Error(`floor worker exited with ${child.exitCode}`));
      statsWaiter = resolve;
      child.send({ type: 'stats' } satisfies ToWorker, (e) => e && reject(e));
    }),
    stop,
  };
}

/** The asking side: a JetStream publish with Nats-Msg-Id, then the reply on one core subscription. */
export class FloorClient {
  private readonly prefix = createInbox();
  private readonly sub: Subscription;
  private readonly js: JetStreamClient;
  private readonly waiting = new Map<string, (data: Uint8Array) => void>();
  private next = 1;

  /** Asks for the floor split over `workers` worker processes. */
  constructor(nc: NatsConnection, private readonly workers: number) {
    this.js = jetstream(nc);
    this.sub = nc.subscribe(`${this.prefix}.*`, {
      callback: (err, msg) => {
        if (err) return;
        const token = msg.subject.slice(this.prefix.length + 1);
        const w = this.waiting.get(token);
        if (w) {
          this.waiting.delete(token);
          w(msg.data);
        }
      },
    });
  }

  async ask(id: string, body: unknown, timeoutMs = 10_000): Promise<unknown> {
    const token = String(this.next++);
    const h = headers();
    h.set(REPLY_HEADER, `${this.prefix}.${token}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answered = new Promise<Uint8Array>((resolve, reject) => {
      this.waiting.set(token, resolve);
      timer = setTimeout(() => reject(new Error(`floor ask ${id} timed out`)), timeoutMs);
    });
    try {
      await this.js.publish(`${shardSubject(this.workers, shardOf(id, this.workers))}.${id}`, JSON.stringify(body), { msgID: randomUUID(), headers: h });
      return JSON.parse(new TextDecoder().decode(await answered));
    } finally {
      this.waiting.delete(token);
      clearTimeout(timer);
    }
  }

  close(): void {
    this.sub.unsubscribe();
  }
}
