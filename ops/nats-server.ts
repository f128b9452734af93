// Starting and stopping our own nats-server from nats.conf (single node, or the three-node local
// cluster in nats/), with secrets from the environment and data under the data dir.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { projectRoot, logger, ConfigError, localAddressOf, shownPath, type ConfigOf } from '../lib/mod.ts';

const log = logger('nats-server');

export interface NatsServerHandle {
  port: number;
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function findNatsServer(): string | null {
  for (const p of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) if (fs.existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return found || null;
}

/** The variables nats.conf and the cluster files reference, and the settings that give their values. */
const SECRET_VARS: Record<string, keyof ConfigOf<'nats'>> = {
  TROUPE_NATS_GATEWAY_PASSWORD: 'natsGatewayPassword',
  TROUPE_NATS_HOST_PASSWORD: 'natsHostPassword',
  TROUPE_NATS_STORAGE_PASSWORD: 'natsStoragePassword',
  TROUPE_NATS_OPS_PASSWORD: 'natsOpsPassword',
  TROUPE_NATS_SYS_PASSWORD: 'natsSysPassword',
  TROUPE_NATS_ROUTE_PASSWORD: 'natsRoutePassword',
};

/**
 * A config file's text with the secret variables it references defined in front, quoted (a
 * variable defined in the file wins over the environment, and a quoted value is always a string;
 * nats-server refuses a defined variable nobody references, so only those are defined).
 */
export function defineSecrets(text: string, config: ConfigOf<'nats'>, source: string): string {
  const defs: string[] = [];
  for (const [name, key] of Object.entries(SECRET_VARS)) {
    if (!new RegExp(`\\$${name}\\b`).test(text)) continue;
    const value = String(config[key]);
    if (!value) throw new ConfigError(`${name} is not set: the nats-server needs it (troupe commands generate it into <data-dir>/secrets.env)`);
    defs.push(`${name}: ${JSON.stringify(value)}`);
  }
  return `# written by troupe from ${source}, with its secrets; mode 600\n${defs.join('\n')}\n\n${text}`;
}

/** nats.conf with its secrets defined (the text of the rendered copy in the data dir). */
export function renderNatsConf(config: ConfigOf<'nats'>, source = path.join(projectRoot, 'nats.conf')): string {
  return defineSecrets(fs.readFileSync(source, 'utf8'), config, shownPath(source));
}

/** Route URLs with the route user's credentials (the cluster files name bare host:port). */
function withRouteCredentials(text: string, config: ConfigOf<'nats'>): string {
  const cred = `route:${encodeURIComponent(config.natsRoutePassword)}@`;
  return text.replace(/nats-route:\/\/(?![^"@]*@)/g, `nats-route://${cred}`);
}

export interface StartOptions {
  config: ConfigOf<'nats'>;
  /** Directory for the rendered config, the log and JetStream data. */
  dir: string;
  /** Client port; 0 picks a free one. */
  port: number;
  monitorPort?: number;
  /** Extra config appended to the rendered nats.conf (tests). */
  extra?: string;
  /** Config file to render instead of nats.conf (cluster nodes). */
  confFile?: string;
  /** Cluster nodes: client port, route port and the other nodes' route ports (instead of the file's). */
  clusterPorts?: { client: number; route: number; peers: number[] };
}

export async function startNatsServer(opts: StartOptions): Promise<NatsServerHandle> {
  const bin = findNatsServer();
  if (!bin) throw new Error('nats-server is not installed. On Debian: apt-get install nats-server (npm start does this when run as root), or set NATS_URL to an existing server.');
  fs.mkdirSync(opts.dir, { recursive: true });
  const confPath = path.join(opts.dir, 'nats.conf');
  // the store dir is set in the file: nats-server refuses -sd next to a store_dir in the config
  let conf = renderNatsConf(opts.config).replace(/store_dir:\s*".*"/, `store_dir: ${JSON.stringify(path.join(opts.dir, 'jetstream-data'))}`);
  if (opts.extra) conf += `\n${opts.extra}\n`;
  fs.writeFileSync(confPath, conf, { mode: 0o600 });
  fs.chmodSync(confPath, 0o600); // a copy written by an older version may be wider
  let mainConf = confPath;
  if (opts.confFile) {
    // a cluster node's file includes ../nats.conf: point it at the rendered copy instead
    let node = fs.readFileSync(opts.confFile, 'utf8').replace(/include\s+"\.\.\/nats\.conf"/, `include "nats.conf"`);
    const cp = opts.clusterPorts;
    if (cp) {
      node = node
        .replace(/^port: \d+$/m, `port: ${cp.client}`)
        .replace(/(cluster \{[^}]*?port: )\d+/s, `$1${cp.route}`)
        .replace(/routes: \[[^\]]*\]/, `routes: [ ${cp.peers.map((p) => `"nats-route://127.0.0.1:${p}"`).join(', ')} ]`);
    }
    node = withRouteCredentials(node, opts.config)
      .replace(/(cluster \{[^}]*?host: )"[^"]*"/s, `$1${JSON.stringify(opts.config.natsBind)}`)
      .replace(/store_dir:\s*".*"/, `store_dir: ${JSON.stringify(path.join(opts.dir, 'jetstream-data'))}`);
    mainConf = path.join(opts.dir, path.basename(opts.confFile));
    fs.writeFileSync(mainConf, defineSecrets(node, opts.config, shownPath(opts.confFile)), { mode: 0o600 });
  }
  // clients (and monitoring, which follows -a) on the configured address only
  const args = ['-c', mainConf, '-a', opts.config.natsBind];
  if (!opts.confFile) args.push('-p', opts.port === 0 ? '-1' : String(opts.port));
  if (opts.monitorPort) args.push('-m', String(opts.monitorPort));
  const logPath = path.join(opts.dir, 'nats-server.log');
  const logFd = fs.openSync(logPath, 'a');
  // its own process group: a Ctrl-C on the terminal reaches us, and we stop nats-server last
  // and it goes with us even when we are SIGKILLed: setpriv (util-linux, on every Debian) gives it
  // a parent-death signal before it execs nats-server, so no orphan keeps our ports and data dir
  const setpriv = process.platform === 'linux' && fs.existsSync('/usr/bin/setpriv');
  const child = setpriv
    ? spawn('/usr/bin/setpriv', ['--pdeathsig', 'TERM', bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], cwd: opts.dir, detached: true })
    : spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: opts.dir, detached: true });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start within 15 s; see ${logPath}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      fs.writeSync(logFd, chunk);
      if (stderr.length < 64 * 1024) stderr += chunk.toString();
      const m = /Listening for client connections on [^\s]*:(\d+)/.exec(stderr);
      if (m && /Server is ready/.test(stderr)) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code} while starting: ${stderr.split('\n').filter((l) => /\[(ERR|FTL)\]|error/i.test(l)).join(' | ') || 'see ' + logPath}`));
    });
  });
  child.stderr!.removeAllListeners('data');
  child.stderr!.on('data', (chunk: Buffer) => fs.writeSync(logFd, chunk));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  log.info({ port, natsPid: child.pid, dir: opts.dir }, 'nats-server started');
  return {
    port,
    url: `nats://${localAddressOf(opts.config.natsBind)}:${port}`,
    pid: child.pid!,
    child,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      fs.closeSync(logFd);
    },
  };
}

/**
 * Starts the three nodes of nats/cluster-*.conf (on the ports in those files, or on the given
 * ones: tests pick free ports so they never meet a developer's running cluster).
 */
export async function startNatsCluster(config: ConfigOf<'nats'>, dir: string, ports?: { client: number[]; route: number[] }): Promise<NatsServerHandle[]> {
  const nodes: NatsServerHandle[] = [];
  try {
    for (const n of [1, 2, 3]) {
      const clusterPorts = ports && { client: ports.client[n - 1], route: ports.route[n - 1], peers: ports.route.filter((_, i) => i !== n - 1) };
      nodes.push(await startNatsServer({ config, dir: path.join(dir, String(n)), port: 0, confFile: path.join(projectRoot, 'nats', `cluster-${n}.conf`), clusterPorts }));
    }
  } catch (e) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw e;
  }
  return nodes;
}

/** `nats-server -t` on the rendered nats.conf. */
export function checkNatsConf(config: ConfigOf<'nats'>, dir: string): { ok: boolean; output: string } {
  const bin = findNatsServer();
  if (!bin) return { ok: false, output: 'nats-server is not installed' };
  fs.mkdirSync(dir, { recursive: true });
  const confPath = path.join(dir, 'nats.check.conf');
  fs.writeFileSync(confPath, renderNatsConf(config), { mode: 0o600 });
  const r = spawnSync(bin, ['-t', '-c', confPath], { encoding: 'utf8' });
  fs.rmSync(confPath, { force: true });
  return { ok: r.status === 0, output: (r.stdout + r.stderr).trim() };
}
