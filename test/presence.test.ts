// Presence across two gateways and two hosts: logins and goodbyes reach the user actor, one
// connection per device type (a newer login kicks the older), and a gateway that dies (SIGKILL)
// has its connections closed by the reaper once its KV nodes entry lapses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSystem } from './helpers/system.ts';
import { spawnRole } from './helpers/procs.ts';
import { freePort } from './helpers/ports.ts';
import { TroupeClient } from '../protocol/client/mod.ts';

const sys = await startSystem({ gateways: 2, hosts: 2 });

async function eventually<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
}

test('presence follows logins and goodbyes across gateways, one connection per device type', async () => {
  const a1 = await sys.client({ gateway: 0, device: { type: 'cli' } });
  const alice = await a1.register('alice', 'alice-password');
  await a1.login('alice', 'alice-password');
  const b = await sys.client({ gateway: 1 });
  await b.register('bob', 'bob-password');
  await b.login('bob', 'bob-password');
  const query = async () => (await b.request('presence.query', { users: [alice.id] })).presence[0];

  await eventually('alice online on cli', query, (p) => p.online && p.devices.join() === 'cli');
  const a2 = await sys.client({ gateway: 1, device: { type: 'mobile' } });
  await a2.login('alice', 'alice-password');
  await eventually('alice on cli and mobile', query, (p) => p.devices.join() === 'cli,mobile');

  // a newer cli login (on the other gateway) kicks the older one with a kick frame
  const kicked = new Promise<{ code: string }>((r) => a1.once('error-frame', r));
  const a3 = await sys.client({ gateway: 1, device: { type: 'cli' } });
  await a3.login('alice', 'alice-password');
  assert.is((await kicked).code, 'kicked');
  await eventually('a1 closed', async () => a1.connected, (c) => !c);
  await eventually('still cli and mobile', query, (p) => p.devices.join() === 'cli,mobile');

  await a2.close();
  await eventually('mobile gone', query, (p) => p.devices.join() === 'cli');
  await a3.logout();
  await eventually('alice offline', query, (p) => !p.online && p.devices.length === 0 && typeof p.lastSeenAt === 'string');
});

test('connections of a gateway that dies are closed once its registry entry lapses', async () => {
  const [http, tcp] = [await freePort(), await freePort()];
  const gw = spawnRole('gateway', ['gateway'], { NATS_URL: sys.config.natsUrl, TROUPE_HTTP_PORT: String(http), TROUPE_TCP_PORT: String(tcp), TROUPE_NODE_ID: 'doomed', TROUPE_BIND: '127.0.0.1' });
  await gw.waitFor(/gateway listening/);
  const c = await TroupeClient.connect(`tcp://127.0.0.1:${tcp}`, { reconnect: false, heartbeatMs: 0, device: { type: 'desktop' } });
  const carol = await c.register('carol', 'carol-password');
  await c.login('carol', 'carol-password');
  const b = await sys.client({ gateway: 0, device: { type: 'web' } });
  await b.login('bob', 'bob-password');
  const query = async () => (await b.request('presence.query', { users: [carol.id] })).presence[0];
  await eventually('carol online', query, (p) => p.online);
  const killedAt = Date.now();
  gw.signal('SIGKILL');
  await eventually('carol offline after her gateway died', query, (p) => !p.online, 40_000);
  const took = Date.now() - killedAt;
  console.log(`carol went offline ${took} ms after her gateway was killed`);
  assert.ok(took < 30_000);
});

test.after(() => sys.stop());
test.run();
