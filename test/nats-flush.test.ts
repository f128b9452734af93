// A gateway's NATS connection writes once per event-loop turn (lib/nats.ts flushPerTurn): what it
// publishes arrives in order, requests are answered, and what was published just before a close
// still goes out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectAs, type NatsConnection } from '../lib/mod.ts';
import { testConfig, startTestNats } from './helpers/env.ts';

const config = testConfig();
const nats = await startTestNats(config);

async function collect(nc: NatsConnection, subject: string, n: number): Promise<{ done: Promise<string[]> }> {
  const got: string[] = [];
  let finish!: (v: string[]) => void;
  const done = new Promise<string[]>((r) => (finish = r));
  nc.subscribe(subject, { callback: (_e, m) => {
    got.push(m.string());
    if (got.length === n) finish(got);
  } });
  await nc.flush();
  return { done };
}

test('publishes from many tasks of one turn arrive, in order', async () => {
  const host = await connectAs(config, 'host', 'flush-host');
  const gw = await connectAs(config, 'gateway', 'flush-gw');
  try {
    const { done } = await collect(host, 'svc.flushtest.order', 300);
    // separate macrotasks, as frames read from separate sockets are
    for (let i = 0; i < 300; i++) setImmediate(() => gw.publish('svc.flushtest.order', String(i)));
    const got = await Promise.race([done, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('not all delivered')), 10_000))]);
    assert.equal(got, Array.from({ length: 300 }, (_, i) => String(i)));
  } finally {
    await gw.close();
    await host.close();
  }
});

test('requests are answered', async () => {
  const host = await connectAs(config, 'host', 'flush-host2');
  const gw = await connectAs(config, 'gateway', 'flush-gw2');
  try {
    host.subscribe('svc.flushtest.echo', { callback: (_e, m) => {
      m.respond(m.data);
    } });
    await host.flush();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => gw.request('svc.flushtest.echo', String(i), { timeout: 10_000 })));
    assert.equal(answers.map((m) => m.string()), Array.from({ length: 50 }, (_, i) => String(i)));
  } finally {
    await gw.close();
    await host.close();
  }
});

test('what was published just before a close goes out', async () => {
  const host = await connectAs(config, 'host', 'flush-host3');
  const gw = await connectAs(config, 'gateway', 'flush-gw3');
  try {
    const { done } = await collect(host, 'svc.flushtest.close', 20);
    for (let i = 0; i < 20; i++) gw.publish('svc.flushtest.close', String(i));
    await gw.close();
    const got = await Promise.race([done, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('lost at close')), 10_000))]);
    assert.is(got.length, 20);
  } finally {
    if (!gw.isClosed()) await gw.close();
    await host.close();
  }
});

test.after(async () => {
  await nats.stop();
});
test.run();
