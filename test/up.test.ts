// `npm start` end to end: `troupe up` on embedded defaults (own nats-server, PGlite) in a child
// process; a client registers and logs in over TCP and WebSocket, stores a file on the storage
// node up runs and reads it back; SIGTERM stops everything. Safe by default: it generates its
// secrets into the data dir, its nats-server refuses the old development passwords, and nothing
// it starts listens beyond loopback.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { connect } from '@nats-io/transport-node';
import { projectRoot, readSecretsFile, generatedSecrets } from '../lib/mod.ts';
import { TroupeClient } from '../protocol/client/mod.ts';
import { tempDir } from './helpers/env.ts';
import { RawTcp } from './helpers/raw.ts';
import { restartablePort } from './helpers/ports.ts';

/** `troupe up` in a child process on free ports and a fresh data dir (or the given one), once it says it is up. */
async function startUp(dataDir = tempDir('troupe-up-')) {
  const [natsPort, httpPort, tcpPort, storagePort] = [await restartablePort(), await restartablePort(), await restartablePort(), await restartablePort()];
  const env: NodeJS.ProcessEnv = { ...process.env, TROUPE_DATA_DIR: dataDir, TROUPE_STORAGE_HTTP_PORT: String(storagePort), TROUPE_NATS_PORT: String(natsPort), TROUPE_HTTP_PORT: String(httpPort), TROUPE_TCP_PORT: String(tcpPort), TROUPE_LOG_LEVEL: 'info', TROUPE_SCRYPT_COST: '1024', TROUPE_DRAIN_GRACE_MS: '1500' };
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  // the defaults: no secret, bind address or public host from the test's environment
  for (const { env: name } of generatedSecrets()) delete env[name];
  for (const name of ['TROUPE_BIND', 'TROUPE_STORAGE_BIND', 'TROUPE_NATS_BIND', 'TROUPE_PUBLIC_HOST', 'TROUPE_STORAGE_PUBLIC_URL', 'TROUPE_ADMIN_TOKEN']) delete env[name];
  const child = spawn(process.execPath, [path.join(projectRoot, 'ops', 'bootstrap.mjs'), 'up'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const up = { child, out: '', dataDir, natsPort, httpPort, tcpPort, storagePort, natsPid: 0, exited: new Promise<number | null>((r) => child.once('exit', (code) => r(code))) };
  child.stdout.on('data', (b) => (up.out += b));
  child.stderr.on('data', (b) => (up.out += b));
  process.on('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 60_000;
  while (!up.out.includes('Troupe is up.')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`troupe up did not come up:\n${up.out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  up.natsPid = Number(/"component":"nats-server","port":\d+,"natsPid":(\d+)/.exec(up.out)?.[1]);
  return up;
}

/** Addresses something listens on at `port` (TCP, IPv4 and IPv6), from /proc/net. */
function listeningAddresses(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue; // 0A: LISTEN
      const [hex, p] = local.split(':');
      if (parseInt(p, 16) !== port) continue;
      if (hex.length === 8) out.push(Buffer.from(hex, 'hex').reverse().join('.'));
      else out.push(hex === '00000000000000000000000001000000' ? '::1' : /^0+$/.test(hex) ? '::' : hex);
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('troupe up starts everything, serves clients and stops cleanly on SIGTERM', async () => {
  const up = await startUp();
  const { child, exited, dataDir, httpPort, tcpPort, storagePort, natsPid } = up;
  try {
  assert.match(up.out, new RegExp(`tcp://127\\.0\\.0\\.1:${tcpPort}`));
  assert.match(up.out, /PGlite in /);
  assert.match(up.out, new RegExp(`Storage +http://127\\.0\\.0\\.1:${storagePort} +\\(node \\S+ of group g1`));
  assert.ok(natsPid > 0, 'it started its own nats-server');

  const tcp = await TroupeClient.connect(`tcp://127.0.0.1:${tcpPort}`, { reconnect: false, heartbeatMs: 0 });
  await tcp.register('dora', 'dora-password');
  await tcp.login('dora', 'dora-password');
  const body = Buffer.from('a file kept by the storage node troupe up runs');
  const grant = await tcp.request('files.upload', { size: body.length });
  assert.is(grant.group, 'g1');
  const put = await fetch(`${grant.url}&name=up.txt`, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } });
  assert.is(put.status, 201);
  const { fileId } = await put.json() as { fileId: string };
  const read = await tcp.request('files.download', { id: fileId });
  assert.is(await (await fetch(read.urls[0])).text(), body.toString());
  assert.ok(fs.existsSync(path.join(dataDir, 'storage', 'g1', 'node.json')), 'the node keeps its data under the data dir');
  const ws = await TroupeClient.connect(`ws://127.0.0.1:${httpPort}/ws`, { reconnect: false, heartbeatMs: 0, device: { type: 'web' } });
  await ws.login('dora', 'dora-password');
  // the printed address serves the web client, allowed to reach this storage node
  assert.match(up.out, new RegExp(`Web client +http://127\\.0\\.0\\.1:${httpPort} `));
  const page = await fetch(`http://127.0.0.1:${httpPort}/`);
  assert.is(page.status, 200);
  assert.match(await page.text(), /<script type="module" src="\/assets\/main-[A-Z0-9]+\.js"><\/script>/);
  assert.match(page.headers.get('content-security-policy') ?? '', new RegExp(`connect-src 'self' http://127\\.0\\.0\\.1:${storagePort}`));
  const health = await (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).json() as { ok: boolean; connections: number };
  assert.is(health.ok, true);
  assert.is(health.connections, 2);
  const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  for (const name of ['troupe_gateway_connections', 'troupe_gateway_frames_in_total', 'troupe_gateway_request_duration_seconds_bucket', 'troupe_service_request_duration_seconds_bucket']) {
    assert.ok(metrics.includes(name), `metric ${name}`);
  }
  await tcp.close();
  await ws.close();

  // safe by default: generated secrets, kept private; the old development passwords are refused
  const secrets = readSecretsFile(path.join(dataDir, 'secrets.env'))!;
  assert.is(fs.statSync(path.join(dataDir, 'secrets.env')).mode & 0o777, 0o600);
  for (const [user, old] of [['host', 'dev-host-secret'], ['gateway', 'dev-gateway-secret'], ['storage', 'dev-storage-secret'], ['ops', 'dev-ops-secret']]) {
    let refused = '';
    await connect({ servers: `nats://127.0.0.1:${up.natsPort}`, user, pass: old, maxReconnectAttempts: 0, timeout: 5000 }).then((nc) => nc.close(), (e) => (refused = String(e)));
    assert.match(refused, /authorization/i, `${user} with ${old}`);
  }
  const nc = await connect({ servers: `nats://127.0.0.1:${up.natsPort}`, user: 'host', pass: secrets.TROUPE_NATS_HOST_PASSWORD, maxReconnectAttempts: 0, timeout: 5000 });
  await nc.close();
  for (const [what, port] of [['nats', up.natsPort], ['http', httpPort], ['tcp', tcpPort], ['storage', storagePort]] as const) {
    assert.equal(listeningAddresses(port), ['127.0.0.1'], `${what} listens on loopback only`);
  }

  // SIGTERM drains the gateway: a client still connected is told to move, then closed
  const stayer = await RawTcp.connect(tcpPort);
  child.kill('SIGTERM');
  await stayer.until(() => stayer.frames.some((f) => f.op === 'gateway.draining'), 10_000);
  await stayer.until(() => stayer.closed, 15_000);
  assert.ok(stayer.frames.some((f) => (f.error as { code?: string } | undefined)?.code === 'unavailable'), 'closed with unavailable after the grace');
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 20_000).unref())]);
  assert.is(code, 0, `exit code; output:\n${up.out.slice(-2000)}`);
  assert.not.ok(alive(natsPid), 'its nats-server stopped with it');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('a troupe up killed with SIGKILL takes its nats-server with it; a restart reuses the secrets', async () => {
  const dataDir = tempDir('troupe-up-');
  const first = await startUp(dataDir);
  first.child.kill('SIGTERM');
  await first.exited;
  const before = fs.readFileSync(path.join(dataDir, 'secrets.env'), 'utf8');
  const { child, natsPid, out } = await startUp(dataDir);
  try {
    assert.is(fs.readFileSync(path.join(dataDir, 'secrets.env'), 'utf8'), before, 'the same secrets');
    assert.match(first.out, /generated the secrets/);
    assert.not.match(out, /generated the secrets/);
    assert.ok(natsPid > 0);
    child.kill('SIGKILL');
    const until = Date.now() + 15_000;
    while (alive(natsPid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.not.ok(alive(natsPid), 'its nats-server is gone too');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test.run();
