// `troupe gateway` drains on SIGTERM: it refuses new connections (TCP refused, WebSocket 503),
// leaves /api/gateways, pushes gateway.draining (naming the other live gateways) to every client,
// serves them until the grace period is over, closes the rest and exits 0; when every client has
// left it exits without waiting out the grace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import WebSocket from 'ws';
import { startSystem } from './helpers/system.ts';
import { spawnRole, type RoleProcess } from './helpers/procs.ts';
import { freePort } from './helpers/ports.ts';
import { eventually } from './helpers/storage.ts';
import { RawTcp } from './helpers/raw.ts';
import { TroupeClient, type PushMessage } from '../protocol/client/mod.ts';
import { validate, pushes } from '../protocol/mod.ts';

const sys = await startSystem({ gateways: 1 });
const stay = sys.gateways[0];

async function startGateway(id: string, graceMs: number): Promise<{ proc: RoleProcess; tcp: number; http: number }> {
  const [http, tcp] = [await freePort(), await freePort()];
  const proc = spawnRole(id, ['gateway'], { NATS_URL: sys.config.natsUrl, TROUPE_HTTP_PORT: String(http), TROUPE_TCP_PORT: String(tcp), TROUPE_NODE_ID: id, TROUPE_DRAIN_GRACE_MS: String(graceMs) });
  await proc.waitFor(/gateway listening/);
  await eventually(async () => (await stay.liveGateways()).some((g) => g.id === id), `${id} listed by the other gateway`);
  return { proc, tcp, http };
}

function refused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve('accepted'); });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

function wsStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
    ws.once('open', () => { ws.close(); resolve(101); });
    ws.once('error', reject);
  });
}

test('SIGTERM: clients are told to move and served until the grace is over; nothing new gets in', async () => {
  const graceMs = 4000;
  const { proc, tcp, http } = await startGateway('leaving', graceMs);
  const dora = await TroupeClient.connect(`tcp://127.0.0.1:${tcp}`, { reconnect: false, heartbeatMs: 0 });
  const raw = await RawTcp.connect(tcp);
  const ws = new WebSocket(`ws://127.0.0.1:${http}/ws`);
  const wsFrames: Record<string, unknown>[] = [];
  ws.on('message', (d) => wsFrames.push(JSON.parse(String(d))));
  try {
    await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
    await dora.register('dora', 'dora-password');
    await dora.login('dora', 'dora-password');
    const pushed: PushMessage[] = [];
    dora.on('push', (p: PushMessage) => pushed.push(p));
    const closedBy = new Promise<{ code: string }>((r) => dora.once('error-frame', r));
    const closed = new Promise<void>((r) => dora.once('closed', r));

    proc.signal('SIGTERM');
    await eventually(() => pushed.some((p) => p.op === 'gateway.draining'), 'dora is told to move');
    const pushedAt = Date.now();
    const { op, ...body } = pushed.find((p) => p.op === 'gateway.draining')!;
    const draining = validate(pushes[op as 'gateway.draining'].body, body);
    assert.is(draining.reason, 'shutdown');
    assert.is(draining.closeInMs, graceMs);
    assert.is(draining.retryAfterMs, graceMs / 2);
    assert.equal(draining.gateways.map((g) => [g.id, g.tcp, g.ws]), [[stay.id, `127.0.0.1:${stay.tcpPort}`, `ws://127.0.0.1:${stay.httpPort}/ws`]], 'the others, not itself');
    // every connection hears it, logged in or not, TCP or WebSocket
    await raw.until(() => raw.frames.some((f) => f.op === 'gateway.draining'));
    await eventually(() => wsFrames.some((f) => f.op === 'gateway.draining'), 'the WebSocket client is told too');

    // nothing new gets in, and the listing moves clients elsewhere
    assert.is(await refused(tcp), 'ECONNREFUSED');
    assert.is(await wsStatus(`ws://127.0.0.1:${http}/ws`), 503);
    const health = await fetch(`http://127.0.0.1:${http}/healthz`);
    assert.is(health.status, 503);
    assert.is(((await health.json()) as { draining?: boolean }).draining, true);
    const listed = (await (await fetch(`http://127.0.0.1:${http}/api/gateways`)).json()) as { gateways: { id: string }[] };
    assert.equal(listed.gateways.map((g) => g.id), [stay.id]);
    await eventually(async () => !(await stay.liveGateways()).some((g) => g.id === 'leaving'), 'the other gateway no longer lists it');

    // still served during the grace period
    assert.type((await dora.request('ping', {})).now, 'number');
    assert.ok(dora.connected);

    assert.is((await closedBy).code, 'unavailable');
    await closed;
    assert.ok(Date.now() - pushedAt >= graceMs / 2, `closed ${Date.now() - pushedAt} ms after the push, not at once`);
    await raw.until(() => raw.closed, 10_000);
    const code = await Promise.race([proc.exited, new Promise((r) => setTimeout(() => r('hung'), 20_000).unref())]);
    assert.is(code, 0, proc.output.slice(-2000));
  } finally {
    ws.terminate();
    raw.close();
    await dora.close().catch(() => {});
    if (proc.child.exitCode === null) proc.signal('SIGKILL');
  }
});

test('a draining gateway whose clients have all moved exits without waiting out the grace', async () => {
  const { proc, tcp } = await startGateway('quick', 120_000);
  const raw = await RawTcp.connect(tcp);
  try {
    proc.signal('SIGTERM');
    await raw.until(() => raw.frames.some((f) => f.op === 'gateway.draining'));
    raw.close(); // the client moves
    const code = await Promise.race([proc.exited, new Promise((r) => setTimeout(() => r('hung'), 30_000).unref())]);
    assert.is(code, 0, proc.output.slice(-2000));
  } finally {
    raw.close();
    if (proc.child.exitCode === null) proc.signal('SIGKILL');
  }
});

test.after(() => sys.stop());
test.run();
