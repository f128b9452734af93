// nats.conf: every role connects; a gateway may not publish events, pull mailboxes or touch leases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { connectAs, ensureStream, ensureKv, projectRoot } from '../lib/mod.ts';
import { findNatsServer } from '../ops/nats-server.ts';
import { testConfig, startTestNats } from './helpers/env.ts';
import { Kvm } from '@nats-io/kv';

const config = testConfig();
const nats = await startTestNats(config);

test('nats-server -t accepts nats.conf and the cluster node files as they are', () => {
  for (const f of ['nats.conf', 'nats/cluster-1.conf', 'nats/cluster-2.conf', 'nats/cluster-3.conf']) {
    const r = spawnSync(findNatsServer()!, ['-t', '-c', f], { cwd: projectRoot, encoding: 'utf8' });
    assert.is(r.status, 0, `${f}: ${r.stdout}${r.stderr}`);
  }
});

test('every role logs in with its password; a wrong password is refused', async () => {
  for (const role of ['gateway', 'host', 'storage', 'ops'] as const) {
    const nc = await connectAs(config, role, 'perm-test', { maxReconnectAttempts: 0 });
    await nc.flush();
    await nc.close();
  }
  let refused = false;
  try {
    await connectAs({ ...config, natsGatewayPassword: 'wrong' }, 'gateway', 'perm-test', { maxReconnectAttempts: 0 });
  } catch (e) {
    // says where the password comes from: secrets generated elsewhere are the likely cause
    refused = /refused user "gateway" \(.*authorization.*\): its password comes from TROUPE_NATS_GATEWAY_PASSWORD, or .*secrets\.env/i.test(String(e));
  }
  assert.ok(refused, 'wrong password must be refused');
});

/** Publishes as `role` and reports whether a host subscriber saw it and whether the server objected. */
async function tryPublish(role: 'gateway' | 'storage', subject: string): Promise<{ delivered: boolean; violation: boolean }> {
  const host = await connectAs(config, 'host', 'observer');
  const seen = host.subscribe(subject);
  let delivered = false;
  (async () => { for await (const _ of seen) delivered = true; })();
  await host.flush();
  const nc = await connectAs(config, role, 'perm-test');
  let violation = false;
  (async () => {
    for await (const s of nc.status()) if (s.type === 'error' && /permissions violation/i.test(String((s as { error?: unknown }).error))) violation = true;
  })();
  nc.publish(subject, 'x');
  await nc.flush();
  await new Promise((r) => setTimeout(r, 200));
  await nc.close();
  await host.close();
  return { delivered, violation };
}

test('a gateway may not publish on evt.> (denied publish is denied)', async () => {
  const r = await tryPublish('gateway', 'evt.user.42');
  assert.ok(r.violation, 'the server reports a permissions violation');
  assert.not.ok(r.delivered, 'nobody receives it');
});

test('a gateway may not pull actor mailboxes nor write leases; it may publish to mailboxes', async () => {
  assert.ok((await tryPublish('gateway', '$JS.API.CONSUMER.MSG.NEXT.ACTORS.p-1')).violation);
  assert.ok((await tryPublish('gateway', '$KV.leases.p.1')).violation);
  assert.ok((await tryPublish('gateway', 'storage.g1.log')).violation);
  const ok = await tryPublish('gateway', 'act.user.3.42');
  assert.not.ok(ok.violation);
  assert.ok(ok.delivered);
});

test('a storage node may append to binlogs but not publish events or user mailboxes', async () => {
  assert.not.ok((await tryPublish('storage', 'storage.g1.log')).violation);
  assert.ok((await tryPublish('storage', 'evt.room.r1')).violation);
  assert.ok((await tryPublish('storage', 'act.user.1.7')).violation);
});

test('a storage node may create and update stream STORAGE, and no other stream', async () => {
  const nc = await connectAs(config, 'storage', 'perm-test');
  await ensureStream(nc, { name: 'STORAGE', subjects: ['storage.>'] });
  await ensureStream(nc, { name: 'STORAGE', subjects: ['storage.>'], max_msg_size: 1024 * 1024 });
  let denied = false;
  try {
    await ensureStream(nc, { name: 'OTHER', subjects: ['other.>'] });
  } catch (e) {
    denied = /permission|timeout/i.test(String(e));
  }
  assert.ok(denied, 'a storage node cannot create other streams');
  await nc.close();
});

test('hosts create streams and buckets; a gateway can read KV nodes but not create streams', async () => {
  const host = await connectAs(config, 'host', 'prov');
  await ensureKv(host, 'nodes', { ttl: 15_000 });
  await ensureStream(host, { name: 'ACTORS', subjects: ['act.>'] });
  const gw = await connectAs(config, 'gateway', 'prov');
  const kv = await new Kvm(gw).open('nodes');
  await kv.put('gateway.x', '{}');
  assert.ok(await kv.get('gateway.x'));
  let denied = false;
  try {
    await ensureStream(gw, { name: 'EVIL', subjects: ['evil.>'] });
  } catch (e) {
    denied = /permission|timeout/i.test(String(e));
  }
  assert.ok(denied, 'a gateway cannot create streams');
  await gw.close();
  await host.close();
});

test.after(async () => {
  await nats.stop();
});

test.run();
