// Every limit is enforced with a clear error frame; where it is safe the connection stays usable.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { startSystem } from './helpers/system.ts';
import { RawTcp } from './helpers/raw.ts';

const sys = await startSystem({
  config: { maxFrameBytes: 1024, discardLimitBytes: 8192, rateBurst: 20, ratePerSecond: 10, loginTimeoutMs: 600, idleTimeoutMs: 900, maxConnections: 6, maxInFlight: 1 },
});
const port = sys.gateways[0].tcpPort;
const errorCode = (f: Record<string, unknown>) => (f.error as { code: string } | undefined)?.code;

test('bad JSON, unknown op and wrong types get errors; the connection keeps working', async () => {
  const c = await RawTcp.connect(port);
  const body = Buffer.from('{not json');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  c.write(Buffer.concat([head, body]));
  assert.is(errorCode(await c.frame(0)), 'bad_json');
  c.send({ op: 'no.such.op', rid: 7 });
  const unknown = await c.reply(7);
  assert.is(errorCode(unknown), 'unknown_op');
  c.send({ op: 'ping', rid: 8, t: 'not a number' });
  assert.is(errorCode(await c.reply(8)), 'bad_request');
  c.send({ op: 'ping', rid: 9, t: 1 });
  assert.is((await c.reply(9)).ok, true);
  c.close();
});

test('an oversized frame is refused and skipped; a huge length closes the connection', async () => {
  const c = await RawTcp.connect(port);
  const big = JSON.stringify({ op: 'ping', rid: 1, pad: 'x'.repeat(3000) });
  const head = Buffer.alloc(4);
  head.writeUInt32BE(Buffer.byteLength(big));
  c.write(Buffer.concat([head, Buffer.from(big)]));
  assert.is(errorCode(await c.frame(0)), 'frame_too_large');
  c.send({ op: 'ping', rid: 2 });
  assert.is((await c.reply(2)).ok, true, 'still usable after the skipped frame');
  const huge = Buffer.alloc(4);
  huge.writeUInt32BE(1 << 30);
  c.write(huge);
  await c.until(() => c.closed);
  assert.is(errorCode(c.frames[c.frames.length - 1]), 'frame_too_large');
});

test('the login deadline closes connections that never log in', async () => {
  const c = await RawTcp.connect(port);
  c.send({ op: 'ping', rid: 1 });
  await c.until(() => c.closed, 3000);
  assert.is(errorCode(c.frames[c.frames.length - 1]), 'login_timeout');
});

test('auth-only ops need a login', async () => {
  const c = await RawTcp.connect(port);
  c.send({ op: 'auth.logout', rid: 1 });
  assert.is(errorCode(await c.reply(1)), 'unauthenticated');
  c.close();
});

test('idle connections are closed; pings keep them open', async () => {
  const client = await sys.client();
  await client.register('idler', 'password1');
  await client.login('idler', 'password1');
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 400));
    await client.request('ping', {});
  }
  assert.ok(client.connected, 'pinging client survives 1.6 s with a 0.9 s idle timeout');
  const errors: { code: string }[] = [];
  client.on('error-frame', (e) => errors.push(e));
  await new Promise((r) => setTimeout(r, 2200));
  assert.not.ok(client.connected);
  assert.is(errors[0]?.code, 'idle_timeout');
});

test('the rate limit answers rate_limited beyond the burst', async () => {
  const client = await sys.client();
  const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => client.request('ping', { t: i })));
  const limited = results.filter((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'rate_limited').length;
  assert.ok(limited >= 15, `${limited} of 40 rate limited`);
  assert.ok(limited <= 25, `${limited} of 40 rate limited`);
  await new Promise((r) => setTimeout(r, 500));
  await client.request('ping', {});
});

test('at most maxInFlight unanswered requests per connection', async () => {
  const c = await RawTcp.connect(port);
  c.send({ op: 'auth.register', rid: 1, name: 'inflight1', password: 'password1' });
  c.send({ op: 'auth.register', rid: 2, name: 'inflight2', password: 'password1' });
  assert.is((await c.reply(1)).ok, true);
  assert.is(errorCode(await c.reply(2)), 'too_many_in_flight');
  c.close();
});

test('WebSocket: oversized and binary messages get errors, the connection stays', async () => {
  const ws = new WebSocket(sys.wsUrl());
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ op: 'ping', rid: 1, pad: 'x'.repeat(2000) }));
  ws.send(Buffer.from([1, 2, 3]), { binary: true });
  ws.send(JSON.stringify({ op: 'ping', rid: 2 }));
  const deadline = Date.now() + 3000;
  while (frames.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(frames.map((f) => errorCode(f) ?? 'ok'), ['frame_too_large', 'bad_frame', 'ok']);
  ws.close();
});

test('connections beyond the gateway maximum are refused with an error', async () => {
  await new Promise((r) => setTimeout(r, 300));
  const open: RawTcp[] = [];
  let refused: RawTcp | undefined;
  for (let i = 0; i < 10 && !refused; i++) {
    const c = await RawTcp.connect(port);
    c.send({ op: 'ping', rid: 1 });
    await c.until(() => c.frames.length > 0 || c.closed);
    if (c.closed || errorCode(c.frames[0]) === 'too_many_connections') refused = c;
    else open.push(c);
  }
  assert.ok(refused, 'a connection was refused');
  assert.is(errorCode(refused!.frames[0]), 'too_many_connections');
  assert.ok(open.length <= 6);
  for (const c of open) c.close();
});

test.after(() => sys.stop());
test.run();
