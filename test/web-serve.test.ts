// How a gateway serves the web client, and its build: fingerprinted assets cached for good,
// index.html never cached, brotli/gzip by Accept-Encoding, a CSP without inline script that names
// the storage nodes; WebSocket upgrades from other sites' pages refused; the stale check.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import http from 'node:http';
import WebSocket from 'ws';
import { openKv } from '../lib/mod.ts';
import { buckets } from '../protocol/mod.ts';
import { buildWebBundle, staleReason, readManifest, negotiateEncoding, contentSecurityPolicy, webClientRoutes, bundleSizes } from '../gateway/web/mod.ts';
import { HttpRoutes } from '../gateway/mod.ts';
import { startSystem } from './helpers/system.ts';
import { tempDir } from './helpers/env.ts';

test('Accept-Encoding: brotli, then gzip, then none; q=0 refuses', () => {
  assert.is(negotiateEncoding('gzip, deflate, br, zstd'), 'br');
  assert.is(negotiateEncoding('gzip'), 'gzip');
  assert.is(negotiateEncoding('br;q=0, gzip;q=0.5'), 'gzip');
  assert.is(negotiateEncoding('*'), 'br');
  assert.is(negotiateEncoding('*;q=0, identity'), 'identity');
  assert.is(negotiateEncoding(undefined), 'identity');
  assert.is(negotiateEncoding('deflate'), 'identity');
});

test('the CSP: no inline script or style, storage node origins named, nothing else', () => {
  const csp = contentSecurityPolicy(['http://127.0.0.1:8090', 'http://127.0.0.1:8090/', 'http://10.0.0.5:9000/x', 'javascript:alert(1)', 'not a url']);
  const d = Object.fromEntries(csp.split('; ').map((p) => [p.split(' ')[0], p.split(' ').slice(1)]));
  assert.equal(d['default-src'], ["'none'"]);
  assert.equal(d['script-src'], ["'self'"]);
  assert.equal(d['style-src'], ["'self'"]);
  assert.equal(d['connect-src'], ["'self'", 'http://10.0.0.5:9000', 'http://127.0.0.1:8090']);
  assert.equal(d['media-src'], ["'self'", 'blob:', 'http://10.0.0.5:9000', 'http://127.0.0.1:8090']);
  assert.equal(d['frame-ancestors'], ["'none'"]);
  assert.not.match(csp, /unsafe|javascript|\*/);
});

// one build into a temp dir for the rest (the real one in gateway/web/dist is left alone)
const dir = tempDir('troupe-webbuild-');
const manifest = await buildWebBundle({ outDir: dir });

test('the build: fingerprinted script and stylesheet with compressed copies, under the size budget', () => {
  assert.match(manifest.script, /^main-[A-Z0-9]{8}\.js$/);
  assert.match(manifest.style, /^styles-[A-Z0-9]{8}\.css$/);
  for (const name of Object.keys(manifest.assets)) {
    const raw = fs.readFileSync(path.join(dir, 'assets', name));
    assert.equal(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'assets', `${name}.gz`))), raw, `${name}.gz`);
    assert.equal(zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, 'assets', `${name}.br`))), raw, `${name}.br`);
  }
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  assert.ok(html.includes(`src="/assets/${manifest.script}"`) && html.includes(`href="/assets/${manifest.style}"`));
  assert.not.match(html, /<script>|<script [^>]*>[^<]|<style|style=/, 'no inline script or style');
  // the bundle is the browser build: no Node modules, the page's WebSocket
  const js = fs.readFileSync(path.join(dir, 'assets', manifest.script), 'utf8');
  assert.not.match(js, /node:net|node:events|require\("ws"\)/);
  assert.ok(bundleSizes(manifest).gzip < 150 * 1024, 'JS + CSS under 150 KiB gzipped');
  assert.ok(Object.keys(manifest.inputs).some((f) => f.startsWith('protocol/client/')), 'it bundles protocol/client');
  assert.ok(Object.keys(manifest.inputs).includes('protocol/client/transport-browser.ts'));
  assert.not.ok(Object.keys(manifest.inputs).includes('protocol/client/transport-node.ts'));
});

test('the stale check: current after a build; a changed input or a missing asset makes it stale', () => {
  assert.is(staleReason(dir), null);
  const file = path.join(dir, 'manifest.json');
  const saved = fs.readFileSync(file, 'utf8');
  const m = JSON.parse(saved);
  m.inputs['gateway/web/app/main.tsx'] = '0'.repeat(64);
  fs.writeFileSync(file, JSON.stringify(m));
  assert.is(staleReason(dir), 'gateway/web/app/main.tsx changed');
  fs.writeFileSync(file, saved);
  fs.renameSync(path.join(dir, 'assets', manifest.style), path.join(dir, 'moved.css'));
  assert.is(staleReason(dir), `assets/${manifest.style} is missing`);
  fs.renameSync(path.join(dir, 'moved.css'), path.join(dir, 'assets', manifest.style));
  assert.is(staleReason(dir), null);
  assert.is(staleReason(tempDir('troupe-nobuild-')), 'no bundle yet');
});

async function get(base: string, p: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  // node:http, not fetch: fetch would decompress and hide Content-Encoding
  return new Promise((resolve, reject) => {
    http.get(new URL(p, base), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('serving: index.html no-cache with the CSP, assets immutable, encodings negotiated, 304, 404', async () => {
  const routes = new HttpRoutes();
  webClientRoutes(routes, { dir, storageOrigins: () => ['http://127.0.0.1:8090'] });
  const server = http.createServer((req, res) => void routes.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const page = await get(base, '/', { 'accept-encoding': 'gzip, br' });
    assert.is(page.status, 200);
    assert.is(page.headers['content-encoding'], 'br');
    assert.is(page.headers['cache-control'], 'no-cache');
    assert.is(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'; style-src 'self'; .*connect-src 'self' http:\/\/127\.0\.0\.1:8090/);
    assert.is(page.headers['x-content-type-options'], 'nosniff');
    assert.is(page.headers.vary, 'Accept-Encoding');
    assert.match(zlib.brotliDecompressSync(page.body).toString(), /<div id="app">/);
    const again = await get(base, '/', { 'if-none-match': String(page.headers.etag) });
    assert.is(again.status, 304);
    assert.is(again.body.length, 0);
    const js = await get(base, `/assets/${manifest.script}`, { 'accept-encoding': 'gzip' });
    assert.is(js.status, 200);
    assert.is(js.headers['content-encoding'], 'gzip');
    assert.is(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.is(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(zlib.gunzipSync(js.body), fs.readFileSync(path.join(dir, 'assets', manifest.script)));
    const css = await get(base, `/assets/${manifest.style}`);
    assert.is(css.headers['content-encoding'], undefined, 'identity when the client accepts no encoding');
    assert.is(css.headers['content-type'], 'text/css; charset=utf-8');
    assert.is((await get(base, '/assets/main-NOTTHERE.js')).status, 404);
    assert.is((await get(base, '/assets/../manifest.json')).status, 404);
    assert.is((await get(base, '/index.html')).status, 200);
  } finally {
    server.close();
  }
  const none = new HttpRoutes();
  webClientRoutes(none, { dir: tempDir('troupe-nobuild-'), storageOrigins: () => [] });
  const res = { status: 0, headers: {} as Record<string, unknown>, body: '' };
  await none.handle({ url: '/', method: 'GET', headers: {} } as http.IncomingMessage, {
    writeHead(status: number, headers: Record<string, unknown>) { res.status = status; res.headers = headers; return this; },
    end(b?: Buffer) { res.body = String(b ?? ''); },
  } as unknown as http.ServerResponse);
  assert.is(res.status, 503);
  assert.match(res.body, /not built yet/);
});

test('a gateway: the page names the live storage nodes; /ws refuses other sites\' pages', async () => {
  const sys = await startSystem({ config: { wsOrigins: 'http://allowed.example' } });
  try {
    const kv = await openKv(sys.hostNc, buckets.nodes);
    await kv.put('storage.fake-node', JSON.stringify({ id: 'fake-node', role: 'storage', url: 'http://10.9.8.7:8091', load: 0, startedAt: Date.now(), updatedAt: Date.now() }));
    const base = `http://127.0.0.1:${sys.gateways[0].httpPort}`;
    let csp = '';
    for (let i = 0; i < 50 && !csp.includes('10.9.8.7'); i++) {
      csp = String((await get(base, '/')).headers['content-security-policy']);
      if (!csp.includes('10.9.8.7')) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(csp, /connect-src 'self' http:\/\/10\.9\.8\.7:8091/);
    const host = `127.0.0.1:${sys.gateways[0].httpPort}`;
    const open = (origin?: string) => new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://${host}/ws`, origin ? { origin } : {});
      ws.on('open', () => { ws.close(); resolve(101); });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    assert.is(await open(), 101, 'no Origin: not a browser');
    assert.is(await open(`http://${host}`), 101, 'the gateway\'s own page');
    assert.is(await open('http://allowed.example'), 101, 'listed in --ws-origins');
    assert.is(await open('http://evil.example'), 403);
    assert.is(await open(`http://${host}.evil.example`), 403);
    assert.match(await (await fetch(`${base}/metrics`)).text(), /troupe_gateway_ws_refused_origins_total 2/);
  } finally {
    await sys.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
