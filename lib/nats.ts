// Connecting to NATS as one of the roles nats.conf defines, and creating the JetStream streams
// and KV buckets a role owns.
import os from 'node:os';
import { connect, AuthorizationError, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, JetStreamApiError, JetStreamApiCodes, type StreamConfig, RetentionPolicy, StorageType, DiscardPolicy } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
// nats.js's own request class (installed with @nats-io/transport-node, same version): see below
import { RequestOne } from '@nats-io/nats-core/internal';
import { localAddressOf, ConfigError, type ConfigOf } from './config.ts';
import { logger } from './log.ts';

export type { NatsConnection, KV };

/**
 * nats.js ends every answered request (every JetStream publish among them) with cancel(), which
 * rejects the already settled promise with a new RequestError: an Error with a stack trace per
 * request that nobody sees, the largest single item of a gateway's JavaScript time under load
 * (about 20 µs per ask). A request that was answered only stops its timer and leaves the mux;
 * any other cancel (a close, an abort) is nats.js's own.
 */
{
  const proto = RequestOne.prototype as unknown as { resolver(err: unknown, msg: unknown): void; cancel(err?: Error): void };
  const { resolver, cancel } = proto;
  proto.resolver = function (this: { answered?: boolean }, err, msg) {
    this.answered = true;
    resolver.call(this, err, msg);
  };
  proto.cancel = function (this: { answered?: boolean; timer?: { cancel(): void }; mux: { cancel(r: unknown): void } }, err) {
    if (err || !this.answered) return cancel.call(this, err);
    this.timer?.cancel();
    this.mux.cancel(this);
  };
}
/**
 * Makes a connection write what it has to send once per event-loop turn instead of after every
 * task. nats.js flushes at the end of each microtask checkpoint; a gateway reads its clients'
 * frames as one socket callback each, so every request went out in a write of its own. Written in
 * the check phase (setImmediate), the publishes of all the frames one turn read share one write:
 * `npm run bench -- chat`, direct messages, 3 runs each, alternating: nats-server read/write
 * syscalls 2.0 per message against 4.6, its CPU 99-126 µs against 144-186, gateway a 149-202 µs
 * against 176-230. Only for gateways: a host's replies already leave together (one commit's
 * worth), and there the later write cost asks 10-20 % of their rate in the same runs.
 */
function flushPerTurn(nc: NatsConnection): void {
  type Protocol = {
    outbound: { size(): number; fill(b: Uint8Array, ...p: Uint8Array[]): void };
    pendingLimit: number;
    flushPending(): void;
    sendCommand(cmd: string | Uint8Array, ...payloads: Uint8Array[]): void;
    close(err?: Error): Promise<void>;
  };
  const protocol = (nc as unknown as { protocol: Protocol }).protocol;
  const enc = new TextEncoder();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    protocol.flushPending();
  };
  protocol.sendCommand = (cmd, ...payloads) => {
    protocol.outbound.fill(typeof cmd === 'string' ? enc.encode(cmd) : cmd, ...payloads);
    if (protocol.outbound.size() >= protocol.pendingLimit) protocol.flushPending();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  // what was published just before a close still goes out
  const close = protocol.close.bind(protocol);
  protocol.close = (err) => {
    protocol.flushPending();
    return close(err);
  };
}

export type Role = 'gateway' | 'host' | 'storage' | 'ops';

type NatsConfig = ConfigOf<'nats'>;

export function natsServers(config: NatsConfig): string[] {
  if (config.natsUrl) return config.natsUrl.split(',').map((s) => s.trim()).filter(Boolean);
  return [`nats://${localAddressOf(config.natsBind)}:${config.natsPort}`];
}

export function rolePassword(config: NatsConfig, role: Role): string {
  switch (role) {
    case 'gateway': return config.natsGatewayPassword;
    case 'host': return config.natsHostPassword;
    case 'storage': return config.natsStoragePassword;
    case 'ops': return config.natsOpsPassword;
  }
}

/** A process id usable as a KV key token and a consumer name. */
export function defaultNodeId(): string {
  return `${os.hostname().replace(/[^A-Za-z0-9_-]/g, '-')}-${process.pid}`;
}

export async function connectAs(config: NatsConfig, role: Role, name: string, opts: { maxReconnectAttempts?: number } = {}): Promise<NatsConnection> {
  const log = logger('nats', { role });
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: natsServers(config),
      user: role,
      pass: rolePassword(config, role),
      name: `troupe-${role}-${name}`,
      maxReconnectAttempts: opts.maxReconnectAttempts ?? -1,
      reconnectTimeWait: 500,
      pingInterval: 10_000,
      // otherwise every request (every JetStream publish among them) builds two Error objects with
      // stack traces in advance, in case it times out: 10 % of a gateway's CPU under load
      noAsyncTraces: true,
    });
  } catch (e) {
    if (!(e instanceof AuthorizationError)) throw e;
    // most likely secrets generated on another machine (or rotated) than the server's
    throw new ConfigError(`NATS at ${natsServers(config).join(',')} refused user "${role}" (${e.message}): its password comes from TROUPE_NATS_${role.toUpperCase()}_PASSWORD, or when that is unset from <data-dir>/secrets.env, and must be the one the nats-server was started with (for a machine other than the one that generated them: troupe secrets env there)`);
  }
  (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') log.warn({ status: s.type, server: (s as { server?: string }).server }, 'nats status');
    }
  })().catch(() => {});
  if (role === 'gateway') flushPerTurn(nc);
  return nc;
}

/** Creates or updates a stream to the given configuration. */
export async function ensureStream(nc: NatsConnection, cfg: Partial<StreamConfig> & { name: string; subjects: string[] }): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const full: Partial<StreamConfig> & { name: string } = {
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    ...cfg,
  };
  try {
    const info = await jsm.streams.info(cfg.name);
    const c = info.config;
    const changed = (Object.keys(full) as (keyof StreamConfig)[]).some((k) => JSON.stringify(c[k]) !== JSON.stringify(full[k]));
    if (changed) await jsm.streams.update(cfg.name, { ...c, ...full } as StreamConfig);
  } catch (e) {
    if (!isJetStreamError(e, JetStreamApiCodes.StreamNotFound)) throw e;
    await jsm.streams.add(full);
  }
}

/** Whether `e` is a JetStream API error with one of these codes (`JetStreamApiCodes`). */
export function isJetStreamError(e: unknown, ...codes: number[]): boolean {
  return e instanceof JetStreamApiError && codes.includes(e.code);
}

/** Opens a KV bucket, creating it with the given options when it does not exist. */
export async function ensureKv(nc: NatsConnection, bucket: string, opts: { ttl?: number; history?: number; replicas?: number }): Promise<KV> {
  const kvm = new Kvm(nc);
  return kvm.create(bucket, { history: opts.history ?? 1, ttl: opts.ttl ?? 0, replicas: opts.replicas ?? 1 });
}

/** Opens an existing KV bucket, waiting (with a log line) until some other role has created it. */
export async function openKv(nc: NatsConnection, bucket: string, signal?: AbortSignal): Promise<KV> {
  const kvm = new Kvm(nc);
  let warned = false;
  for (;;) {
    try {
      const kv = await kvm.open(bucket);
      await kv.status(); // open() binds lazily; this fails while the bucket does not exist
      return kv;
    } catch (e) {
      if (signal?.aborted) throw e;
      if (!warned) logger('nats').warn({ bucket, err: (e as Error).message }, 'KV bucket not there yet; waiting for a host to create it');
      warned = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
