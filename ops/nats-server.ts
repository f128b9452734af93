// Starting and stopping our own nats-server from nats.conf (single node, or the three-node local
// cluster in nats/), with secrets from the environment and data under the data dir.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { projectRoot, logger, type ConfigOf } from '../lib/mod.ts';

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

const SECRET_VARS: Record<string, keyof ConfigOf<'nats'>> = {
  GATEWAY_PASSWORD: 'natsGatewayPassword',
  HOST_PASSWORD: 'natsHostPassword',
  STORAGE_PASSWORD: 'natsStoragePassword',
  OPS_PASSWORD: 'natsOpsPassword',
  SYS_PASSWORD: 'natsSysPassword',
};

/** nats.conf with its secret variables replaced by the configured values (nats-server lets a
 * variable defined in the file win over the environment, so the file itself is rewritten). */
export function renderNatsConf(config: ConfigOf<'nats'>, source = path.join(projectRoot, 'nats.conf')): string {
  let text = fs.readFileSync(source, 'utf8');
  for (const [name, key] of Object.entries(SECRET_VARS)) {
    const re = new RegExp(`^${name}:\\s*".*"\\s*$`, 'm');
    if (!re.test(text)) throw new Error(`nats.conf does not define ${name}`);
    text = text.replace(re, `${name}: ${JSON.stringify(String(config[key]))}`);
  }
  return text;
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
    mainConf = path.join(opts.dir, path.basename(opts.confFile));
    fs.writeFileSync(mainConf, node.replace(/store_dir:\s*".*"/, `store_dir: ${JSON.stringify(path.join(opts.dir, 'jetstream-data'))}`), { mode: 0o600 });
  }
  const args = ['-c', mainConf];
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
  log.info({ port, pid: child.pid, dir: opts.dir }, 'nats-server started');
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
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
