// The runtime's ports on NATS: JetStream mailboxes (stream ACTORS, one pull consumer per partition
// and holder, without acks), core publishing, KV leases and the KV nodes host directory.
import { headers, ClosedConnectionError, DrainingConnectionError, InvalidArgumentError, InvalidSubjectError, PermissionViolationError, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy, JetStreamApiCodes, type JetStreamClient, type JetStreamManager, type JsMsg, type ConsumerMessages } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { streams, subjects } from '../../protocol/mod.ts';
import { NodeDirectory, NodeRegistration, isJetStreamError, logger } from '../../lib/mod.ts';
import { PublishRefused, type Bus, type Clock, type HostDirectory, type Leases, type MailboxMessage, type Mailboxes, type PartitionFeed, type PublishOptions, type Timer } from './ports.ts';

const nanos = (ms: number) => ms * 1_000_000;
const feedLog = logger('actor-feed');

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  setTimer(ms, fn): Timer {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

export const HEADER_REPLY = 'Troupe-Reply';
export const HEADER_FROM = 'Troupe-From';
/** The idempotency key, when it differs from Nats-Msg-Id (a refused key asked again: PublishOptions.msgId). */
export const HEADER_KEY = 'Troupe-Key';

/** A stored message's idempotency key. */
export function messageKey(h: { get(name: string): string } | undefined, seq: number): string {
  return h?.get(HEADER_KEY) || h?.get('Nats-Msg-Id') || `seq:${seq}`;
}

/**
 * Consumer names carry the epoch, so a stale holder's pulls can never reach the new holder's
 * consumer, and the holder's count of openings: a re-opened pull gets a consumer of its own rather
 * than deleting and re-adding one name, because in a cluster the delete of a consumer whose leader
 * just died can go unanswered, and adding the same name then fails ("start sequence can not be
 * updated") until the old one is gone.
 */
export const consumerName = (p: number, epoch: number, opening: number) => `p${p}-e${epoch}-r${opening}`;

/** Idle heartbeats the server sends on a parked pull; a pull silent for three is presumed gone. */
const PULL_HEARTBEAT_MS = 2000;
const PULL_SILENCE_MS = 3 * PULL_HEARTBEAT_MS;
/**
 * How long one re-opening may take before the feed tries again (its requests time out sooner; this
 * bounds a pull that never starts). In a cluster that just lost a node, the meta group, then the
 * stream, then each new consumer wait out a Raft election (nats-server draws its timeout from
 * 4-9 s); a try sent before the meta leader is back goes unanswered, so tries repeat every few
 * seconds, under the same name while they start from the same sequence.
 */
const REOPEN_MS = 15_000;
/** Messages one pull asks for (the server sends them as they come; the pull is renewed on the way). */
const PULL_BATCH = 1024;

/**
 * A partition's messages from its consumer. The consumer does not take acks (AckNone): Postgres
 * holds what each partition applied, so nothing depends on ack floors and no ack travels per
 * message. Without acks the server never sends a message twice, so a message lost on the way (a
 * reconnect, a pull that died with its consumer leader) would be lost for good; the feed
 * therefore re-creates the consumer from the first stream sequence it has not received whenever
 * that may have happened: a gap in the consumer's delivery sequence, a reconnect, or a pull that
 * shows no message and no heartbeat for PULL_SILENCE_MS (it died with its consumer leader when a
 * cluster node went down, or is stuck behind nats.js's reconnect check for the 30 s pull expiry).
 */
class NatsFeed implements PartitionFeed {
  private queue: JsMsg[] = [];
  private waiter?: () => void;
  private stopped = false;
  private failure?: Error;
  private current?: ConsumerMessages;
  private lastSign = Date.now();
  private restarting = false;
  /** The last stream sequence received, and the consumer delivery sequence expected next. */
  private lastSeq: number;
  private nextDelivery = 1;
  private readonly watchdog: NodeJS.Timeout;
  private readonly unwatch: () => void;

  constructor(private readonly open: (startSeq: number) => Promise<ConsumerMessages>, first: ConsumerMessages, startSeq: number, private readonly partition: number, onReconnect: (fn: () => void) => () => void) {
    this.lastSeq = startSeq - 1;
    this.attach(first);
    this.watchdog = setInterval(() => this.check(), PULL_HEARTBEAT_MS);
    this.watchdog.unref();
    this.unwatch = onReconnect(() => this.restart('reconnected'));
  }

  private attach(messages: ConsumerMessages): void {
    this.current = messages;
    this.nextDelivery = 1;
    this.lastSign = Date.now();
    (async () => {
      for await (const msg of messages) {
        if (this.current !== messages) break;
        this.lastSign = Date.now();
        if (msg.info.deliverySequence !== this.nextDelivery) {
          // a delivery was lost on the way: everything from it on comes again from a new consumer
          this.restart(`delivery ${this.nextDelivery} missing (got ${msg.info.deliverySequence})`);
          break;
        }
        this.nextDelivery++;
        if (msg.seq <= this.lastSeq) continue;
        this.lastSeq = msg.seq;
        this.queue.push(msg);
        this.wake();
      }
    })().catch((e) => {
      if (this.current === messages) this.failure = e as Error;
    }).finally(() => {
      if (this.current === messages && !this.stopped && !this.restarting) this.failure ??= new Error('partition consumer ended');
      this.wake();
    });
    (async () => {
      for await (const s of messages.status()) {
        if (this.current !== messages) break;
        // signs of a live pull, all sent by the server
        if (s.type === 'heartbeat' || s.type === 'discard' || s.type === 'debug') this.lastSign = Date.now();
        if ((s.type === 'consumer_deleted' || s.type === 'consumer_not_found') && !this.restarting) {
          this.failure = new Error(`partition consumer is gone (${s.type}): another host took the partition`);
          this.wake();
        }
      }
    })().catch(() => {});
  }

  private check(): void {
    if (this.stopped || this.failure || this.restarting || Date.now() - this.lastSign < PULL_SILENCE_MS) return;
    this.restart(`pull silent for ${Date.now() - this.lastSign} ms`);
  }

  /** Drops the pull and re-creates the consumer from the first sequence not received. */
  private restart(why: string): void {
    if (this.stopped || this.failure || this.restarting) return;
    this.restarting = true;
    const old = this.current;
    this.current = undefined;
    old?.stop();
    feedLog.warn({ p: this.partition, from: this.lastSeq + 1, why }, 'partition pull restarted');
    const opening = this.open(this.lastSeq + 1);
    const attempt = Promise.race([opening, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), REOPEN_MS).unref())]);
    attempt.then((fresh) => {
      if (this.stopped) {
        fresh.stop();
        return;
      }
      this.attach(fresh);
    }, (e) => {
      feedLog.warn({ p: this.partition, err: (e as Error).message }, 'could not pull again; will retry');
      opening.then((late) => late.stop(), () => {}); // a pull that starts after we gave up on it
      // the next try at the watchdog's next look, not after a whole silence
      this.lastSign = Date.now() - PULL_SILENCE_MS;
    }).finally(() => {
      this.restarting = false;
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async next(max: number): Promise<MailboxMessage[]> {
    while (this.queue.length === 0 && !this.stopped && !this.failure) await new Promise<void>((r) => (this.waiter = r));
    if (this.failure && !this.stopped) throw this.failure;
    return this.queue.splice(0, max).map(toMailboxMessage);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watchdog);
    this.unwatch();
    this.wake();
    // close() waits for the outstanding pull to expire; nothing here needs to wait for that
    void this.current?.close().catch(() => {});
  }
}

const noAck = () => {};

function toMailboxMessage(m: JsMsg): MailboxMessage {
  return {
    subject: m.subject,
    seq: m.seq,
    key: messageKey(m.headers, m.seq),
    time: Math.floor(m.info.timestampNanos / 1_000_000),
    replyTo: m.headers?.get(HEADER_REPLY) || undefined,
    from: m.headers?.get(HEADER_FROM) || undefined,
    data: m.data,
    ack: noAck,
  };
}

export class NatsMailboxes implements Mailboxes {
  private readonly js: JetStreamClient;
  private jsm?: JetStreamManager;
  private readonly reconnectListeners = new Set<() => void>();
  private watching = false;

  constructor(private readonly nc: NatsConnection) {
    this.js = jetstream(nc);
  }

  async publish(subject: string, data: Uint8Array, o: PublishOptions): Promise<{ seq: number; duplicate: boolean }> {
    const h = headers();
    if (o.replyTo) h.set(HEADER_REPLY, o.replyTo);
    if (o.from) h.set(HEADER_FROM, o.from);
    if (o.msgId && o.msgId !== o.key) h.set(HEADER_KEY, o.key);
    try {
      const ack = await this.js.publish(subject, data, { msgID: o.msgId ?? o.key, headers: h });
      return { seq: ack.seq, duplicate: ack.duplicate };
    } catch (e) {
      // classified by type: these fail the same way however often they are retried
      const permanent = e instanceof ClosedConnectionError || e instanceof DrainingConnectionError || e instanceof InvalidArgumentError
        || e instanceof InvalidSubjectError || e instanceof PermissionViolationError;
      throw permanent ? new PublishRefused((e as Error).message, { cause: e }) : e;
    }
  }

  private async manager(): Promise<JetStreamManager> {
    this.jsm ??= await jetstreamManager(this.nc);
    return this.jsm;
  }

  /** Calls `fn` after every reconnect of the connection (feeds re-create their consumers). */
  private onReconnect(fn: () => void): () => void {
    this.reconnectListeners.add(fn);
    if (!this.watching) {
      this.watching = true;
      (async () => {
        for await (const s of this.nc.status()) if (s.type === 'reconnect') for (const l of [...this.reconnectListeners]) l();
      })().catch(() => {});
    }
    return () => this.reconnectListeners.delete(fn);
  }

  async open(partition: number, startSeq: number, epoch: number): Promise<PartitionFeed> {
    const jsm = await this.manager();
    const prefix = `p${partition}-e`;
    // one consumer per partition: remove every earlier holder's
    for await (const c of jsm.consumers.list(streams.actors)) {
      if (c.name.startsWith(prefix)) await jsm.consumers.delete(streams.actors, c.name).catch(() => {});
    }
    let opening = 0;
    let last: { name: string; seq: number; opened: boolean } | undefined;
    const openAt = async (seq: number): Promise<ConsumerMessages> => {
      if (!last || last.opened || last.seq !== seq) {
        // the pull this replaces is dropped already; its consumer goes without waiting for the
        // answer (an earlier holder's leftovers are removed by the next open, or expire)
        if (last) void jsm.consumers.delete(streams.actors, last.name).catch(() => {});
        last = { name: consumerName(partition, epoch, opening++), seq, opened: false };
      }
      // else an attempt from the same sequence went unanswered: the same name again, since adding
      // a consumer with the same configuration is idempotent and the first may be electing still
      const attempt = last;
      await jsm.consumers.add(streams.actors, {
        durable_name: attempt.name,
        filter_subject: subjects.actorPartition(partition),
        ack_policy: AckPolicy.None,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: Math.max(1, seq),
        // its state in memory: with no acks it only tracks what it delivered, which Postgres and
        // the feed know better (a durable file-backed consumer rewrites its state file per message)
        mem_storage: true,
        // a consumer nobody pulls for an hour is a leftover; the next holder recreates it anyway
        inactive_threshold: nanos(3600_000),
      });
      const consumer = await this.js.consumers.get(streams.actors, attempt.name);
      attempt.opened = true;
      return consumer.consume({ max_messages: PULL_BATCH, idle_heartbeat: PULL_HEARTBEAT_MS });
    };
    const start = Math.max(1, startSeq);
    return new NatsFeed(openAt, await openAt(start), start, partition, (fn) => this.onReconnect(fn));
  }
}

export class NatsBus implements Bus {
  constructor(private readonly nc: NatsConnection) {}

  publish(subject: string, data: Uint8Array): void {
    this.nc.publish(subject, data);
  }

  serve(subject: string, handler: Parameters<NonNullable<Bus['serve']>>[1]): { stop(): void } {
    const sub = this.nc.subscribe(subject, {
      callback: (err, msg) => {
        if (!err && msg.reply) handler({ subject: msg.subject, data: msg.data, respond: (data) => msg.respond(data) });
      },
    });
    return { stop: () => sub.unsubscribe() };
  }
}

/** A KV write refused because the key's revision is not the one given (someone else wrote it). */
function isConflict(e: unknown): boolean {
  return isJetStreamError(e, JetStreamApiCodes.StreamWrongLastSequence, JetStreamApiCodes.StreamWrongLastSequenceUnknown);
}

export class NatsLeases implements Leases {
  constructor(private readonly kv: KV) {}

  async create(key: string, value: string): Promise<number | null> {
    try {
      return await this.kv.create(key, value);
    } catch (e) {
      if (isConflict(e)) return null;
      throw e;
    }
  }

  async update(key: string, value: string, revision: number): Promise<number | null> {
    try {
      return await this.kv.update(key, value, revision);
    } catch (e) {
      if (isConflict(e)) return null;
      throw e;
    }
  }

  async release(key: string, revision: number): Promise<void> {
    try {
      await this.kv.delete(key, { previousSeq: revision });
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }

  async list(): Promise<{ key: string; value: string; revision: number }[]> {
    const out: { key: string; value: string; revision: number }[] = [];
    const keys: string[] = [];
    for await (const k of await this.kv.keys()) keys.push(k);
    for (const k of keys) {
      const e = await this.kv.get(k);
      if (e && e.operation === 'PUT') out.push({ key: k, value: e.string(), revision: e.revision });
    }
    return out;
  }
}

/** Hosts in KV nodes (`host.<id>`), live when announced within `liveMs`. */
export class NatsHostDirectory implements HostDirectory {
  private registration?: NodeRegistration;
  private info: Record<string, unknown> = { load: 0 };

  private constructor(private readonly kv: KV, private readonly hostId: string, private readonly dir: NodeDirectory) {}

  static async open(kv: KV, hostId: string, liveMs: number): Promise<NatsHostDirectory> {
    return new NatsHostDirectory(kv, hostId, await NodeDirectory.open(kv, liveMs));
  }

  async announce(info: Record<string, unknown>): Promise<void> {
    this.info = info;
    if (!this.registration) {
      this.registration = new NodeRegistration(this.kv, 'host', this.hostId, () => ({ load: 0, ...this.info }), 60_000);
      await this.registration.start();
    } else await this.registration.beat();
  }

  async withdraw(): Promise<void> {
    await this.registration?.stop();
    this.dir.stop();
  }

  liveHosts(): string[] {
    return this.dir.list('host').map((e) => e.id).sort();
  }

  /** Subscribe to directory changes (placement reacts at once instead of on the next tick). */
  onChange(fn: () => void): () => void {
    return this.dir.onChange(fn);
  }
}

export type { Subscription };
