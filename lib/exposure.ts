// Refusing to run with a weak secret where others could use it: a published development default,
// or a short value, on a listener beyond loopback (or sent to a NATS on another machine) would let
// anyone who reaches it log in as a role, forge file tickets or call the admin API. Pure: the
// caller passes the parsed configuration and what the process is about to serve.
import { isLoopback, type Config } from './config.ts';

/** The development defaults earlier versions shipped in lib/config.ts and nats.conf: public knowledge. */
export const KNOWN_DEV_SECRETS: Readonly<Record<string, string>> = {
  TROUPE_NATS_GATEWAY_PASSWORD: 'dev-gateway-secret',
  TROUPE_NATS_HOST_PASSWORD: 'dev-host-secret',
  TROUPE_NATS_STORAGE_PASSWORD: 'dev-storage-secret',
  TROUPE_NATS_OPS_PASSWORD: 'dev-ops-secret',
  TROUPE_NATS_SYS_PASSWORD: 'dev-sys-secret',
  TROUPE_STORAGE_SECRET: 'dev-storage-ticket-secret',
};

/** A secret reachable beyond loopback must be at least this long. */
export const MIN_EXPOSED_SECRET_LENGTH = 16;

/** What a process is about to serve. */
export interface Serving {
  /** It starts a nats-server (up without NATS_URL, troupe nats). */
  natsServer?: boolean;
  gateway?: boolean;
  storage?: boolean;
}

/** Why a secret is weak, or null. */
export function weakness(value: string): string | null {
  if (Object.values(KNOWN_DEV_SECRETS).includes(value)) return `is the published development default "${value}"`;
  if (value.length < MIN_EXPOSED_SECRET_LENGTH) return `is only ${value.length} characters long`;
  return null;
}

/** Hosts of a NATS_URL that are not this machine's loopback. */
export function remoteNatsHosts(natsUrl: string): string[] {
  return natsUrl.split(',').map((u) => u.trim()).filter(Boolean).map((u) => {
    try {
      return new URL(u.includes('://') ? u : `nats://${u}`).hostname;
    } catch {
      return u;
    }
  }).filter((h) => !isLoopback(h));
}

const NATS_PASSWORDS = [
  ['natsGatewayPassword', 'TROUPE_NATS_GATEWAY_PASSWORD', 'gateway'],
  ['natsHostPassword', 'TROUPE_NATS_HOST_PASSWORD', 'host'],
  ['natsStoragePassword', 'TROUPE_NATS_STORAGE_PASSWORD', 'storage'],
  ['natsOpsPassword', 'TROUPE_NATS_OPS_PASSWORD', 'ops'],
  ['natsSysPassword', 'TROUPE_NATS_SYS_PASSWORD', 'sys'],
  ['natsRoutePassword', 'TROUPE_NATS_ROUTE_PASSWORD', 'route'],
] as const;

/**
 * Every weak secret this process would expose beyond loopback, each with how to fix it; empty
 * when it may start. `secretsFile` is named in the advice (where generated secrets are kept).
 */
export function exposureProblems(config: Partial<Config>, serving: Serving, secretsFile: string): string[] {
  const problems: string[] = [];
  const unsetOrRandom = (env: string) => `unset ${env} to use the secret generated in ${secretsFile}, or set it to a long random value (openssl rand -hex 32)`;
  const natsBind = config.natsBind ?? '127.0.0.1';
  const natsOpen = serving.natsServer === true && !isLoopback(natsBind);
  const remote = config.natsUrl ? remoteNatsHosts(config.natsUrl) : [];
  for (const [key, env, user] of NATS_PASSWORDS) {
    const value = config[key];
    if (value === undefined || value === '') continue;
    const weak = weakness(value);
    if (!weak) continue;
    if (natsOpen) {
      problems.push(`${env} ${weak}, and the nats-server we start listens on ${natsBind} (TROUPE_NATS_BIND): anyone who reaches it could ${user === 'route' ? 'join the cluster as a route' : `log in as "${user}"`}. Fix: ${unsetOrRandom(env)}, or listen on loopback only (TROUPE_NATS_BIND=127.0.0.1).`);
    } else if (remote.length && user !== 'sys' && user !== 'route') {
      problems.push(`${env} ${weak}, and NATS_URL names ${remote.join(', ')}, beyond this machine: anyone who reaches that server could log in as "${user}". Fix: give user "${user}" a long random password on that server and set ${env} to it (\`troupe secrets env\` prints the generated ones).`);
    }
  }
  const storageSecret = config.storageSecret;
  const storageWeak = storageSecret ? weakness(storageSecret) : null;
  if (storageWeak) {
    const storageBind = config.storageBind ?? '127.0.0.1';
    if (serving.storage && !isLoopback(storageBind)) {
      problems.push(`TROUPE_STORAGE_SECRET ${storageWeak}, and the storage node listens on ${storageBind} (TROUPE_STORAGE_BIND): anyone who reaches it could forge tickets and read or delete any file. Fix: ${unsetOrRandom('TROUPE_STORAGE_SECRET')} (the same on every host and storage node), or listen on loopback only (TROUPE_STORAGE_BIND=127.0.0.1).`);
    } else if (remote.length) {
      problems.push(`TROUPE_STORAGE_SECRET ${storageWeak}, and NATS_URL names ${remote.join(', ')}: hosts and storage nodes span machines, so tickets signed with it are accepted beyond this one. Fix: set TROUPE_STORAGE_SECRET to the same long random value (openssl rand -hex 32) on every host and storage node.`);
    }
  }
  const adminToken = config.adminToken;
  const adminWeak = adminToken ? weakness(adminToken) : null;
  const bind = config.bind ?? '127.0.0.1';
  if (adminWeak && serving.gateway && !isLoopback(bind)) {
    problems.push(`TROUPE_ADMIN_TOKEN ${adminWeak}, and the gateway listens on ${bind} (TROUPE_BIND): anyone who reaches it could call the admin API. Fix: set TROUPE_ADMIN_TOKEN to a long random value (openssl rand -hex 32), or unset it to turn the admin API off.`);
  }
  return problems;
}
