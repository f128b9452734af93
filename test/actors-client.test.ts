// ActorClient.ask over fake ports: it rides out failed publishes by republishing under the same
// key, and after a reconnect it reads back a reply that was lost while the connection was away.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ActorClient, encodeJson } from '../actors/runtime/mod.ts';
import { TroupeError } from '../protocol/mod.ts';

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  setTimer(ms: number, fn: () => void) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

function fakes(opts: { failPublishes: number; reply: boolean; error?: string; lostAck?: boolean }) {
  const published: { key: string; replyTo?: string }[] = [];
  let listener: ((token: string, data: Uint8Array) => void) | undefined;
  const stored = new Map<string, unknown>();
  let failures = opts.failPublishes;
  const client = new ActorClient({
    mailboxes: {
      async publish(_subject, _data, o) {
        if (failures-- > 0) throw new Error(opts.error ?? 'jetstream is not enabled');
        const duplicate = published.some((p) => p.key === o.key);
        published.push({ key: o.key, replyTo: o.replyTo });
        // the "actor" applies it and stores the reply; the reply itself is delivered or lost
        stored.set(o.key, { ok: true, total: 7 });
        if (opts.reply && !duplicate) setTimeout(() => listener?.(o.replyTo!, encodeJson({ ok: true, total: 7 })), 5);
        // stored and answered, but the ack never came back
        if (opts.lostAck && !duplicate) throw new Error('TIMEOUT');
        return { seq: published.length, duplicate };
      },
      async open() {
        throw new Error('not used');
      },
    },
    replies: { subject: (t) => t, listen: (fn) => (listener = fn), close() {} },
    results: { result: async (key) => (stored.has(key) ? { reply: stored.get(key) } : undefined) },
    clock: realClock,
    partitions: 4,
    newKey: () => 'k1',
  });
  return { client, published };
}

test('a publish that fails during a leader election is retried under the same key', async () => {
  const { client, published } = fakes({ failPublishes: 3, reply: true });
  const r = await client.ask<{ total: number }>('counter', 'c', { type: 'add', n: 1 }, { key: 'same', timeoutMs: 5000 });
  assert.is(r.total, 7);
  assert.equal(published.map((p) => p.key), ['same'], 'one accepted publish, under the caller key');
});

test('publishing that keeps failing ends in a clear unavailable error before the timeout', async () => {
  const { client } = fakes({ failPublishes: 1000, reply: true });
  const started = Date.now();
  try {
    await client.ask('counter', 'c', { type: 'add', n: 1 }, { timeoutMs: 600 });
    assert.unreachable('should have failed');
  } catch (e) {
    assert.instance(e, TroupeError);
    assert.is((e as TroupeError).code, 'unavailable');
    assert.match((e as Error).message, /retrying with the same key is safe/);
  }
  assert.ok(Date.now() - started < 1500);
});

test('a failure no retry can cure is reported at once', async () => {
  const { client } = fakes({ failPublishes: 1000, reply: true, error: 'connection closed' });
  const started = Date.now();
  try {
    await client.ask('counter', 'c', { type: 'add', n: 1 }, { timeoutMs: 5000 });
    assert.unreachable('should have failed');
  } catch (e) {
    assert.is((e as TroupeError).code, 'unavailable');
    assert.match((e as Error).message, /connection closed/);
  }
  assert.ok(Date.now() - started < 500);
});

test('a publish whose ack was lost is retried, found a duplicate, and answered by the first reply', async () => {
  const { client, published } = fakes({ failPublishes: 0, reply: true, lostAck: true });
  const r = await client.ask<{ total: number }>('counter', 'c', { type: 'add', n: 1 }, { timeoutMs: 5000 });
  assert.is(r.total, 7);
  assert.is(published.length, 2, 'the retry reached JetStream as a duplicate');
});

test('a reply lost while the connection was away is read back after the reconnect', async () => {
  const { client } = fakes({ failPublishes: 0, reply: false });
  const asked = client.ask<{ total: number }>('counter', 'c', { type: 'add', n: 1 }, { timeoutMs: 5000 });
  await new Promise((r) => setTimeout(r, 50));
  client.reconnected();
  assert.is((await asked).total, 7);
});

test('without a reply and without a reconnect the ask times out with a clear error', async () => {
  const { client } = fakes({ failPublishes: 0, reply: false });
  try {
    await client.ask('counter', 'c', { type: 'add', n: 1 }, { timeoutMs: 200 });
    assert.unreachable('should have timed out');
  } catch (e) {
    assert.is((e as TroupeError).code, 'timeout');
  }
});

test.run();
