// The runtime's store on Postgres (or PGlite): the partition fence, snapshots, the idempotency
// inbox and the outbox. A batch costs two round trips: one read (applied keys and snapshots), and
// one pipelined transaction whose first statement locks and checks the fence and whose checks
// raise errors, so a fenced or stale batch aborts as a whole.
import { toStatement, type Database, type Statement } from '../../schema/mod.ts';
import { FencedError, VersionConflict, type CommitPlan, type KeyResult, type OutboxEntry, type Store, type StoredActor } from './ports.ts';
import type { PersistedMachine } from './kind.ts';

const st = (sql: string, ...params: unknown[]): Statement => ({ sql, params });
const json = (v: unknown) => JSON.stringify(v);

/**
 * A batch's fence check, snapshots, judged keys and applied sequence as ONE statement: the first
 * CTE locks the fence row (a new holder's fence waits for us, or we see its epoch and write
 * nothing); the final SELECT raises when the fence or a base version did not hold, or a key of the
 * batch was finally applied meanwhile (a refused key's row is overwritten by its fresh judgement),
 * which aborts every write of the statement. Without outbox entries or domain writes it runs on its own
 * (autocommit): one round trip per batch.
 */
const COMMIT = `with f as (
    select p from actor_partitions where p = $1 and epoch = $2 for update
  ), x as (
    select * from jsonb_to_recordset($3::jsonb) as x(kind text, id text, base bigint, version bigint, mv int, state jsonb, deadline bigint)
  ), saved as (
    insert into actor_state as a (kind, id, p, version, epoch, machine_version, state, deadline, updated_at)
    select kind, id, $1, version, $2, mv, state, deadline, now() from x where exists (select 1 from f)
    on conflict (kind, id) do update set version = excluded.version, epoch = excluded.epoch, machine_version = excluded.machine_version,
      state = excluded.state, deadline = excluded.deadline, updated_at = now()
    where a.version = (select base from x where x.kind = a.kind and x.id = a.id) and a.epoch <= excluded.epoch
    returning 1
  ), remembered as (
    insert into actor_inbox as i (key, kind, id, seq, epoch, reply, final)
    select key, kind, id, seq, $2, reply, final from jsonb_to_recordset($4::jsonb) as y(key text, kind text, id text, seq bigint, reply jsonb, final boolean)
    where exists (select 1 from f)
    on conflict (key) do update set seq = excluded.seq, epoch = excluded.epoch, reply = excluded.reply, final = excluded.final, at = now()
    where not i.final
    returning 1
  ), applied as (
    update actor_partitions set applied_seq = greatest(applied_seq, $5), updated_at = now()
    where p = $1 and epoch = $2 and exists (select 1 from f)
    returning 1
  )
  select case
    when (select count(*) from f) <> 1 then ('troupe:fenced:' || (select count(*) from f))::int
    when (select count(*) from saved) <> $6 then ('troupe:version_conflict:' || (select count(*) from saved))::int
    when (select count(*) from remembered) <> $7 then ('troupe:version_conflict:keys:' || (select count(*) from remembered))::int
    else (select count(*) from remembered) + (select count(*) from applied)
  end as ok`;

const ENQUEUE = `insert into actor_outbox (p, subject, key, body, origin)
  select $2, subject, key, body, origin
  from rows from (jsonb_to_recordset($1::jsonb) as (subject text, key text, body jsonb, origin text)) with ordinality as x(subject, key, body, origin, n)
  order by n
  returning id, key`;

function stored(r: Record<string, unknown>): StoredActor {
  return {
    version: Number(r.version), epoch: Number(r.epoch), machineVersion: Number(r.machine_version),
    state: (typeof r.state === 'string' ? JSON.parse(r.state) : r.state) as PersistedMachine,
    deadline: r.deadline === null || r.deadline === undefined ? null : Number(r.deadline),
  };
}

function parseJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

function keyResult(r: Record<string, unknown>): KeyResult {
  return { reply: parseJson(r.reply) ?? null, final: r.final !== false, seq: Number(r.seq) };
}

/** Maps the errors our checks raise (and a duplicate applied key) to the runtime's errors. */
function translate(e: unknown): unknown {
  const err = e as { message?: string; code?: string; constraint_name?: string; constraint?: string };
  const msg = String(err.message ?? '');
  if (msg.includes('troupe:fenced')) return new FencedError('the partition is fenced by a newer epoch');
  if (msg.includes('troupe:version_conflict')) return new VersionConflict('a snapshot moved under this batch');
  if (err.code === '23505' && /actor_inbox_pkey/.test(`${err.constraint_name ?? err.constraint ?? ''} ${msg}`)) return new VersionConflict('a key of this batch was applied meanwhile');
  return e;
}

export class PgStore implements Store {
  constructor(private readonly database: Database) {}

  private rows(statements: Statement[], transaction = false) {
    return this.database.run(statements, { transaction });
  }

  async fence(partition: number, epoch: number, holder: string): Promise<{ appliedSeq: number }> {
    const [rows] = await this.rows([st(`
      insert into actor_partitions (p, epoch, applied_seq, holder) values ($1, $2, 0, $3)
      on conflict (p) do update set epoch = excluded.epoch, holder = excluded.holder, updated_at = now()
        where actor_partitions.epoch <= excluded.epoch
      returning applied_seq`, partition, epoch, holder)]);
    if (rows.length === 0) throw new FencedError(`partition ${partition} is fenced by an epoch newer than ${epoch}`);
    return { appliedSeq: Number(rows[0].applied_seq) };
  }

  async load(kind: string, id: string): Promise<StoredActor | null> {
    const [rows] = await this.rows([st('select version, epoch, machine_version, state, deadline from actor_state where kind = $1 and id = $2', kind, id)]);
    return rows[0] ? stored(rows[0]) : null;
  }

  async read(keys: string[], actors: { kind: string; id: string }[]): Promise<{ seen: Map<string, KeyResult>; actors: Map<string, StoredActor> }> {
    const statements = [st('select key, reply, final, seq from actor_inbox where key in (select jsonb_array_elements_text($1::jsonb))', json(keys))];
    if (actors.length) {
      statements.push(st(`select kind, id, version, epoch, machine_version, state, deadline from actor_state
        where (kind, id) in (select x->>0, x->>1 from jsonb_array_elements($1::jsonb) x)`, json(actors.map((a) => [a.kind, a.id]))));
    }
    const [seenRows, actorRows = []] = await this.rows(statements);
    const seen = new Map<string, KeyResult>();
    for (const r of seenRows) seen.set(String(r.key), keyResult(r));
    const out = new Map<string, StoredActor>();
    for (const r of actorRows) out.set(`${r.kind}.${r.id}`, stored(r));
    return { seen, actors: out };
  }

  async commit(partition: number, epoch: number, appliedSeq: number, plan: CommitPlan): Promise<OutboxEntry[]> {
    const saves = plan.saves.map((a) => ({ kind: a.kind, id: a.id, base: a.baseVersion, version: a.version, mv: a.machineVersion, state: a.state, deadline: a.deadline }));
    const statements: Statement[] = [st(COMMIT, partition, epoch, json(saves), json(plan.inbox.map((e) => ({ ...e, reply: e.reply ?? null }))), appliedSeq, saves.length, plan.inbox.length)];
    const outboxAt = plan.outbox.length ? statements.push(st(ENQUEUE, json(plan.outbox), partition)) - 1 : -1;
    for (const w of plan.writes) for (const q of w.writer(w.data, w.actor, this.database.db)) statements.push(toStatement(q as never));
    let results: Record<string, unknown>[][];
    try {
      results = await this.rows(statements, statements.length > 1);
    } catch (e) {
      throw translate(e);
    }
    if (outboxAt < 0) return [];
    const ids = new Map(results[outboxAt].map((r) => [String(r.key), Number(r.id)]));
    return plan.outbox.map((e) => ({ ...e, id: ids.get(e.key)! }));
  }

  async deadlines(partition: number): Promise<{ kind: string; id: string; deadline: number }[]> {
    const [rows] = await this.rows([st('select kind, id, deadline from actor_state where p = $1 and deadline is not null', partition)]);
    return rows.map((r) => ({ kind: String(r.kind), id: String(r.id), deadline: Number(r.deadline) }));
  }

  async outbox(partition: number): Promise<OutboxEntry[]> {
    const [rows] = await this.rows([st('select id, subject, key, body, origin from actor_outbox where p = $1 order by id', partition)]);
    return rows.map((r) => ({ id: Number(r.id), subject: String(r.subject), key: String(r.key), body: parseJson(r.body), origin: String(r.origin) }));
  }

  async deleteOutbox(ids: number[]): Promise<void> {
    if (ids.length) await this.rows([st('delete from actor_outbox where id in (select jsonb_array_elements_text($1::jsonb)::bigint)', json(ids))]);
  }

  async result(key: string): Promise<KeyResult | undefined> {
    const [rows] = await this.rows([st('select reply, final, seq from actor_inbox where key = $1', key)]);
    return rows[0] ? keyResult(rows[0]) : undefined;
  }

  async lookup(builders: ((db: unknown) => unknown)[]): Promise<Record<string, unknown>[][]> {
    return this.rows(builders.map((build) => toStatement(build(this.database.db) as never)));
  }

  async partitionRows(): Promise<{ p: number; epoch: number; appliedSeq: number; holder: string; updatedAt: string }[]> {
    const [rows] = await this.rows([st('select p, epoch, applied_seq, holder, updated_at from actor_partitions order by p')]);
    return rows.map((r) => ({ p: Number(r.p), epoch: Number(r.epoch), appliedSeq: Number(r.applied_seq), holder: String(r.holder), updatedAt: new Date(r.updated_at as string).toISOString() }));
  }

  async pruneInbox(olderThanMs: number): Promise<number> {
    const [rows] = await this.rows([st('delete from actor_inbox where at < now() - ($1::bigint * interval \'1 millisecond\') returning 1', olderThanMs)]);
    return rows.length;
  }
}
