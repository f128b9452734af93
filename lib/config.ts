// The one place configuration is parsed. Every setting has a flag, an environment variable and a
// default; commands pick the groups they accept, so `--help` lists exactly what a command reads.
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PREPARED } from '../schema/prepared.ts';

/** The checkout: the nearest folder above this module with a package.json (from lib/ or from the CLI bundle in .build/cli/). */
export const projectRoot = ((): string => {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
  }
})();

type Kind = 'string' | 'int' | 'bool';

interface OptionSpec<K extends Kind = Kind> {
  kind: K;
  env?: string;
  default: K extends 'int' ? number : K extends 'bool' ? boolean : string;
  help: string;
  min?: number;
  max?: number;
  /** Named choices for a string option. */
  choices?: readonly string[];
  /** Never printed in full (passwords, tokens). */
  secret?: boolean;
  /**
   * A secret that, when neither its flag nor its variable sets it, is generated on first start
   * and kept in <data-dir>/secrets.env (lib/secrets.ts). Its default is '' (never a known value).
   */
  generated?: boolean;
}

const s = (def: string, help: string, extra: Partial<OptionSpec<'string'>> = {}): OptionSpec<'string'> => ({ kind: 'string', default: def, help, ...extra });
const i = (def: number, help: string, extra: Partial<OptionSpec<'int'>> = {}): OptionSpec<'int'> => ({ kind: 'int', default: def, help, min: 0, ...extra });
const b = (def: boolean, help: string, extra: Partial<OptionSpec<'bool'>> = {}): OptionSpec<'bool'> => ({ kind: 'bool', default: def, help, ...extra });

/** All settings, grouped. The flag is the kebab-case of the key. */
export const optionGroups = {
  common: {
    dataDir: s('data', 'directory for PGlite, nats-server and storage data (relative to the project)', { env: 'TROUPE_DATA_DIR' }),
    logLevel: s('info', 'log level', { env: 'TROUPE_LOG_LEVEL', choices: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] }),
    logFormat: s('auto', 'log format: readable lines on a terminal and JSON lines otherwise (auto), or always json, or always pretty', { env: 'TROUPE_LOG_FORMAT', choices: ['auto', 'json', 'pretty'] }),
    nodeId: s('', 'this process\'s id in the KV nodes registry (default: hostname-pid)', { env: 'TROUPE_NODE_ID' }),
  },
  nats: {
    natsUrl: s('', 'NATS server(s) to use, comma separated; unset: start our own nats-server from nats.conf', { env: 'NATS_URL' }),
    natsPort: i(4333, 'client port of the nats-server we start', { env: 'TROUPE_NATS_PORT', max: 65535 }),
    natsMonitorPort: i(0, 'HTTP monitoring port of the nats-server we start (0: off)', { env: 'TROUPE_NATS_MONITOR_PORT', max: 65535 }),
    natsBind: s('127.0.0.1', 'address the nats-server we start listens on for clients, monitoring and cluster routes (0.0.0.0: every interface, as a cluster across machines needs)', { env: 'TROUPE_NATS_BIND' }),
    natsGatewayPassword: s('', 'password of the NATS user "gateway"', { env: 'TROUPE_NATS_GATEWAY_PASSWORD', secret: true, generated: true }),
    natsHostPassword: s('', 'password of the NATS user "host"', { env: 'TROUPE_NATS_HOST_PASSWORD', secret: true, generated: true }),
    natsStoragePassword: s('', 'password of the NATS user "storage"', { env: 'TROUPE_NATS_STORAGE_PASSWORD', secret: true, generated: true }),
    natsOpsPassword: s('', 'password of the NATS user "ops"', { env: 'TROUPE_NATS_OPS_PASSWORD', secret: true, generated: true }),
    natsSysPassword: s('', 'password of the NATS system user "sys"', { env: 'TROUPE_NATS_SYS_PASSWORD', secret: true, generated: true }),
    natsRoutePassword: s('', 'password cluster nodes authenticate their routes with (user "route"; troupe nats --cluster)', { env: 'TROUPE_NATS_ROUTE_PASSWORD', secret: true, generated: true }),
    streamReplicas: i(1, 'replicas of the ACTORS and STORAGE streams and KV buckets (3 on a 3-node cluster)', { env: 'TROUPE_STREAM_REPLICAS', min: 1, max: 5 }),
  },
  db: {
    databaseUrl: s('', 'Postgres URL; unset: embedded PGlite under the data dir', { env: 'DATABASE_URL' }),
    dbPoolSize: i(10, 'Postgres connections per process', { env: 'TROUPE_DB_POOL', min: 1, max: 200 }),
    dbPrepared: i(DEFAULT_PREPARED, 'statement texts kept prepared per Postgres connection (later ones run unprepared; 0: none)', { env: 'TROUPE_DB_PREPARED', min: 0, max: 10000 }),
  },
  gateway: {
    bind: s('', 'address the gateway listens on (default: 127.0.0.1 when the public host is a loopback address, else 0.0.0.0)', { env: 'TROUPE_BIND' }),
    publicHost: s('127.0.0.1', 'host name clients use to reach this gateway (advertised by /api/gateways)', { env: 'TROUPE_PUBLIC_HOST' }),
    httpPort: i(8080, 'HTTP port: web client, /healthz, /metrics, /api, WebSocket at /ws', { env: 'TROUPE_HTTP_PORT', max: 65535 }),
    tcpPort: i(7070, 'TCP port for framed clients', { env: 'TROUPE_TCP_PORT', max: 65535 }),
    maxFrameBytes: i(64 * 1024, 'largest client frame accepted, bytes', { env: 'TROUPE_MAX_FRAME_BYTES', min: 256 }),
    discardLimitBytes: i(1024 * 1024, 'an oversized TCP frame up to this size is skipped and the connection kept; larger ones close it', { env: 'TROUPE_DISCARD_LIMIT_BYTES', min: 256 }),
    rateBurst: i(60, 'per-connection request burst (token bucket size)', { env: 'TROUPE_RATE_BURST', min: 1 }),
    ratePerSecond: i(30, 'per-connection sustained requests per second (token bucket refill)', { env: 'TROUPE_RATE_PER_SECOND', min: 1 }),
    maxInFlight: i(32, 'requests one connection may have unanswered at once', { env: 'TROUPE_MAX_IN_FLIGHT', min: 1 }),
    loginTimeoutMs: i(15_000, 'a connection must log in within this many ms', { env: 'TROUPE_LOGIN_TIMEOUT_MS', min: 100 }),
    idleTimeoutMs: i(120_000, 'a connection silent for this many ms is closed (clients send ping)', { env: 'TROUPE_IDLE_TIMEOUT_MS', min: 100 }),
    maxConnections: i(50_000, 'connections one gateway accepts', { env: 'TROUPE_MAX_CONNECTIONS', min: 1 }),
    maxBufferedBytes: i(4 * 1024 * 1024, 'a client that does not read and lets this much output pile up is disconnected', { env: 'TROUPE_MAX_BUFFERED_BYTES', min: 1024 }),
    requestTimeoutMs: i(10_000, 'how long the gateway waits for an actor or service to answer', { env: 'TROUPE_REQUEST_TIMEOUT_MS', min: 100 }),
    drainGraceMs: i(10_000, 'on SIGTERM, how long connected clients get to move to another gateway (they are told at once) before the rest are closed', { env: 'TROUPE_DRAIN_GRACE_MS', max: 600_000 }),
    adminToken: s('', 'bearer token for the admin HTTP API (/api/admin/...); unset: admin API off (beyond loopback it must be 16+ characters)', { env: 'TROUPE_ADMIN_TOKEN', secret: true }),
    wsOrigins: s('', 'pages of other origins allowed to open /ws (comma-separated origins, or *); the gateway\'s own pages and clients that send no Origin (not browsers) always may', { env: 'TROUPE_WS_ORIGINS' }),
  },
  host: {
    partitions: i(64, 'actor partitions P, fixed per deployment (recorded in KV config)', { env: 'TROUPE_PARTITIONS', min: 1, max: 4096 }),
    leaseTtlMs: i(10_000, 'partition lease TTL (the KV leases bucket max age)', { env: 'TROUPE_LEASE_TTL_MS', min: 1000 }),
    maxBatch: i(128, 'mailbox messages of one partition in one commit at most', { env: 'TROUPE_MAX_BATCH', min: 1, max: 4096 }),
    commitLingerMs: i(1, 'under steady load, how long a host\'s commit with few messages waits for more (ms; 0: never)', { env: 'TROUPE_COMMIT_LINGER_MS', max: 100 }),
    commitConcurrency: i(1, 'commit transactions a host keeps in flight at once (each carries the batches of many partitions)', { env: 'TROUPE_COMMIT_CONCURRENCY', min: 1, max: 16 }),
    passivateAfterMs: i(300_000, 'an actor idle this long leaves memory (its snapshot is stored)', { env: 'TROUPE_PASSIVATE_AFTER_MS', min: 1000 }),
    actorsRetentionHours: i(24 * 7, 'how long the ACTORS stream keeps mailbox history (for replay)', { env: 'TROUPE_ACTORS_RETENTION_HOURS', min: 1 }),
    inboxRetentionHours: i(24 * 7, 'how long applied idempotency keys are remembered', { env: 'TROUPE_INBOX_RETENTION_HOURS', min: 1 }),
    metricsPort: i(0, 'HTTP port for /metrics and /healthz of a host without a gateway (0: off)', { env: 'TROUPE_METRICS_PORT', max: 65535 }),
    sessionTtlHours: i(24 * 30, 'login sessions expire after this many hours', { env: 'TROUPE_SESSION_TTL_HOURS', min: 1 }),
    maxRoomMembers: i(2000, 'members one room may have', { env: 'TROUPE_MAX_ROOM_MEMBERS', min: 2, max: 100_000 }),
    maxDevices: i(5, 'connections one user may have at once (one per device type; the oldest is kicked beyond)', { env: 'TROUPE_MAX_DEVICES', min: 1, max: 100 }),
    scryptCost: i(16384, 'scrypt N for password hashes (a power of two)', { env: 'TROUPE_SCRYPT_COST', min: 1024 }),
    storageMissedBeats: i(3, 'a storage node that misses this many heartbeats in a row is offline (the group actor\'s verdict)', { env: 'TROUPE_STORAGE_MISSED_BEATS', min: 2, max: 100 }),
    watchNodeViewers: i(50, 'viewers one media server (storage node) serves, over all watch rooms, before a room is given another node that holds its movie', { env: 'TROUPE_WATCH_NODE_VIEWERS', min: 1 }),
    watchNodeBytesPerSecond: i(0, 'a media server sending this many bytes/s (its heartbeat says) is full too; 0: only viewers count', { env: 'TROUPE_WATCH_NODE_BYTES_PER_SECOND' }),
    watchPrepareMs: i(3000, 'how long a watch room waits for its members to be ready before it plays anyway (stragglers catch up)', { env: 'TROUPE_WATCH_PREPARE_MS', min: 100, max: 60_000 }),
    watchStartLeadMs: i(250, 'a watch room starts playing at least this far ahead of deciding to (plus twice the slowest viewer\'s round trip), so the start reaches everyone', { env: 'TROUPE_WATCH_START_LEAD_MS', min: 0, max: 5000 }),
    watchStartSpareMs: i(50, 'and at least this much beyond the lead the viewers\' reports on earlier starts say the slowest of them needed', { env: 'TROUPE_WATCH_START_SPARE_MS', min: 0, max: 5000 }),
    watchMaxStartLeadMs: i(2000, 'but never further ahead than this', { env: 'TROUPE_WATCH_MAX_START_LEAD_MS', min: 0, max: 30_000 }),
    watchStallPauseMs: i(8000, 'when a room pauses for a member who buffers, it waits at most this long per stall', { env: 'TROUPE_WATCH_STALL_PAUSE_MS', min: 100, max: 60_000 }),
    watchControlBurst: i(10, 'control requests (load, play, pause, seek, rate) one user may send at once', { env: 'TROUPE_WATCH_CONTROL_BURST', min: 1 }),
    watchControlPerMinute: i(60, 'control requests per minute one user may send, sustained', { env: 'TROUPE_WATCH_CONTROL_PER_MINUTE', min: 1 }),
    watchMaxViewers: i(100, 'connections one room may have watching at once', { env: 'TROUPE_WATCH_MAX_VIEWERS', min: 1, max: 10_000 }),
    filesAskTimeoutMs: i(4000, 'how long the files service waits for the tracker or a group actor (keep it under the gateway\'s request timeout)', { env: 'TROUPE_FILES_ASK_TIMEOUT_MS', min: 100 }),
  },
  tickets: {
    storageSecret: s('', 'shared secret of hosts and storage nodes: signs file tickets (the files service) and requests between storage nodes', { env: 'TROUPE_STORAGE_SECRET', secret: true, generated: true }),
    ticketTtlSeconds: i(900, 'how long a file ticket issued by the files service is good for (a player seeking in a long video needs a new one after it)', { env: 'TROUPE_TICKET_TTL_SECONDS', min: 10, max: 7 * 24 * 3600 }),
  },
  storage: {
    group: s('', 'storage group this node belongs to (letters, digits, _; 1-32 chars)', { env: 'TROUPE_STORAGE_GROUP' }),
    data: s('', 'directory of this node\'s file bytes and replication state (default: <data-dir>/storage/<group>)', { env: 'TROUPE_STORAGE_DATA' }),
    http: i(8090, 'HTTP port of the storage node: /files (tickets), /internal (peers), /healthz, /metrics (0: any free port)', { env: 'TROUPE_STORAGE_HTTP_PORT', max: 65535 }),
    storageBind: s('', 'address the storage node\'s HTTP server listens on (default: 127.0.0.1 when the node\'s public URL names a loopback host, else 0.0.0.0)', { env: 'TROUPE_STORAGE_BIND' }),
    storagePublicUrl: s('', 'base URL clients and peers use to reach this node (default http://<public host>:<http port>; the public host is 127.0.0.1 for `troupe storage`, the gateway\'s under `troupe up`)', { env: 'TROUPE_STORAGE_PUBLIC_URL' }),
    maxUploadBytes: i(8 * 1024 ** 3, 'largest file one upload may carry, bytes', { env: 'TROUPE_MAX_UPLOAD_BYTES', min: 1 }),
    idStep: i(100, 'smallest (and first) id segment a storage node takes from the database', { env: 'TROUPE_ID_STEP', min: 1 }),
    idStepMax: i(100_000, 'largest id segment: the step doubles while segments last less than 15 minutes', { env: 'TROUPE_ID_STEP_MAX', min: 1 }),
    heartbeatMs: i(3000, 'how often a storage node beats to its group actor and refreshes its KV nodes entry (state, load, free disk, applied binlog seq)', { env: 'TROUPE_STORAGE_HEARTBEAT_MS', min: 100, max: 10_000 }),
    corsOrigins: s('*', 'origins whose pages may use /files from a browser (the web client\'s uploads and downloads): * for any (a ticket is the only credential, so this grants nothing a ticket does not), or comma-separated origins; empty: none', { env: 'TROUPE_STORAGE_CORS_ORIGINS' }),
    shutdownGraceMs: i(5000, 'on SIGTERM, how long in-flight transfers may run before their connections are closed', { env: 'TROUPE_STORAGE_SHUTDOWN_GRACE_MS' }),
  },
  client: {
    url: s('tcp://127.0.0.1:7070', 'gateway to connect to: tcp://host:port, ws://host:port/ws, or http://host:port (least-loaded gateway)', { env: 'TROUPE_URL' }),
    profile: s('default', 'name of the saved session (several accounts side by side)', { env: 'TROUPE_PROFILE' }),
    clientHome: s('', 'where client sessions are saved (default ~/.troupe)', { env: 'TROUPE_CLIENT_HOME' }),
    failover: b(false, 'move to another live gateway when this one goes, resume and catch up (always on for an http:// URL; a tcp:// or ws:// URL otherwise stays with that gateway)', { env: 'TROUPE_FAILOVER' }),
  },
} as const satisfies Record<string, Record<string, OptionSpec>>;

export type OptionGroups = typeof optionGroups;
export type GroupName = keyof OptionGroups;
type ValueOf<S> = S extends OptionSpec<infer K> ? (K extends 'int' ? number : K extends 'bool' ? boolean : string) : never;
export type ConfigOf<G extends GroupName> = { [N in G]: { -readonly [K in keyof OptionGroups[N]]: ValueOf<OptionGroups[N][K]> } }[G] extends infer U
  ? (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never
  : never;
/** The whole configuration, every group. */
export type Config = ConfigOf<GroupName>;

export class ConfigError extends Error {}

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

function coerce(key: string, spec: OptionSpec, raw: string | boolean, source: string): string | number | boolean {
  if (spec.kind === 'bool') {
    if (typeof raw === 'boolean') return raw;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new ConfigError(`${source}: expected true or false, got "${raw}"`);
  }
  if (spec.kind === 'int') {
    const text = String(raw).trim();
    if (!/^-?\d+$/.test(text)) throw new ConfigError(`${source}: expected a whole number, got "${raw}"`);
    const n = Number(text);
    if (spec.min !== undefined && n < spec.min) throw new ConfigError(`${source}: must be at least ${spec.min}, got ${n}`);
    if (spec.max !== undefined && n > spec.max) throw new ConfigError(`${source}: must be at most ${spec.max}, got ${n}`);
    return n;
  }
  const v = String(raw);
  if (spec.choices && !spec.choices.includes(v)) throw new ConfigError(`${source}: must be one of ${spec.choices.join(', ')}, got "${v}"`);
  // a secret goes into the nats-server config and HTTP headers: one line of visible characters
  if (spec.secret && /[\x00-\x20\x7f]/.test(v)) throw new ConfigError(`${source}: a secret may not contain spaces or control characters`);
  void key;
  return v;
}

export interface ExtraOption {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  help: string;
  default?: string | boolean;
}

export interface Parsed<G extends GroupName> {
  config: ConfigOf<G>;
  /** Command-specific flags. */
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  help: boolean;
  /** Settings given by a flag or an environment variable (the rest are defaults). */
  given: ReadonlySet<string>;
}

/** Parses argv and the environment for the given groups plus a command's own flags. */
export function parseConfig<G extends GroupName>(
  groups: readonly G[],
  argv: string[],
  extra: Record<string, ExtraOption> = {},
  env: NodeJS.ProcessEnv = process.env,
): Parsed<G> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const g of groups) for (const [k, spec] of Object.entries(optionGroups[g] as Record<string, OptionSpec>)) {
    options[kebab(k)] = { type: spec.kind === 'bool' ? 'boolean' : 'string' };
  }
  for (const [name, o] of Object.entries(extra)) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new ConfigError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const config: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const g of groups) for (const [k, spec] of Object.entries(optionGroups[g] as Record<string, OptionSpec>)) {
    const flag = kebab(k);
    const fromFlag = values[flag];
    if (fromFlag !== undefined) config[k] = coerce(k, spec, fromFlag as string | boolean, `--${flag}`);
    else if (spec.env && env[spec.env] !== undefined && env[spec.env] !== '') config[k] = coerce(k, spec, env[spec.env]!, spec.env);
    else config[k] = spec.default;
    if (fromFlag !== undefined || (spec.env && env[spec.env])) given.add(k);
  }
  deriveListenAddresses(config);
  const flags: Parsed<G>['flags'] = {};
  for (const [name, o] of Object.entries(extra)) flags[name] = values[name] ?? o.default;
  return { config: config as ConfigOf<G>, flags, positionals: parsed.positionals, help: values.help === true, given };
}

/** A loopback address or name: a listener there is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
}

/** Where a service advertised under `host` listens by default: loopback stays on loopback. */
export function listenAddressFor(host: string): string {
  return isLoopback(host) ? '127.0.0.1' : '0.0.0.0';
}

/** The address a client on this machine uses to reach a listener bound to `bind`. */
export function localAddressOf(bind: string): string {
  if (bind === '' || bind === '0.0.0.0' || bind === '::' || bind === '[::]') return '127.0.0.1';
  return bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind;
}

/** The host a storage node is reached at: its public URL's, else the gateway's public host. */
export function storagePublicHost(config: { storagePublicUrl?: string; publicHost?: string }): string {
  if (config.storagePublicUrl) {
    try {
      return new URL(config.storagePublicUrl).hostname;
    } catch {
      throw new ConfigError(`--storage-public-url: not a URL: "${config.storagePublicUrl}"`);
    }
  }
  return config.publicHost ?? '127.0.0.1';
}

/**
 * Listen addresses left unset follow the address the service is advertised at: a gateway or
 * storage node that tells clients to come to 127.0.0.1 listens there only, one with a public
 * host listens on every interface.
 */
function deriveListenAddresses(config: Record<string, unknown>): void {
  if (config.bind === '') config.bind = listenAddressFor(String(config.publicHost ?? '127.0.0.1'));
  if (config.storageBind === '') config.storageBind = listenAddressFor(storagePublicHost(config as { storagePublicUrl?: string; publicHost?: string }));
}

export interface GeneratedSecret {
  /** The setting (`natsHostPassword`). */
  key: string;
  /** Its variable, also its name in the secrets file (`TROUPE_NATS_HOST_PASSWORD`). */
  env: string;
  help: string;
}

/** The generated secrets among the settings of these groups. */
export function generatedSecrets(groups: readonly GroupName[] = Object.keys(optionGroups) as GroupName[]): GeneratedSecret[] {
  const out: GeneratedSecret[] = [];
  for (const g of groups) for (const [key, spec] of Object.entries(optionGroups[g] as Record<string, OptionSpec>)) {
    if (spec.generated) out.push({ key, env: spec.env!, help: spec.help });
  }
  return out;
}

/**
 * Fills each generated secret that neither a flag nor the environment set from `stored`
 * (variable name to value, what lib/secrets.ts keeps). Returns the settings it filled.
 */
export function applyStoredSecrets(config: object, stored: Readonly<Record<string, string>>): string[] {
  const c = config as Record<string, unknown>;
  const filled: string[] = [];
  for (const { key, env } of generatedSecrets()) {
    if (c[key] === '' && stored[env]) {
      c[key] = stored[env];
      filled.push(key);
    }
  }
  return filled;
}

/** Help text for a command: its usage, its own flags and every setting of its groups. */
export function helpText(usage: string, description: string, groups: readonly GroupName[], extra: Record<string, ExtraOption> = {}): string {
  const lines = [`Usage: ${usage}`, '', description.trim(), ''];
  const row = (flag: string, help: string, tail = '') => lines.push(`  ${flag.padEnd(34)} ${help}${tail}`);
  if (Object.keys(extra).length) {
    lines.push('Options:');
    for (const [name, o] of Object.entries(extra)) row(`--${name}${o.type === 'string' ? ' <value>' : ''}`, o.help, o.default !== undefined && o.default !== false ? ` (default: ${o.default})` : '');
    lines.push('');
  }
  for (const g of groups) {
    lines.push(`Settings (${g}):`);
    for (const [k, spec] of Object.entries(optionGroups[g] as Record<string, OptionSpec>)) {
      const def = spec.generated ? 'generated on first start, kept in <data-dir>/secrets.env' : spec.secret && spec.default ? '(hidden)' : JSON.stringify(spec.default);
      row(`--${kebab(k)}${spec.kind === 'bool' ? '' : ' <' + spec.kind + '>'}`, spec.help, `\n  ${''.padEnd(34)} env ${spec.env ?? '-'}, default ${def}`);
    }
    lines.push('');
  }
  lines.push('  -h, --help                         show this help');
  return lines.join('\n');
}

/** A path as people should read it: relative inside the project, absolute outside it. */
export function shownPath(p: string): string {
  const rel = path.relative(projectRoot, path.resolve(projectRoot, p));
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(projectRoot, p) : rel;
}

/** Resolves a path setting against the project root. */
export function resolveDataPath(config: { dataDir: string }, ...parts: string[]): string {
  return path.resolve(projectRoot, config.dataDir, ...parts);
}

/** Every setting at its default, for tests and simulation. */
export function defaultConfig(): Config {
  return parseConfig(Object.keys(optionGroups) as GroupName[], [], {}, {}).config as Config;
}
