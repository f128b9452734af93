// What an actor kind declares: a pure xstate v5 machine plus the little the runtime needs to run
// it (message schema, machine version, snapshot migration, domain writers).
import type { AnyStateMachine, EventObject } from 'xstate';
import type { TSchema } from '@sinclair/typebox';
import type { ErrorCode, ErrorReason } from '../../protocol/mod.ts';
import type { Db } from '../../schema/mod.ts';

/** Added by the runtime to every event a machine sees. Time comes from the message, never a clock. */
export interface EventMeta {
  /** When the message was accepted by the mailbox (ms since the epoch). */
  at: number;
  /** Idempotency key of the message. */
  key: string;
  /** The sending actor (`kind.id`), when an actor sent it. */
  from?: string;
  /** Whether the sender waits for a reply (ask). */
  asked: boolean;
}

/** A timer event: a deadline in the machine's context (`context.deadlines[name]`) came due. */
export interface TimerEvent {
  type: 'timer';
  name: string;
  meta: EventMeta;
}

/**
 * Effects a machine emits (xstate `emit`). The runtime applies them: domain writes inside the
 * message's transaction, everything else after it commits.
 */
export type Effect =
  | { type: 'reply'; body: Record<string, unknown> }
  | { type: 'fail'; code: ErrorCode; message: string; reason?: ErrorReason }
  | { type: 'publish'; subject: string; body: unknown }
  | { type: 'send'; kind: string; id: string; body: { type: string; [k: string]: unknown }; key?: string }
  | { type: 'write'; op: string; data: unknown };

export const effects = {
  reply: (body: Record<string, unknown> = {}): Effect => ({ type: 'reply', body }),
  fail: (code: ErrorCode, message: string, reason?: ErrorReason): Effect => (reason ? { type: 'fail', code, message, reason } : { type: 'fail', code, message }),
  publish: (subject: string, body: unknown): Effect => ({ type: 'publish', subject, body }),
  send: (kind: string, id: string, body: { type: string; [k: string]: unknown }, key?: string): Effect => ({ type: 'send', kind, id, body, key }),
  write: (op: string, data: unknown): Effect => ({ type: 'write', op, data }),
};

/** A persisted machine state: what `machine.resolveState` restores. */
export interface PersistedMachine {
  value: unknown;
  context: Record<string, unknown>;
}

/**
 * Turns one `write` effect into statements committed with the message: drizzle queries built on
 * `db` and returned unexecuted (the runtime pipelines them with its own in one transaction).
 * Or, for writes many messages make (a room's entries), an object whose `batch` turns a run of
 * consecutive writes of its op (in order, across the actors of a commit) into a few statements.
 */
export type DomainWriter = ((data: unknown, actor: { kind: string; id: string }, db: Db) => unknown[]) | BatchWriter;

export interface BatchWriter {
  batch(writes: { data: unknown; actor: { kind: string; id: string } }[], db: Db): unknown[];
  /**
   * The same writes as data-modifying clauses the runtime runs inside its commit statement (as
   * CTEs), so a commit whose writes all fold that way is one statement and one round trip, not a
   * transaction of three. Each clause is an INSERT, UPDATE or DELETE whose parameters come from
   * `param` (it returns the placeholder); the clauses see the database as it was before the commit,
   * not each other's effects or the commit's own. Null when this run cannot (then `batch` is used).
   */
  clauses?(writes: { data: unknown; actor: { kind: string; id: string } }[], param: (value: unknown) => string): string[] | null;
}

export interface ActorKind<M extends AnyStateMachine = AnyStateMachine> {
  kind: string;
  machine: M;
  /** Recorded with every snapshot; raise it when the context shape changes. */
  version: number;
  /** Brings a snapshot written by an older machine version up to `version`. */
  migrate?(state: PersistedMachine, fromVersion: number): PersistedMachine;
  /** Schema of mailbox messages (a union of objects with a literal `type`), checked on receipt. */
  messages: TSchema;
  /** Machine input for an actor's first activation. */
  input?(id: string): unknown;
  /** Domain writers, by the `op` of `write` effects. */
  writers?: Record<string, DomainWriter>;
  /**
   * Facts an event needs from the record that its sender may not be trusted to supply, by event
   * type: a read query (built on `db`, returned unexecuted) over rows this actor itself wrote.
   * The runtime runs it on the lease holder after every earlier message to the actor has committed
   * (a batch is cut before such a message), so it sees the actor's own writes and nobody else can
   * have changed them under the fence; the machine gets the rows as `event.loaded`. Replay runs it
   * against the replayed rows, so a replay stays deterministic.
   */
  loads?: Record<string, DomainLoader>;
  /**
   * Message types that may also be asked as queries (`ActorClient.query`): answered by the
   * partition's lease holder from the committed state in its memory over core request/reply,
   * without the mailbox, a transaction or any trace. The machine steps as for a message and its
   * reply is sent; whatever the step would change is forgotten, so declare only types whose
   * answer is all that matters. What a query sees is in DESIGN.md ("Queries").
   */
  queries?: readonly string[];
  /**
   * Top-level context fields stored apart from the rest of the snapshot and written only when one
   * of them changed (by reference: a step that does not assign them keeps their objects): large,
   * rarely changing parts, such as a room's members, that every message would otherwise rewrite.
   */
  apart?: readonly string[];
}

/** Builds the read query of a `loads` entry for one event. */
export type DomainLoader = (event: { type: string; [k: string]: unknown }, actor: { kind: string; id: string }, db: Db) => unknown;

/** Rows a `loads` query returned, as the machine sees them. */
export type LoadedRows = Record<string, unknown>[];

export function defineKind<M extends AnyStateMachine>(k: ActorKind<M>): ActorKind<M> {
  return k;
}

export type ActorEvent<E extends EventObject> = E & { meta: EventMeta };
