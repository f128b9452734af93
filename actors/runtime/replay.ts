// Replaying mailbox history: reading the ACTORS stream for a subject filter and a sequence or time
// range, and re-running it through the machines (the real PartitionWorker) into a scratch database,
// to audit that the result equals the stored state.
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import { streams } from '../../protocol/mod.ts';
import type { Database } from '../../schema/mod.ts';
import { parseActorSubject } from '../../protocol/mod.ts';
import { PartitionWorker, type RuntimeObserver } from './worker.ts';
import { PgStore } from './pg-store.ts';
import { realClock, messageKey, HEADER_FROM, HEADER_REPLY } from './nats-ports.ts';
import type { ActorKind } from './kind.ts';
import type { MailboxMessage, Mailboxes, PartitionFeed, StoredActor } from './ports.ts';

export interface HistoryMessage {
  seq: number;
  subject: string;
  key: string;
  time: number;
  replyTo?: string;
  from?: string;
  data: Uint8Array;
}

export interface HistoryRange {
  filter: string;
  fromSeq?: number;
  toSeq?: number;
  since?: Date;
  until?: Date;
}

/** Stream bounds, to tell whether history is complete (retention may have dropped the start). */
export async function streamBounds(nc: NatsConnection): Promise<{ firstSeq: number; lastSeq: number; messages: number }> {
  const info = await (await jetstreamManager(nc)).streams.info(streams.actors);
  return { firstSeq: info.state.first_seq, lastSeq: info.state.last_seq, messages: info.state.messages };
}

/** Reads matching history in stream order, up to the stream's end at the time of the call. */
export async function* readHistory(nc: NatsConnection, range: HistoryRange, onProgress?: (seq: number, last: number) => void): AsyncGenerator<HistoryMessage> {
  const { lastSeq } = await streamBounds(nc);
  const end = Math.min(range.toSeq ?? Infinity, lastSeq);
  if (end < (range.fromSeq ?? 1)) return;
  const js = jetstream(nc);
  const consumer = await js.consumers.get(streams.actors, {
    filter_subjects: range.filter,
    ...(range.fromSeq ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: range.fromSeq } : range.since ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: range.since.toISOString() } : { deliver_policy: DeliverPolicy.All }),
  });
  // an ordered consumer never tells "no more": look at what is pending to know when we are done
  const info = await consumer.info();
  if (info.num_pending === 0) return;
  const messages = await consumer.consume();
  try {
    for await (const m of messages) {
      if (m.seq > end) break;
      const time = Math.floor(m.info.timestampNanos / 1e6);
      if (range.until && time > range.until.getTime()) break;
      onProgress?.(m.seq, end);
      yield { seq: m.seq, subject: m.subject, key: messageKey(m.headers, m.seq), time, replyTo: m.headers?.get(HEADER_REPLY) || undefined, from: m.headers?.get(HEADER_FROM) || undefined, data: m.data };
      if (m.seq >= end || m.info.pending === 0) break;
    }
  } finally {
    await messages.close().catch(() => {});
  }
}

/** A mailbox that serves recorded history and swallows everything the replay would publish. */
class ReplayMailboxes implements Mailboxes {
  drained = new Map<number, Promise<void>>();

  constructor(private readonly byPartition: Map<number, HistoryMessage[]>) {}

  async publish(): Promise<{ seq: number; duplicate: boolean }> {
    return { seq: 0, duplicate: true };
  }

  async open(partition: number, startSeq: number): Promise<PartitionFeed> {
    const queue = (this.byPartition.get(partition) ?? []).filter((m) => m.seq >= startSeq);
    let pending = queue.length;
    let stopped = false;
    let done!: () => void;
    this.drained.set(partition, new Promise<void>((r) => { done = r; if (pending === 0) r(); }));
    let wake: (() => void) | undefined;
    return {
      next: async (max) => {
        while (!queue.length && !stopped) await new Promise<void>((r) => (wake = r));
        return queue.splice(0, max).map((m): MailboxMessage => ({ ...m, ack: () => { if (--pending === 0) done(); } }));
      },
      stop: async () => {
        stopped = true;
        wake?.();
      },
    };
  }
}

/**
 * Re-runs history through the machines into `scratch` (a migrated, empty database); returns the
 * resulting actors. `observer.staged` sees every version each actor goes through.
 */
export async function replayInto(scratch: Database, history: HistoryMessage[], kinds: ActorKind[], partitions: number, observer?: RuntimeObserver): Promise<Map<string, StoredActor>> {
  const byPartition = new Map<number, HistoryMessage[]>();
  for (const m of history) {
    const a = parseActorSubject(m.subject);
    if (!a) continue;
    byPartition.set(a.partition, [...(byPartition.get(a.partition) ?? []), m]);
  }
  const store = new PgStore(scratch);
  const mailboxes = new ReplayMailboxes(byPartition);
  const kindMap = new Map(kinds.map((k) => [k.kind, k]));
  for (const p of [...byPartition.keys()].sort((a, b) => a - b)) {
    const worker = new PartitionWorker(
      { hostId: 'replay', partition: p, epoch: 1, partitions, maxBatch: 256, passivateAfterMs: 3600_000 },
      { kinds: kindMap, store, mailboxes, bus: { publish: () => {} }, clock: realClock, observer, leaseValid: () => true, onLost: (reason) => { throw new Error(`replay lost partition ${p}: ${reason}`); } },
    );
    await worker.start();
    await mailboxes.drained.get(p);
    await worker.stop();
  }
  const out = new Map<string, StoredActor>();
  const seen = new Set<string>();
  for (const m of history) {
    const a = parseActorSubject(m.subject);
    if (!a || seen.has(`${a.kind}.${a.id}`)) continue;
    seen.add(`${a.kind}.${a.id}`);
    const s = await store.load(a.kind, a.id);
    if (s) out.set(`${a.kind}.${a.id}`, s);
  }
  return out;
}
