// The runtime's store on Postgres (or PGlite): the partition fence, snapshots, the idempotency
// inbox and the outbox. A commit carries the batches of many partitions (the host's committer
// gathers them) in one pipelined transaction whose first statement locks and checks every fence
// and whose checks raise errors, so a fenced or stale part aborts the whole (the committer then
// commits each part on its own, and only the failing part fails).
import { toStatement, type Database, type Statement } from '../../schema/mod.ts';
import { FencedError, VersionConflict, type CommitPart, type PlannedWrite, type SaveActor, type KeyResult, type OutboxEntry, type Store, type StoredActor } from './ports.ts';
import type { PersistedMachine } from './kind.ts';

const st = (sql: string, ...params: unknown[]): Statement => ({ sql, params });

/** SQLSTATEs the commit statement raises (schema/migrations/0008_actor_commit_errors.sql). */
const FENCED = 'TR001';
const STALE_SNAPSHOT = 'TR002';
const KEY_APPLIED = 'TR003';
const json = (v: unknown) => JSON.stringify(v);

/**
 * The fence checks, snapshots, judged keys and applied sequences of every partition in a commit
 * as ONE statement: the first CTE locks each part's fence row (a new holder's fence waits for us,
 * or we see its epoch and write nothing); the final SELECT raises (troupe_fail, migration 0007)
 * when a fence or a base version did not hold, or a key was finally applied meanwhile (a refused
 * key's row is overwritten by its fresh judgement), which aborts every write of the statement.
 * Without outbox entries, and with no domain writes or only ones folded into it as CTEs
 * (foldWrites), it runs on its own (autocommit): one round trip.
 */
const commitSql = (writes: readonly string[]) => `with t as (
    select * from jsonb_to_recordset($1::jsonb) as t(p int, epoch bigint, seq bigint)
  ), f as (
    select a.p from actor_partitions a join t on a.p = t.p and a.epoch = t.epoch for update of a
  ), x as (
    select * from jsonb_to_recordset($2::jsonb) as x(p int, kind text, id text, base bigint, version bigint, mv int, state jsonb, apart jsonb, keys jsonb, deadline bigint)
  ), created as (
    insert into actor_state as a (kind, id, p, version, epoch, machine_version, state, apart, deadline, updated_at)
    select x.kind, x.id, x.p, x.version, t.epoch, x.mv, x.state, x.apart, x.deadline, now() from x join t on t.p = x.p
    where x.base = 0 and x.p in (select p from f)
    on conflict (kind, id) do nothing
    returning 1
  ), updated as (
    -- fields kept apart are written only when they changed; a row written before its kind kept
    -- them apart has them in its state: they move to the column now
    update actor_state a set version = x.version, epoch = t.epoch, machine_version = x.mv, state = x.state, deadline = x.deadline, updated_at = now(),
      apart = case
        when x.keys is null then null
        when x.apart is not null then x.apart
        when a.apart is not null then a.apart
        else (select jsonb_object_agg(k, a.state->'context'->k) from jsonb_array_elements_text(x.keys) as k where (a.state->'context') ? k)
      end
    from x join t on t.p = x.p
    where a.kind = x.kind and a.id = x.id and x.base > 0 and a.version = x.base and a.epoch <= t.epoch and x.p in (select p from f)
    returning 1
  ), remembered as (
    insert into actor_inbox as i (key, kind, id, seq, epoch, reply, final)
    select y.key, y.kind, y.id, y.seq, t.epoch, y.reply, y.final
    from jsonb_to_recordset($3::jsonb) as y(p int, key text, kind text, id text, seq bigint, reply jsonb, final boolean) join t on t.p = y.p
    where y.p in (select p from f)
    on conflict (key) do update set seq = excluded.seq, epoch = excluded.epoch, reply = excluded.reply, final = excluded.final, at = now()
    where not i.final
    returning 1
  ), applied as (
    update actor_partitions a set applied_seq = greatest(a.applied_seq, t.seq), updated_at = now()
    from t where a.p = t.p and a.epoch = t.epoch and a.p in (select p from f)
    returning 1
  )${writes.map((w, i) => `, w${i} as (
    ${w}
  )`).join('')}
  select case
    when (select count(*) from f) <> $4 then troupe_fail('${FENCED}', 'fenced: ' || (select count(*) from f) || ' of ' || $4 || ' partitions hold')
    when (select count(*) from created) + (select count(*) from updated) <> $5 then troupe_fail('${STALE_SNAPSHOT}', 'version conflict: ' || (select count(*) from created) + (select count(*) from updated) || ' of ' || $5 || ' snapshots saved')
    when (select count(*) from remembered) <> $6 then troupe_fail('${KEY_APPLIED}', 'version conflict: ' || (select count(*) from remembered) || ' of ' || $6 || ' keys judged')
    else (select count(*) from remembered) + (select count(*) from applied)
  end as ok`;
const COMMIT = commitSql([]);
const commits = new Map<string, string>();

/**
 * The writes of a commit as clauses of its statement (BatchWriter.clauses), or null when one of
 * them cannot be (then they are statements in a transaction). Folded, the writes run as CTEs of
 * the commit statement: data-modifying CTEs always run to completion, and a check that fails
 * aborts them with everything else.
 */
function foldWrites(writes: PlannedWrite[], param: (v: unknown) => string): string[] | null {
  const clauses: string[] = [];
  for (let i = 0; i < writes.length;) {
    const { writer } = writes[i];
    if (typeof writer === 'function' || !writer.clauses) return null;
    let j = i;
    while (j < writes.length && writes[j].writer === writer) j++;
    const c = writer.clauses(writes.slice(i, j).map((w) => ({ data: w.data, actor: w.actor })), param);
    if (!c) return null;
    clauses.push(...c);
    i = j;
  }
  return clauses;
}

const ENQUEUE = `insert into actor_outbox (p, subject, key, body, origin)
  select p, subject, key, body, origin
  from rows from (jsonb_to_recordset($1::jsonb) as (p int, subject text, key text, body jsonb, origin text)) with ordinality as x(p, subject, key, body, origin, n)
  order by n
  returning id, key`;

function stored(r: Record<string, unknown>): StoredActor {
  const state = parseJson(r.state) as PersistedMachine;
  const apart = parseJson(r.apart) as Record<string, unknown> | null | undefined;
  return {
    version: Number(r.version), epoch: Number(r.epoch), machineVersion: Number(r.machine_version),
    state: apart ? { ...state, context: { ...state.context, ...apart } } : state,
    deadline: r.deadline === null || r.deadline === undefined ? null : Number(r.deadline),
  };
}

/**
 * A save's state as stored: the fields its kind keeps apart are split off (into `apart`, sent only
 * when one changed; `keys` tells the statement which they are).
 */
function split(a: SaveActor): { state: PersistedMachine; apart: Record<string, unknown> | null; keys: readonly string[] | null } {
  if (!a.apart) return { state: a.state, apart: null, keys: null };
  const context: Record<string, unknown> = {};
  const apart: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a.state.context ?? {})) (a.apart.keys.includes(k) ? apart : context)[k] = v;
  return { state: { ...a.state, context }, apart: a.apart.changed ? apart : null, keys: a.apart.keys };
}

function parseJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

function keyResult(r: Record<string, unknown>): KeyResult {
  return { reply: parseJson(r.reply) ?? null, final: r.final !== false, seq: Number(r.seq) };
}

/** Maps the errors our checks raise (and a duplicate applied key) to the runtime's errors, by SQLSTATE. */
function translate(e: unknown): unknown {
  const err = e as { message?: string; code?: string; constraint_name?: string; constraint?: string };
  if (err.code === FENCED) return new FencedError(`the partition is fenced by a newer epoch (${err.message})`);
  if (err.code === STALE_SNAPSHOT) return new VersionConflict(`a snapshot moved under this batch (${err.message})`);
  if (err.code === KEY_APPLIED) return new VersionConflict(`a key of this batch was applied meanwhile (${err.message})`);
  if (err.code === '23505' && (err.constraint_name ?? err.constraint) === 'actor_inbox_pkey') return new VersionConflict('a key of this batch was applied meanwhile');
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
    const [rows] = await this.rows([st('select version, epoch, machine_version, state, apart, deadline from actor_state where kind = $1 and id = $2', kind, id)]);
    return rows[0] ? stored(rows[0]) : null;
  }

  async read(keys: string[], actors: { kind: string; id: string }[]): Promise<{ seen: Map<string, KeyResult>; actors: Map<string, StoredActor> }> {
    const statements = [st('select key, reply, final, seq from actor_inbox where key in (select jsonb_array_elements_text($1::jsonb))', json(keys))];
    if (actors.length) {
      statements.push(st(`select kind, id, version, epoch, machine_version, state, apart, deadline from actor_state
        where (kind, id) in (select x->>0, x->>1 from jsonb_array_elements($1::jsonb) x)`, json(actors.map((a) => [a.kind, a.id]))));
    }
    const [seenRows, actorRows = []] = await this.rows(statements);
    const seen = new Map<string, KeyResult>();
    for (const r of seenRows) seen.set(String(r.key), keyResult(r));
    const out = new Map<string, StoredActor>();
    for (const r of actorRows) out.set(`${r.kind}.${r.id}`, stored(r));
    return { seen, actors: out };
  }

  async commit(parts: CommitPart[]): Promise<OutboxEntry[][]> {
    const fences: unknown[] = [];
    const saves: unknown[] = [];
    const inbox: unknown[] = [];
    const outbox: unknown[] = [];
    const statements: Statement[] = [];
    for (const { partition: p, epoch, appliedSeq, plan } of parts) {
      fences.push({ p, epoch, seq: appliedSeq });
      for (const a of plan.saves) saves.push({ p, kind: a.kind, id: a.id, base: a.baseVersion, version: a.version, mv: a.machineVersion, ...split(a), deadline: a.deadline });
      for (const e of plan.inbox) inbox.push({ p, key: e.key, kind: e.kind, id: e.id, seq: e.seq, reply: e.reply ?? null, final: e.final });
      for (const e of plan.outbox) outbox.push({ p, ...e });
    }
    const params: unknown[] = [json(fences), json(saves), json(inbox), parts.length, saves.length, inbox.length];
    const writes = parts.flatMap(({ plan }) => plan.writes);
    // writes that fold into the commit statement make it the commit's only statement: one round
    // trip (autocommit) instead of BEGIN, the statements, COMMIT
    const folded = writes.length && !outbox.length ? foldWrites(writes, (v) => `$${params.push(v)}`) : null;
    if (folded) {
      const key = folded.join('\n');
      let text = commits.get(key);
      if (!text) {
        text = commitSql(folded);
        // a handful of shapes (one per combination of writers); bounded all the same
        if (commits.size < 64) commits.set(key, text);
      }
      statements.push({ sql: text, params });
    } else {
      statements.push({ sql: COMMIT, params: params.slice(0, 6) });
    }
    const outboxAt = outbox.length ? statements.push(st(ENQUEUE, json(outbox))) - 1 : -1;
    // domain writes in order; a run of writes to the same batch writer becomes one call
    for (let i = folded ? writes.length : 0; i < writes.length;) {
      const { writer } = writes[i];
      if (typeof writer === 'function') {
        for (const q of writer(writes[i].data, writes[i].actor, this.database.db)) statements.push(toStatement(q as never));
        i++;
        continue;
      }
      let j = i;
      while (j < writes.length && writes[j].writer === writer) j++;
      for (const q of writer.batch(writes.slice(i, j).map((w) => ({ data: w.data, actor: w.actor })), this.database.db)) statements.push(toStatement(q as never));
      i = j;
    }
    let results: Record<string, unknown>[][];
    try {
      results = await this.rows(statements, statements.length > 1);
    } catch (e) {
      throw translate(e);
    }
    const ids = outboxAt < 0 ? new Map<string, number>() : new Map(results[outboxAt].map((r) => [String(r.key), Number(r.id)]));
    return parts.map(({ plan }) => plan.outbox.map((e) => ({ ...e, id: ids.get(e.key)! })));
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
