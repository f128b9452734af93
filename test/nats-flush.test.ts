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

/** A host connection to listen and a gateway connection to publish, both closed afterwards. */
async function withPair(name: string, body: (host: NatsConnection, gw: NatsConnection) => Promise<void>): Promise<void> {
  const host = await connectAs(config, 'host', `${name}-host`);
  const gw = await connectAs(config, 'gateway', `${name}-gw`);
  try {
    await body(host, gw);
  } finally {
    if (!gw.isClosed()) await gw.close();
    await host.close();
  }
}

const within = <T>(p: Promise<T>, what: string) => Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(what)), 10_000))]);

test('publishes from many tasks of one turn arrive, in order', () => withPair('order', async (host, gw) => {
  const { done } = await collect(host, 'svc.flushtest.order', 300);
  // separate macrotasks, as frames read from separate sockets are
  for (let i = 0; i < 300; i++) setImmediate(() => gw.publish('svc.flushtest.order', String(i)));
  const got = await within(done, 'not all delivered');
  assert.equal(got, Array.from({ length: 300 }, (_, i) => String(i)));
}));

test('requests are answered', () => withPair('echo', async (host, gw) => {
  host.subscribe('svc.flushtest.echo', { callback: (_e, m) => {
    m.respond(m.data);
  } });
  await host.flush();
  const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => gw.request('svc.flushtest.echo', String(i), { timeout: 10_000 })));
  assert.equal(answers.map((m) => m.string()), Array.from({ length: 50 }, (_, i) => String(i)));
}));

test('what was published just before a close goes out', () => withPair('close', async (host, gw) => {
  const { done } = await collect(host, 'svc.flushtest.close', 20);
  for (let i = 0; i < 20; i++) gw.publish('svc.flushtest.close', String(i));
  await gw.close();
  const got = await within(done, 'lost at close');
  assert.is(got.length, 20);
}));

test.after(async () => {
  await nats.stop();
});
test.run();
