import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);

// gateway/web/build.ts
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
var here = path.dirname(fileURLToPath(import.meta.url));
var projectDir = path.resolve(here, "..", "..");
var appDir = path.join(here, "app");
var defaultDistDir = path.join(here, "dist");
var MANIFEST = "manifest.json";
var FORMAT = 3;
var sha256 = (b) => createHash("sha256").update(b).digest("hex");
var ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/><path d="M9 10h14a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-8l-5 4v-4H9a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2z" fill="#fff"/></svg>\n';
function indexHtml(m) {
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
<div id="app"><p class="boot">Loading Troupe\u2026</p></div>
<noscript><p class="boot">Troupe's web client needs JavaScript.</p></noscript>
</body>
</html>
`;
}
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
function compressed(data) {
  return {
    gz: zlib.gzipSync(data, { level: 9 }),
    br: zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } })
  };
}
function writeAsset(dir, name, data) {
  const { gz, br } = compressed(data);
  const file = path.join(dir, name);
  if (!fs.existsSync(file) || !name.match(/-[A-Z0-9]{8,}\./i)) {
    writeAtomic(`${file}.gz`, gz);
    writeAtomic(`${file}.br`, br);
    writeAtomic(file, data);
  }
  return { bytes: data.length, gzip: gz.length, brotli: br.length };
}
async function buildWebBundle(opts = {}) {
  const outDir = opts.outDir ?? defaultDistDir;
  const assetsDir = path.join(outDir, "assets");
  fs.mkdirSync(assetsDir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: projectDir,
    entryPoints: { main: path.join(appDir, "main.tsx"), styles: path.join(appDir, "styles.css") },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome110", "firefox110", "safari16"],
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    sourcemap: "linked",
    entryNames: "[name]-[hash]",
    outdir: assetsDir,
    metafile: true,
    write: false,
    logLevel: "silent",
    legalComments: "none"
  });
  const names = {};
  const assets = {};
  for (const f of result.outputFiles) {
    const name = path.basename(f.path);
    assets[name] = writeAsset(assetsDir, name, Buffer.from(f.contents));
    if (/^main-.*\.js$/.test(name)) names.script = name;
    if (/^styles-.*\.css$/.test(name)) names.style = name;
  }
  const iconName = `icon-${sha256(ICON).slice(0, 10).toUpperCase()}.svg`;
  assets[iconName] = writeAsset(assetsDir, iconName, Buffer.from(ICON));
  if (!names.script || !names.style) throw new Error("esbuild produced no main script or stylesheet");
  const inputs = {};
  for (const rel of Object.keys(result.metafile.inputs)) inputs[rel] = sha256(fs.readFileSync(path.join(projectDir, rel)));
  inputs[path.relative(projectDir, fileURLToPath(import.meta.url))] = sha256(fs.readFileSync(fileURLToPath(import.meta.url)));
  const html = Buffer.from(indexHtml({ script: names.script, style: names.style, icon: iconName }));
  const { gz, br } = compressed(html);
  writeAtomic(path.join(outDir, "index.html.gz"), gz);
  writeAtomic(path.join(outDir, "index.html.br"), br);
  writeAtomic(path.join(outDir, "index.html"), html);
  const manifest = {
    format: FORMAT,
    builtAt: (/* @__PURE__ */ new Date()).toISOString(),
    script: names.script,
    style: names.style,
    icon: iconName,
    assets,
    index: { bytes: html.length, gzip: gz.length, brotli: br.length },
    inputs
  };
  writeAtomic(path.join(outDir, MANIFEST), JSON.stringify(manifest, null, 1));
  pruneAssets(assetsDir, new Set(Object.keys(assets)));
  return manifest;
}
function pruneAssets(dir, keep) {
  const dayAgo = Date.now() - 24 * 36e5;
  for (const f of fs.readdirSync(dir)) {
    const base = f.replace(/\.(gz|br)$/, "");
    if (keep.has(base)) continue;
    const p = path.join(dir, f);
    try {
      if (fs.statSync(p).mtimeMs < dayAgo) fs.rmSync(p, { force: true });
    } catch {
    }
  }
}
function readManifest(outDir = defaultDistDir) {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST), "utf8"));
    return m.format === FORMAT ? m : null;
  } catch {
    return null;
  }
}
function staleReason(outDir = defaultDistDir) {
  const m = readManifest(outDir);
  if (!m) return "no bundle yet";
  for (const name of [...Object.keys(m.assets)]) if (!fs.existsSync(path.join(outDir, "assets", name))) return `assets/${name} is missing`;
  if (!fs.existsSync(path.join(outDir, "index.html"))) return "index.html is missing";
  for (const [rel, hash] of Object.entries(m.inputs)) {
    let now;
    try {
      now = sha256(fs.readFileSync(path.join(projectDir, rel)));
    } catch {
      return `${rel} is gone`;
    }
    if (now !== hash) return `${rel} changed`;
  }
  return null;
}
async function ensureWebBundle(opts = {}) {
  const reason = staleReason(opts.outDir);
  if (!reason) return { built: false, manifest: readManifest(opts.outDir) };
  opts.say?.(`building the web client (${reason}) ...`);
  const manifest = await buildWebBundle(opts);
  return { built: true, manifest };
}
function bundleSizes(m) {
  const files = [m.script, m.style];
  return files.reduce((s, f) => ({ bytes: s.bytes + m.assets[f].bytes, gzip: s.gzip + m.assets[f].gzip, brotli: s.brotli + m.assets[f].brotli }), { bytes: 0, gzip: 0, brotli: 0 });
}

// gateway/web/serve.ts
import fs2 from "node:fs";
import path2 from "node:path";

// gateway/web/csp.ts
function originOf(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : null;
  } catch {
    return null;
  }
}
function wsOriginOf(url) {
  try {
    const u = new URL(url);
    return u.protocol === "ws:" || u.protocol === "wss:" ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}
function contentSecurityPolicy(storageUrls, gatewayWsUrls = []) {
  const nodes = [...new Set(storageUrls.map(originOf).filter((o) => o !== null))].sort();
  const gateways = [...new Set(gatewayWsUrls.map(wsOriginOf).filter((o) => o !== null))].sort();
  const media = ["'self'", "blob:", ...nodes].join(" ");
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${media}`,
    `media-src ${media}`,
    `connect-src ${["'self'", ...nodes, ...gateways].join(" ")}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join("; ");
}

// gateway/web/serve.ts
function negotiateEncoding(header) {
  if (!header) return "identity";
  const q = /* @__PURE__ */ new Map();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = qp ? Number(qp.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const of = (name) => q.get(name) ?? q.get("*") ?? 0;
  if (of("br") > 0) return "br";
  if (of("gzip") > 0) return "gzip";
  return "identity";
}
var TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".map": "application/json",
  ".html": "text/html; charset=utf-8"
};
var Bundle = class {
  constructor(dir) {
    this.dir = dir;
  }
  dir;
  loaded;
  checkedAt = 0;
  current() {
    const now = Date.now();
    if (this.loaded && now - this.checkedAt < 1e3) return this.loaded;
    this.checkedAt = now;
    let mtimeMs;
    try {
      mtimeMs = fs2.statSync(path2.join(this.dir, "manifest.json")).mtimeMs;
    } catch {
      this.loaded = void 0;
      return null;
    }
    if (this.loaded?.mtimeMs === mtimeMs) return this.loaded;
    const manifest = readManifest(this.dir);
    if (!manifest) return null;
    const files = /* @__PURE__ */ new Map();
    const read = (rel) => {
      const p = path2.join(this.dir, rel);
      const identity = fs2.readFileSync(p);
      files.set(rel, { identity, gzip: fs2.readFileSync(`${p}.gz`), br: fs2.readFileSync(`${p}.br`), etag: `"${manifest.builtAt}-${identity.length}"` });
    };
    try {
      read("index.html");
      for (const name of Object.keys(manifest.assets)) read(`assets/${name}`);
    } catch {
      return null;
    }
    this.loaded = { manifest, mtimeMs, files };
    return this.loaded;
  }
};
var NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Troupe</title>
<p>The web client is not built yet. <code>npm start</code> builds it; so does <code>npm run troupe -- web</code>.</p>
`;
function encoded(req, file) {
  const enc = negotiateEncoding(req.headers["accept-encoding"]);
  const body = enc === "br" ? file.br : enc === "gzip" ? file.gzip : file.identity;
  return { body, headers: { vary: "Accept-Encoding", ...enc === "identity" ? {} : { "content-encoding": enc } } };
}
function webClientRoutes(routes, opts) {
  const bundle = new Bundle(opts.dir ?? defaultDistDir);
  const page = async (req) => {
    const b = bundle.current();
    const security = {
      "content-security-policy": contentSecurityPolicy(opts.storageOrigins(), opts.gatewayWsUrls?.() ?? []),
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "no-cache"
    };
    if (!b) return { status: 503, body: Buffer.from(NOT_BUILT), headers: { ...security, "content-type": TYPES[".html"] } };
    const file = b.files.get("index.html");
    if (req.headers["if-none-match"] === file.etag) return { status: 304, body: Buffer.alloc(0), headers: { ...security, etag: file.etag } };
    const { body, headers } = encoded(req, file);
    return { body, headers: { ...security, ...headers, etag: file.etag, "content-type": TYPES[".html"] } };
  };
  routes.add("GET", "/", page);
  routes.add("GET", "/index.html", page);
  routes.add("GET", /^\/assets\/([A-Za-z0-9_.-]+)$/, async (req, _url, [name]) => {
    const file = bundle.current()?.files.get(`assets/${name}`);
    if (!file) return { status: 404, body: Buffer.from("no such asset\n"), headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } };
    const { body, headers } = encoded(req, file);
    return {
      body,
      headers: {
        ...headers,
        "content-type": TYPES[path2.extname(name)] ?? "application/octet-stream",
        // the name changes with the content: a browser never needs to ask again
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff"
      }
    };
  });
}

export {
  defaultDistDir,
  buildWebBundle,
  staleReason,
  ensureWebBundle,
  bundleSizes,
  webClientRoutes
};
