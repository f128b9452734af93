// Builds the troupe CLI (ops/main.ts and everything it loads) and the test files into ES modules
// with code-split chunks under .build/, and runs them from there. Loading ~400 TypeScript
// modules through tsx's loader hooks cost every process about 3.4 s of CPU before it did
// anything (profiled: module resolution and the off-thread hook round trips); the bundle starts
// in about 0.5 s. Every role process, every `troupe client` command and every test file pays
// that start-up, and the test suite starts a few hundred of them.
//
// esbuild (already the web client's bundler) builds both in a couple of seconds. A bundle is
// rebuilt when it is missing or any input changed (a sha-256 of each input is kept in its
// manifest, as the web client's build does). Chunk names carry a content hash and old ones stay
// for a day, so a process that started on an older build still finds the chunks it loads on
// demand. Packages that load files or workers relative to themselves stay external.
// Plain JavaScript: ops/bootstrap.mjs uses it before tsx is registered.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withLock } from '../lib/lockfile.mjs';

/** The checkout: the nearest folder with a package.json (this file may itself be bundled into .build/). */
function findRoot() {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('no package.json above the troupe sources');
  }
}
const root = findRoot();
const FORMAT = 1;
/** Loaded from node_modules at run time: wasm/worker files next to them, or native binaries. */
const EXTERNAL = ['@electric-sql/pglite', 'esbuild', 'playwright-core', 'pino', 'pino-pretty', 'thread-stream', 'tsx'];

function testFiles(dir = path.join(root, 'test')) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (e.name.endsWith('.test.ts')) out.push(path.relative(root, p));
  }
  return out.sort();
}

/** What can be bundled: its folder and its entry points (relative to the checkout). */
const targets = {
  cli: { dir: path.join(root, '.build', 'cli'), entries: () => ['ops/main.ts'], outbase: 'ops' },
  test: { dir: path.join(root, '.build', 'test'), entries: testFiles, outbase: 'test' },
};

/** The bundled CLI entry: `node <cliMain> <command> ...` runs what `ops/main.ts` runs. */
export const cliMain = path.join(targets.cli.dir, 'main.js');
export const cliMainUrl = pathToFileURL(cliMain).href;

/** Where the bundle of an entry lives: test/web-watch.test.ts -> .build/test/web-watch.test.js. */
export function bundledPath(target, entry) {
  const t = targets[target];
  return path.join(t.dir, path.relative(t.outbase, entry).replace(/\.tsx?$/, '.js'));
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

function readManifest(t) {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(t.dir, 'manifest.json'), 'utf8'));
    return m.format === FORMAT ? m : null;
  } catch {
    return null;
  }
}

/** Why a bundle must be rebuilt, or null when it is current. */
/** The patches applied to packages (a new one changes what a bundle holds). */
function patchFiles() {
  return fs.existsSync(path.join(root, 'patches')) ? fs.readdirSync(path.join(root, 'patches')).map((f) => `patches/${f}`) : [];
}

export function staleReason(target) {
  const t = targets[target];
  const m = readManifest(t);
  if (!m) return 'no bundle yet';
  if (m.entries.join('\n') !== t.entries().join('\n')) return 'the entry points changed';
  for (const f of m.outputs) if (!fs.existsSync(path.join(t.dir, f))) return `${f} is missing`;
  for (const [rel, hash] of Object.entries(m.inputs)) {
    let now;
    try {
      now = sha256(fs.readFileSync(path.join(root, rel)));
    } catch {
      return `${rel} is gone`;
    }
    if (now !== hash) return `${rel} changed`;
  }
  for (const rel of patchFiles()) if (!(rel in m.inputs)) return `${rel} is new`;
  return null;
}

function writeAtomic(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

async function build(t) {
  const esbuild = await import('esbuild');
  const entries = t.entries();
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries.map((e) => path.join(root, e)),
    outbase: path.join(root, t.outbase),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: t.dir,
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    external: EXTERNAL,
    // bundled CommonJS packages call require(); an ES module has none of its own
    banner: { js: "import { createRequire as __troupeRequire } from 'node:module'; const require = __troupeRequire(import.meta.url);" },
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const outputs = [];
  const entryFiles = [];
  for (const f of result.outputFiles) {
    const name = path.relative(t.dir, f.path);
    outputs.push(name);
    // entries go last, once every chunk they name is in place
    if (name.startsWith('chunks/')) writeAtomic(f.path, f.contents);
    else entryFiles.push(f);
  }
  for (const f of entryFiles) writeAtomic(f.path, f.contents);
  // packages are pinned by the lock file (and patched by patches/), so their files need no hash
  const own = Object.keys(result.metafile.inputs).filter((rel) => !rel.startsWith('node_modules/'));
  const patches = patchFiles();
  const inputs = {};
  for (const rel of [...own, ...patches, 'ops/bundles.mjs', 'package-lock.json']) inputs[rel] = sha256(fs.readFileSync(path.join(root, rel)));
  writeAtomic(path.join(t.dir, 'manifest.json'), JSON.stringify({ format: FORMAT, builtAt: new Date().toISOString(), entries, outputs, inputs }, null, 1));
  prune(path.join(t.dir, 'chunks'), new Set(outputs.map((o) => path.relative('chunks', o))));
}

/** Removes chunks of builds older than a day (a long-running process may still load them). */
function prune(dir, keep) {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const f of fs.readdirSync(dir)) {
    if (keep.has(f)) continue;
    const p = path.join(dir, f);
    try {
      if (fs.statSync(p).mtimeMs < dayAgo || f.endsWith('.tmp')) fs.rmSync(p, { force: true });
    } catch {
      // removed by another build
    }
  }
}

/** Builds a bundle ('cli' or 'test') when it is missing or stale, one process at a time; true when it built. */
export async function ensureBundle(target, say = () => {}) {
  const t = targets[target];
  if (!staleReason(target)) return false;
  return withLock(path.join(root, `.troupe-build-${target}.lock`), async () => {
    const reason = staleReason(target);
    if (!reason) return false;
    say(`building the ${target === 'cli' ? 'troupe CLI' : 'test files'} (${reason}) ...`);
    await build(t);
    return true;
  }, { onWait: (owner) => say(`another troupe process (pid ${owner.pid}) is building the ${target} bundle; waiting for it ...`) });
}

/**
 * How to start `troupe <args>` as a child process (node's arguments): the bundle when it is
 * current, else the sources under tsx, so a child never runs code older than the tree it was
 * started from.
 */
export function troupeArgv(args) {
  if (process.env.TROUPE_FROM_SOURCE !== '1' && !staleReason('cli')) return [cliMain, ...args];
  return ['--import', 'tsx', path.join(root, 'ops', 'main.ts'), ...args];
}
