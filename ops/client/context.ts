// What a client command gets: its arguments checked against its spec, and (for most commands) a
// connection logged in with the profile's saved session.
import { ConfigError, optionGroups, type ExtraOption, type Parsed } from '../../lib/mod.ts';
import { TroupeError } from '../../protocol/mod.ts';
import { TroupeClient, type ClientOptions } from '../../protocol/client/mod.ts';
import { Names, type UserRef } from './names.ts';
import { Profile } from './profile.ts';
import type { ClientIo } from './io.ts';

/** The client command's own flags (beside --url, --profile, --client-home). */
export const clientFlags = {
  password: { type: 'string', help: 'password for register, login and chat (prefer TROUPE_PASSWORD or the prompt)' },
  device: { type: 'string', help: 'device type to connect as: desktop, mobile, web, cli, bot (default: cli; chat and listen: desktop)' },
  open: { type: 'boolean', help: 'create: anyone may join the room' },
  description: { type: 'string', help: 'create: the room\'s description' },
  member: { type: 'string', multiple: true, help: 'create: add this user at once (repeat for more)' },
  before: { type: 'string', help: 'history: entries before this seq (page back with the first seq shown)' },
  limit: { type: 'string', help: 'history: how many entries (1-200, default 20)' },
  for: { type: 'string', help: 'listen, watch: stop after this many seconds' },
  headless: { type: 'boolean', help: 'watch: mpv without a window or sound (servers, tests)' },
} as const satisfies Record<string, ExtraOption>;

export type FlagName = keyof typeof clientFlags;

export interface Flags {
  password?: string;
  device?: string;
  open?: boolean;
  description?: string;
  member?: string[];
  before?: string;
  limit?: string;
  for?: string;
  headless?: boolean;
}

const deviceTypes = ['desktop', 'mobile', 'web', 'cli', 'bot'] as const;
export type DeviceType = (typeof deviceTypes)[number];

/** Where and as whom a command runs, before any connection. */
export interface ClientEnv {
  /** --url / TROUPE_URL when given, else '' (the profile's URL or the default is used). */
  url: string;
  /** --failover / TROUPE_FAILOVER: move to another gateway when this one goes (http:// URLs always do). */
  failover?: boolean;
  profile: Profile;
  io: ClientIo;
  env: NodeJS.ProcessEnv;
  device: DeviceType;
}

/** A connection logged in with the saved session. */
export interface ClientContext extends ClientEnv {
  client: TroupeClient;
  me: UserRef;
  names: Names;
}

interface SpecBase {
  /** `send <room|@user> <text...>`: the help line. */
  usage: string;
  summary: string;
  /** Positional arguments accepted: [min, max]. */
  args: [number, number];
  flags?: readonly FlagName[];
  /** The default device type when --device is not given. */
  device?: DeviceType;
  /** Not offered as a /command inside chat (they manage their own connection or session). */
  standalone?: boolean;
  /** Runs until stopped: heartbeats keep the connection from idling out. */
  live?: boolean;
  /** The first argument is a room (inside chat it may be left out: the open room). */
  room?: boolean;
}

/** Runs on a connection logged in with the saved session. */
export interface SessionCommand extends SpecBase {
  run(ctx: ClientContext, args: string[], flags: Flags): Promise<number | void>;
}

/** Runs without the saved session (register, login, ping, chat). */
export interface AloneCommand extends SpecBase {
  alone(env: ClientEnv, args: string[], flags: Flags): Promise<number | void>;
}

export type ClientCommand = SessionCommand | AloneCommand;

export function usageError(message: string): ConfigError {
  return new ConfigError(message);
}

/** Checks the argument count and that only this command's flags are given. */
export function checkArgs(name: string, spec: ClientCommand, args: string[], flags: Flags): void {
  const [min, max] = spec.args;
  if (args.length < min) throw usageError(`${name}: missing arguments; usage: ${spec.usage}`);
  if (args.length > max) throw usageError(`${name}: too many arguments (${args.slice(max).join(' ')}); usage: ${spec.usage}`);
  const allowed = new Set<string>([...(spec.flags ?? []), 'device']);
  for (const [k, v] of Object.entries(flags)) {
    if (v !== undefined && !allowed.has(k)) throw usageError(`${name} does not take --${k}; usage: ${spec.usage}`);
  }
}

/** A whole number argument in a range. */
export function intArg(what: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(raw.trim())) throw usageError(`${what} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw usageError(`${what} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function deviceOf(flags: Flags, fallback: DeviceType): DeviceType {
  const d = flags.device ?? fallback;
  if (!(deviceTypes as readonly string[]).includes(d)) throw usageError(`--device must be one of ${deviceTypes.join(', ')}, got "${d}"`);
  return d as DeviceType;
}

/** What --url / TROUPE_URL said, or '' when neither was given. */
export function givenUrl(parsed: Parsed<'client'>): string {
  return parsed.given.has('url') ? parsed.config.url : '';
}

/**
 * The gateway URL of every command that uses a profile (client and files): the one given, else
 * the one the profile logged in with, else the default. Decided here only.
 */
export function urlFor(env: Pick<ClientEnv, 'url' | 'profile'>): string {
  return env.url || env.profile.load()?.url || optionGroups.client.url.default;
}

export function notLoggedIn(profile: Profile): TroupeError {
  return new TroupeError('unauthenticated', `not logged in (profile "${profile.name}"): run troupe client login <name>${profile.name === 'default' ? '' : ` --profile ${profile.name}`}`);
}

/**
 * Connects to the profile's gateway (urlFor) with failover where asked, starting from the live
 * gateways the profile remembers, and keeps that list in the profile as it changes.
 */
export async function connectClient(env: Pick<ClientEnv, 'url' | 'profile' | 'failover'> & { device?: DeviceType }, opts: ClientOptions = {}): Promise<TroupeClient> {
  const client = await TroupeClient.connect(urlFor(env), {
    reconnect: false, heartbeatMs: 0, ...opts,
    ...(env.device ? { device: { type: env.device } } : {}),
    ...(env.failover ? { failover: true } : {}),
    gateways: env.profile.load()?.gateways,
  });
  const remember = () => env.profile.saveGateways(client.gateways);
  client.on('reconnected', remember);
  client.on('closed', remember);
  return client;
}

/** Connects and resumes the profile's saved session. */
export async function connectSaved(env: ClientEnv, opts: ClientOptions = {}): Promise<ClientContext> {
  const saved = env.profile.load();
  if (!saved) throw notLoggedIn(env.profile);
  const client = await connectClient(env, opts);
  try {
    const me = await client.resume(saved.token);
    return { ...env, client, me, names: new Names(client, me) };
  } catch (e) {
    await client.close();
    if (e instanceof TroupeError && e.code === 'session_expired') {
      throw new TroupeError('session_expired', `the saved session of ${saved.user.name} has expired or was revoked: run troupe client login ${saved.user.name}`);
    }
    throw e;
  }
}
