// Serves the built web client: `/` (index.html, never cached, with the Content-Security-Policy)
// and `/assets/<fingerprinted name>` (cached for a year, immutable), each in the best encoding the
// browser accepts (brotli, gzip, identity; compressed once at build time).
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import type { HttpRoutes, RouteResult } from '../http.ts';
import { readManifest, defaultDistDir, type WebManifest } from './build.ts';
import { contentSecurityPolicy } from './csp.ts';

export type Encoding = 'br' | 'gzip' | 'identity';

/** The encoding to send for an Accept-Encoding header (RFC 9110 §12.5.3: q=0 refuses one). */
export function negotiateEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qp ? Number(qp.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const of = (name: string) => q.get(name) ?? q.get('*') ?? 0;
  if (of('br') > 0) return 'br';
  if (of('gzip') > 0) return 'gzip';
  return 'identity';
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

interface Loaded {
  manifest: WebManifest;
  mtimeMs: number;
  files: Map<string, { identity: Buffer; gzip: Buffer; br: Buffer; etag: string }>;
}

/** The bundle in memory (it is small), reloaded when a rebuild replaces the manifest. */
class Bundle {
  private loaded?: Loaded;
  private checkedAt = 0;

  constructor(private readonly dir: string) {}

  current(): Loaded | null {
    const now = Date.now();
    if (this.loaded && now - this.checkedAt < 1000) return this.loaded;
    this.checkedAt = now;
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(path.join(this.dir, 'manifest.json')).mtimeMs;
    } catch {
      this.loaded = undefined;
      return null;
    }
    if (this.loaded?.mtimeMs === mtimeMs) return this.loaded;
    const manifest = readManifest(this.dir);
    if (!manifest) return null;
    const files = new Map<string, { identity: Buffer; gzip: Buffer; br: Buffer; etag: string }>();
    const read = (rel: string) => {
      const p = path.join(this.dir, rel);
      const identity = fs.readFileSync(p);
      files.set(rel, { identity, gzip: fs.readFileSync(`${p}.gz`), br: fs.readFileSync(`${p}.br`), etag: `"${manifest.builtAt}-${identity.length}"` });
    };
    try {
      read('index.html');
      for (const name of Object.keys(manifest.assets)) read(`assets/${name}`);
    } catch {
      return null; // half-written by a build in progress: the next request tries again
    }
    this.loaded = { manifest, mtimeMs, files };
    return this.loaded;
  }
}

export interface WebClientOptions {
  /** The built bundle (default gateway/web/dist). */
  dir?: string;
  /** Origins of the storage nodes the page may upload to and show media from (read per page load). */
  storageOrigins(): string[];
  /** WebSocket URLs of the live gateways, where the page's client may move (read per page load). */
  gatewayWsUrls?(): string[];
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Troupe</title>
<p>The web client is not built yet. <code>npm start</code> builds it; so does <code>npm run troupe -- web</code>.</p>\n`;

function encoded(req: http.IncomingMessage, file: { identity: Buffer; gzip: Buffer; br: Buffer }): { body: Buffer; headers: Record<string, string> } {
  const enc = negotiateEncoding(req.headers['accept-encoding']);
  const body = enc === 'br' ? file.br : enc === 'gzip' ? file.gzip : file.identity;
  return { body, headers: { vary: 'Accept-Encoding', ...(enc === 'identity' ? {} : { 'content-encoding': enc }) } };
}

/** Adds the web client's routes: `/`, `/index.html`, `/assets/*`. */
export function webClientRoutes(routes: HttpRoutes, opts: WebClientOptions): void {
  const bundle = new Bundle(opts.dir ?? defaultDistDir);
  const page = async (req: http.IncomingMessage): Promise<RouteResult> => {
    const b = bundle.current();
    const security = {
      'content-security-policy': contentSecurityPolicy(opts.storageOrigins(), opts.gatewayWsUrls?.() ?? []),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    };
    if (!b) return { status: 503, body: Buffer.from(NOT_BUILT), headers: { ...security, 'content-type': TYPES['.html'] } };
    const file = b.files.get('index.html')!;
    if (req.headers['if-none-match'] === file.etag) return { status: 304, body: Buffer.alloc(0), headers: { ...security, etag: file.etag } };
    const { body, headers } = encoded(req, file);
    return { body, headers: { ...security, ...headers, etag: file.etag, 'content-type': TYPES['.html'] } };
  };
  routes.add('GET', '/', page);
  routes.add('GET', '/index.html', page);
  routes.add('GET', /^\/assets\/([A-Za-z0-9_.-]+)$/, async (req, _url, [name]) => {
    const file = bundle.current()?.files.get(`assets/${name}`);
    if (!file) return { status: 404, body: Buffer.from('no such asset\n'), headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } };
    const { body, headers } = encoded(req, file);
    return {
      body,
      headers: {
        ...headers,
        'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream',
        // the name changes with the content: a browser never needs to ask again
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      },
    };
  });
}
