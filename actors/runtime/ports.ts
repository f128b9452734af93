// The runtime's view of the world. Production implements these on NATS and Postgres
// (nats-ports.ts, pg-store.ts); simulation implements them in memory under a seeded scheduler
// (sim/). The runtime itself touches nothing else: no clock, network or disk of its own.
import type { PersistedMachine } from './kind.ts';

export interface Timer {
  cancel(): void;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  setTimer(ms: number, fn: () => void): Timer;
}

/** One mailbox message as a partition feed hands it out. */
export interface MailboxMessage {
  subject: string;
  /** Stream sequence (global across partitions, increasing within one). */
  seq: number;
  /** Idempotency key (Nats-Msg-Id). */
  key: string;
  /** When the stream accepted it (ms). */
  time: number;
  /** Where to send the reply of an ask. */
  replyTo?: string;
  /** Sending actor, `kind.id`. */
  from?: string;
  data: Uint8Array;
  /**
   * Called once the message's batch has committed (or it was skipped as already applied). The
   * runtime does not depend on it: Postgres holds each partition's applied sequence, and the NATS
   * feed consumes without acks (AckNone); a feed that redelivers unacked messages may use it.
   */
  ack(): void;
}

export interface PublishOptions {
  /** The idempotency key the runtime dedupes by (its inbox). */
  key: string;
  /**
   * JetStream's deduplication id (Nats-Msg-Id), when it must differ from `key`: an ask that found
   * its key refused republishes under a fresh id so the actor judges it afresh inside the
   * duplicate window.
   */
  msgId?: string;
  replyTo?: string;
  from?: string;
}

/**
 * Consumption of one partition's mailboxes, in stream order, from the start sequence on, with no
 * gap (a message may come twice: the worker skips what it has seen).
 */
export interface PartitionFeed {
  /** Waits for at least one message (or stop) and returns what is available, at most `max`. */
  next(max: number): Promise<MailboxMessage[]>;
  stop(): Promise<void>;
}

export interface Mailboxes {
  publish(subject: string, data: Uint8Array, opts: PublishOptions): Promise<{ seq: number; duplicate: boolean }>;
  /** (Re)creates the partition's durable consumer for this epoch at `startSeq`, removing earlier holders' consumers. */
  open(partition: number, startSeq: number, epoch: number): Promise<PartitionFeed>;
}

/** Core (fire-and-forget) publishing: events and replies; and serving requests (queries). */
export interface Bus {
  publish(subject: string, data: Uint8Array): void;
  /** Answers requests on `subject` (a wildcard) until stopped; absent where nothing is served (simulation). */
  serve?(subject: string, handler: (request: { subject: string; data: Uint8Array; respond(data: Uint8Array): void }) => void): { stop(): void };
}

/** Partition leases: KV with compare-and-set; the revision is the fencing epoch. */
export interface Leases {
  /** Creates the key if absent; returns its revision, or null when it exists. */
  create(key: string, value: string): Promise<number | null>;
  /** Updates the key if its revision is still `revision`; returns the new revision or null. */
  update(key: string, value: string, revision: number): Promise<number | null>;
  /** Deletes the key if its revision is still `revision`. */
  release(key: string, revision: number): Promise<void>;
  /** All current holders (for operators). */
  list(): Promise<{ key: string; value: string; revision: number }[]>;
}

/** Live hosts, for placement. */
export interface HostDirectory {
  announce(info: Record<string, unknown>): Promise<void>;
  withdraw(): Promise<void>;
  /** Ids of hosts that announced recently, sorted. */
  liveHosts(): string[];
}

export interface StoredActor {
  version: number;
  epoch: number;
  machineVersion: number;
  state: PersistedMachine;
  deadline: number | null;
}

export interface OutboxEntry {
  id: number;
  subject: string;
  key: string;
  body: unknown;
  origin: string;
}

export interface SaveActor {
  kind: string;
  id: string;
  /** The version this batch started from (0: a new actor). */
  baseVersion: number;
  version: number;
  machineVersion: number;
  /** The whole state (a store that keeps fields apart splits them off). */
  state: PersistedMachine;
  deadline: number | null;
  /** Context fields kept apart (ActorKind.apart), and whether any of them changed since `baseVersion`. */
  apart?: { keys: readonly string[]; changed: boolean };
}

export interface InboxEntry {
  key: string;
  kind: string;
  id: string;
  seq: number;
  reply: unknown;
  /** False for a refusal: answered, but a later message with the key is judged afresh. */
  final: boolean;
}

/** What the inbox knows of a key: its stored reply, whether it is final, and the judged message. */
export interface KeyResult {
  reply: unknown;
  final: boolean;
  seq: number;
}

/** A domain write of a batch: the kind's writer, the effect's op and data, and the actor. */
export interface PlannedWrite {
  writer: DomainWriterFn | {
    batch(writes: { data: unknown; actor: { kind: string; id: string } }[], db: unknown): unknown[];
    clauses?(writes: { data: unknown; actor: { kind: string; id: string } }[], param: (value: unknown) => string): string[] | null;
  };
  op: string;
  data: unknown;
  actor: { kind: string; id: string };
}

/** Turns a write effect into statements (drizzle queries, not executed), given a query builder. */
export type DomainWriterFn = (data: unknown, actor: { kind: string; id: string }, db: unknown) => unknown[];

/** Everything one partition's batch writes, committed atomically. */
export interface CommitPlan {
  saves: SaveActor[];
  inbox: InboxEntry[];
  outbox: Omit<OutboxEntry, 'id'>[];
  writes: PlannedWrite[];
  /** What the batch applied (recorded by simulation at the instant of commit). */
  audit?: unknown;
}

/** One partition's batch in a commit: its fence (partition, epoch), what it applied up to, and its writes. */
export interface CommitPart {
  partition: number;
  epoch: number;
  /** The stream sequence of the batch's last message. */
  appliedSeq: number;
  plan: CommitPlan;
  /** Mailbox messages the batch covers (metrics). */
  messages?: number;
}

export class FencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FencedError';
  }
}

/** A publish that no retry can cure (closed connection, oversized payload, permissions, bad subject). */
export class PublishRefused extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishRefused';
  }
}

export class VersionConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VersionConflict';
  }
}

export interface Store {
  /**
   * Records `epoch` as the partition's fence unless a higher one is there (then FencedError).
   * Returns the last applied stream sequence.
   */
  fence(partition: number, epoch: number, holder: string): Promise<{ appliedSeq: number }>;
  load(kind: string, id: string): Promise<StoredActor | null>;
  /** Actors of the partition with a deadline (to re-arm timers on claim). */
  deadlines(partition: number): Promise<{ kind: string; id: string; deadline: number }[]>;
  outbox(partition: number): Promise<OutboxEntry[]>;
  deleteOutbox(ids: number[]): Promise<void>;
  /** The reply stored for a judged key (`undefined` when not judged, yet). */
  result(key: string): Promise<KeyResult | undefined>;
  /** What a batch needs before running machines: judged keys (with replies) and actors not in memory. */
  read(keys: string[], actors: { kind: string; id: string }[]): Promise<{ seen: Map<string, KeyResult>; actors: Map<string, StoredActor> }>;
  /**
   * Builds read-only domain queries on the store's query builder (what a kind's `loads` entries
   * build) and returns each one's rows. Only rows the actor itself writes are read this way.
   */
  lookup(builders: ((db: unknown) => unknown)[]): Promise<Record<string, unknown>[][]>;
  /**
   * Commits the batches of several partitions in one transaction, only while each part's epoch is
   * still its partition's fence and every save still finds its base version; records each part's
   * `appliedSeq`. Returns each part's outbox entries with ids. All or nothing: throws FencedError
   * when any part is fenced out, VersionConflict when a snapshot or an applied key moved.
   */
  commit(parts: CommitPart[]): Promise<OutboxEntry[][]>;
  /** Deletes inbox entries older than `ms`. */
  pruneInbox(olderThanMs: number): Promise<number>;
}
