// Builds the web client (gateway/web/app) into gateway/web/dist: fingerprinted, minified assets
// (esbuild), each also gzip- and brotli-compressed, an index.html that names them, and a
// manifest with a hash of every input so a stale bundle is noticed (`npm start` and `npm test`
// rebuild it then). Run it alone with `npm run troupe -- web`.
//
// esbuild: a well-kept bundler that is fast enough to run on every start (about a second here)
// and understands TypeScript, TSX and package.json "imports" conditions (the client library's
// browser transport) without plugins.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import * as esbuild from 'esbuild';

import { projectRoot } from '../../lib/mod.ts';

// from the project root, not from import.meta.url: this module also runs bundled into .build/cli
export const projectDir = projectRoot;
const here = path.join(projectDir, 'gateway', 'web');
export const appDir = path.join(here, 'app');
/** Where the bundle goes (git-ignored). */
export const defaultDistDir = path.join(here, 'dist');
const MANIFEST = 'manifest.json';
const FORMAT = 3;

export interface AssetInfo {
  bytes: number;
  gzip: number;
  brotli: number;
}

export interface WebManifest {
  format: number;
  builtAt: string;
  /** Asset file names (under assets/) by role. */
  script: string;
  style: string;
  icon: string;
  assets: Record<string, AssetInfo>;
  index: AssetInfo;
  /** Every input (relative to the project) with its sha-256: the stale check. */
  inputs: Record<string, string>;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The app icon: a small speech bubble (an asset, since the CSP allows no data: URLs for it). */
const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/><path d="M9 10h14a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-8l-5 4v-4H9a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2z" fill="#fff"/></svg>\n';

function indexHtml(m: Pick<WebManifest, 'script' | 'style' | 'icon'>): string {
  // no inline script or style: the CSP allows neither
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Troupe</title>
<link rel="icon" type="image/svg+xml" href="/assets/${m.icon}">
<link rel="stylesheet" href="/assets/${m.style}">
<script type="module" src="/assets/${m.script}"></script>
</head>
<body>
<div id="app"><p class="boot">Loading Troupe…</p></div>
<noscript><p class="boot">Troupe's web client needs JavaScript.</p></noscript>
</body>
</html>
`;
}

/** Writes a file atomically (another process may be serving or building at the same time). */
function writeAtomic(file: string, data: Buffer | string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function compressed(data: Buffer): { gz: Buffer; br: Buffer } {
  return {
    gz: zlib.gzipSync(data, { level: 9 }),
    br: zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
  };
}

/** Writes `name` with its .gz and .br beside it; returns the sizes. */
function writeAsset(dir: string, name: string, data: Buffer): AssetInfo {
  const { gz, br } = compressed(data);
  const file = path.join(dir, name);
  // fingerprinted names never change content: an existing one is already right
  if (!fs.existsSync(file) || !name.match(/-[A-Z0-9]{8,}\./i)) {
    writeAtomic(`${file}.gz`, gz);
    writeAtomic(`${file}.br`, br);
    writeAtomic(file, data);
  }
  return { bytes: data.length, gzip: gz.length, brotli: br.length };
}

export async function buildWebBundle(opts: { outDir?: string } = {}): Promise<WebManifest> {
  const outDir = opts.outDir ?? defaultDistDir;
  const assetsDir = path.join(outDir, 'assets');
  fs.mkdirSync(assetsDir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: projectDir,
    entryPoints: { main: path.join(appDir, 'main.tsx'), styles: path.join(appDir, 'styles.css') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    outdir: assetsDir,
    metafile: true,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const names: Record<string, string> = {};
  const assets: Record<string, AssetInfo> = {};
  for (const f of result.outputFiles) {
    const name = path.basename(f.path);
    assets[name] = writeAsset(assetsDir, name, Buffer.from(f.contents));
    if (/^main-.*\.js$/.test(name)) names.script = name;
    if (/^styles-.*\.css$/.test(name)) names.style = name;
  }
  const iconName = `icon-${sha256(ICON).slice(0, 10).toUpperCase()}.svg`;
  assets[iconName] = writeAsset(assetsDir, iconName, Buffer.from(ICON));
  if (!names.script || !names.style) throw new Error('esbuild produced no main script or stylesheet');
  const inputs: Record<string, string> = {};
  for (const rel of Object.keys(result.metafile.inputs)) inputs[rel] = sha256(fs.readFileSync(path.join(projectDir, rel)));
  inputs['gateway/web/build.ts'] = sha256(fs.readFileSync(path.join(here, 'build.ts')));
  const html = Buffer.from(indexHtml({ script: names.script, style: names.style, icon: iconName }));
  const { gz, br } = compressed(html);
  writeAtomic(path.join(outDir, 'index.html.gz'), gz);
  writeAtomic(path.join(outDir, 'index.html.br'), br);
  writeAtomic(path.join(outDir, 'index.html'), html);
  const manifest: WebManifest = {
    format: FORMAT, builtAt: new Date().toISOString(), script: names.script, style: names.style, icon: iconName, assets,
    index: { bytes: html.length, gzip: gz.length, brotli: br.length }, inputs,
  };
  writeAtomic(path.join(outDir, MANIFEST), JSON.stringify(manifest, null, 1));
  pruneAssets(assetsDir, new Set(Object.keys(assets)));
  return manifest;
}

/**
 * Removes assets of older builds after a day: a page loaded before a rebuild still finds its
 * script and stylesheet for a while.
 */
function pruneAssets(dir: string, keep: Set<string>): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const f of fs.readdirSync(dir)) {
    const base = f.replace(/\.(gz|br)$/, '');
    if (keep.has(base)) continue;
    const p = path.join(dir, f);
    try {
      if (fs.statSync(p).mtimeMs < dayAgo) fs.rmSync(p, { force: true });
    } catch {
      // removed by another build
    }
  }
}

export function readManifest(outDir = defaultDistDir): WebManifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST), 'utf8')) as WebManifest;
    return m.format === FORMAT ? m : null;
  } catch {
    return null;
  }
}

/** Why the bundle in `outDir` must be rebuilt, or null when it is current. */
export function staleReason(outDir = defaultDistDir): string | null {
  const m = readManifest(outDir);
  if (!m) return 'no bundle yet';
  for (const name of [...Object.keys(m.assets)]) if (!fs.existsSync(path.join(outDir, 'assets', name))) return `assets/${name} is missing`;
  if (!fs.existsSync(path.join(outDir, 'index.html'))) return 'index.html is missing';
  for (const [rel, hash] of Object.entries(m.inputs)) {
    let now: string;
    try {
      now = sha256(fs.readFileSync(path.join(projectDir, rel)));
    } catch {
      return `${rel} is gone`;
    }
    if (now !== hash) return `${rel} changed`;
  }
  return null;
}

/** Builds the bundle when it is missing or stale; says what it did through `say`. */
export async function ensureWebBundle(opts: { outDir?: string; say?: (msg: string) => void } = {}): Promise<{ built: boolean; manifest: WebManifest }> {
  const reason = staleReason(opts.outDir);
  if (!reason) return { built: false, manifest: readManifest(opts.outDir)! };
  opts.say?.(`building the web client (${reason}) ...`);
  const manifest = await buildWebBundle(opts);
  return { built: true, manifest };
}

/** JS + CSS of the current build (what a browser loads), for the size budget. */
export function bundleSizes(m: WebManifest): AssetInfo {
  const files = [m.script, m.style];
  return files.reduce((s, f) => ({ bytes: s.bytes + m.assets[f].bytes, gzip: s.gzip + m.assets[f].gzip, brotli: s.brotli + m.assets[f].brotli }), { bytes: 0, gzip: 0, brotli: 0 });
}
