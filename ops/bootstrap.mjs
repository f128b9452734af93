#!/usr/bin/env node
// Entry point of `npm start`, `npm test` and `npm run troupe -- ...` on a fresh checkout: installs
// what is missing (npm packages; nats-server with apt-get when we are root), then runs the troupe
// CLI (ops/main.ts) from its bundle (ops/bundles.mjs). Plain JavaScript on purpose: it runs before any package exists.
// Debian packages it installs when missing and root: nats-server; mpv for `test` and `client watch`.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withLock } from '../lib/lockfile.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const say = (msg) => process.stderr.write(`[troupe] ${msg}\n`);

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  say(`Node ${process.versions.node} is too old; Troupe needs Node 20 or newer.`);
  process.exit(1);
}

/** Runs a command with our terminal; resolves with its exit status (async, so a held lock stays fresh). */
function run(cmd, cmdArgs, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: 'inherit', ...opts });
    child.once('error', (e) => {
      say(`${cmd}: ${e.message}`);
      resolve(1);
    });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

function lockMessages(what) {
  return {
    onWait: (owner) => say(`another troupe process (pid ${owner.pid}) is ${what}; waiting for it ...`),
    onStale: (reason) => say(`taking over a stale install lock: ${reason}`),
  };
}

function depsInstalled() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (!fs.existsSync(marker) || !fs.existsSync(path.join(root, 'node_modules', 'tsx'))) return false;
  return !fs.existsSync(lock) || fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs - 1000;
}

const nodeModules = path.join(root, 'node_modules');
const linked = fs.existsSync(nodeModules) && fs.lstatSync(nodeModules).isSymbolicLink();
if (!depsInstalled() && linked) {
  // a git worktree sharing another checkout's packages: `npm ci` would replace the link and empty
  // the other checkout's node_modules, so only say what looks stale
  say(`node_modules is a link to ${fs.realpathSync(nodeModules)} and looks older than package-lock.json; not reinstalling (run npm ci there if packages are missing).`);
} else if (!depsInstalled()) {
  // several roles started at once in a fresh clone would each run npm ci into the same
  // node_modules and break each other: one installs, the others wait for it and go on
  const status = await withLock(path.join(root, '.troupe-install.lock'), async () => {
    if (depsInstalled()) {
      say('the npm packages were installed meanwhile; going on.');
      return 0;
    }
    const ci = fs.existsSync(path.join(root, 'package-lock.json'));
    say(`installing npm packages (npm ${ci ? 'ci' : 'install'}) ...`);
    return run('npm', [ci ? 'ci' : 'install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root });
  }, lockMessages('installing the npm packages'));
  if (status !== 0) {
    say('npm could not install the packages; see the output above.');
    process.exit(1);
  }
}

function onPath(bin, places = []) {
  for (const p of places) if (fs.existsSync(p)) return true;
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Installs a Debian package with apt-get when we are root, one troupe process at a time (the
 * others wait and then find it installed); false when it is (still) missing.
 */
async function aptInstall(pkg, installed) {
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) return false;
  const status = await withLock(path.join(root, '.troupe-apt.lock'), async () => {
    if (installed()) return 0;
    say(`${pkg} is missing; installing it with apt-get ...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = ['install', '-y', '--no-install-recommends', pkg];
    if ((await run('apt-get', install, { env })) === 0) return 0;
    await run('apt-get', ['update'], { env });
    return run('apt-get', install, { env });
  }, lockMessages(`installing ${pkg}`));
  return status === 0 && installed();
}

const hasNatsServer = () => onPath('nats-server', ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']);

const needsNats = ['up', 'test', 'nats', 'bench', 'sim'].includes(args[0]) || (['host', 'gateway', 'storage'].includes(args[0]) && !process.env.NATS_URL);
if (needsNats && !hasNatsServer() && !(args[0] !== 'test' && process.env.NATS_URL)) {
  if (isRoot && fs.existsSync('/usr/bin/apt-get')) {
    if (!(await aptInstall('nats-server', hasNatsServer))) {
      say('apt-get could not install nats-server; install it (Debian package nats-server) or set NATS_URL.');
      process.exit(1);
    }
  } else {
    say('nats-server is not installed. Install it with:  sudo apt-get install nats-server');
    say('(or point Troupe at an existing NATS with JetStream: NATS_URL=nats://host:4222)');
    process.exit(1);
  }
}

// mpv: the desktop player of `troupe client watch`, and what the watch tests drive headless
const hasMpv = () => onPath('mpv');
const needsMpv = args[0] === 'test' || (args[0] === 'client' && args.includes('watch'));
if (needsMpv && !hasMpv() && !(await aptInstall('mpv', hasMpv))) {
  say('mpv is not installed (troupe client watch plays in it; the watch tests drive it). Install it with:  sudo apt-get install mpv');
  if (args[0] === 'client') process.exit(1);
}

// The CLI runs from its esbuild bundle (.build/cli, rebuilt when a source changed): it starts in
// a sixth of the CPU that loading the sources through tsx takes. TROUPE_FROM_SOURCE=1 runs the
// sources under tsx instead (stack traces then name the .ts files).
const { ensureBundle, cliMainUrl } = await import('./bundles.mjs');
let fromSource = process.env.TROUPE_FROM_SOURCE === '1';
if (!fromSource) {
  try {
    await ensureBundle('cli', say);
  } catch (e) {
    say(`could not build the CLI bundle (${e.message}); running the sources under tsx`);
    fromSource = true;
  }
}
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'ops', 'main.ts')).href);
} else {
  await import(cliMainUrl);
}
