// NATS and JetStream failures are classified by their type and API code, never by their text:
// a service nobody serves, one that does not answer, a stream or consumer that is not there, and a
// KV write that lost its race each take their own path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jetstreamManager, JetStreamApiCodes } from '@nats-io/jetstream';
import { callService, connectAs, ensureKv, ensureStream, isJetStreamError } from '../lib/mod.ts';
import { TroupeError } from '../protocol/mod.ts';
import { NatsLeases } from '../actors/runtime/mod.ts';
import { testConfig, startTestNats } from './helpers/env.ts';

const config = testConfig();
const nats = await startTestNats(config);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, TroupeError);
    return (e as TroupeError).code;
  }
  throw new Error('the call did not fail');
}

test('a service call nobody serves is unavailable; one nobody answers times out', async () => {
  const gw = await connectAs(config, 'gateway', 'errors-gw');
  const svc = await connectAs(config, 'host', 'errors-svc');
  try {
    assert.is(await codeOf(callService(gw, 'svc.auth.register', { name: 'nobody', password: 'long enough pw' }, 2000)), 'unavailable');
    // a subscriber that never answers
    svc.subscribe('svc.auth.register', { callback: () => {} });
    await svc.flush();
    assert.is(await codeOf(callService(gw, 'svc.auth.register', { name: 'nobody', password: 'long enough pw' }, 300)), 'timeout');
  } finally {
    await svc.close();
    await gw.close();
  }
});

test('a missing stream is created, a missing consumer reports its code', async () => {
  const host = await connectAs(config, 'host', 'errors-host');
  try {
    const jsm = await jetstreamManager(host);
    const name = 'ERRTEST';
    await jsm.streams.delete(name).catch(() => {});
    await ensureStream(host, { name, subjects: ['errtest.>'] });
    await ensureStream(host, { name, subjects: ['errtest.>'], max_msgs: 10 });
    assert.is((await jsm.streams.info(name)).config.max_msgs, 10, 'the second call updated the stream');
    const missing = await jsm.consumers.info(name, 'nobody').then(() => undefined, (e: unknown) => e);
    assert.ok(isJetStreamError(missing, JetStreamApiCodes.ConsumerNotFound));
    assert.not.ok(isJetStreamError(missing, JetStreamApiCodes.StreamNotFound));
    assert.not.ok(isJetStreamError(new Error('consumer not found'), JetStreamApiCodes.ConsumerNotFound), 'the text alone decides nothing');
    await jsm.streams.delete(name);
  } finally {
    await host.close();
  }
});

test('a lease taken or moved on by someone else is a conflict (null), not an error', async () => {
  const host = await connectAs(config, 'host', 'errors-leases');
  try {
    const leases = new NatsLeases(await ensureKv(host, 'leases', { ttl: 15_000 }));
    const key = `errtest-${Date.now()}`;
    const rev = await leases.create(key, 'a');
    assert.type(rev, 'number');
    assert.is(await leases.create(key, 'b'), null, 'created twice');
    const next = await leases.update(key, 'a', rev!);
    assert.type(next, 'number');
    assert.is(await leases.update(key, 'c', rev!), null, 'an update from a stale revision');
    await leases.release(key, rev!); // stale: ignored, the lease stays
    assert.ok((await leases.list()).some((l) => l.key === key && l.value === 'a'));
    await leases.release(key, next!);
    assert.not.ok((await leases.list()).some((l) => l.key === key));
  } finally {
    await host.close();
  }
});

test.after(() => nats.stop());
test.run();
