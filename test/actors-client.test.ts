// ActorClient.ask over fake ports: it rides out failed publishes by republishing under the same
// key, and after a reconnect it reads back a reply that was lost while the connection was away.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ActorClient, encodeJson } from '../actors/runtime/mod.ts';
import { PublishRefused, type KeyResult } from '../actors/runtime/ports.ts';
import type { Reply } from '../actors/runtime/messages.ts';
import { TroupeError } from '../protocol/mod.ts';

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  setTimer(ms: number, fn: () => void) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

/**
 * A fake JetStream (dedupe by msgId) in front of a fake actor that judges each message with
 * `judge` (default: applies it, total 7) and stores the judgement as the runtime does.
 */
function fakes(opts: { failPublishes: number; reply: boolean; error?: Error; lostAck?: boolean; judge?: () => Reply; judgeAfterMs?: number }) {
  const published: { key: string; msgId: string; replyTo?: string }[] = [];
  let listener: ((token: string, data: Uint8Array) => void) | undefined;
  const stored = new Map<string, KeyResult>();
  let failures = opts.failPublishes;
  let nonce = 0;
  const judge = opts.judge ?? ((): Reply => ({ ok: true, total: 7 }));
  const client = new ActorClient({
    mailboxes: {
      async publish(_subject, _data, o) {
        if (failures-- > 0) throw opts.error ?? new Error('jetstream is not enabled');
        const msgId = o.msgId ?? o.key;
        const first = published.findIndex((p) => p.msgId === msgId);
        if (first >= 0) return { seq: first + 1, duplicate: true };
        published.push({ key: o.key, msgId, replyTo: o.replyTo });
        const seq = published.length;
        // the "actor" judges it and stores the judgement; the reply itself is delivered or lost
        const decide = () => {
          const reply = judge();
          const final = reply.ok || reply.error.code === 'bad_request';
          if (!stored.get(o.key)?.final) stored.set(o.key, { reply, final, seq });
          if (opts.reply) setTimeout(() => listener?.(o.replyTo!, encodeJson(reply)), 5);
        };
        if (opts.judgeAfterMs) setTimeout(decide, opts.judgeAfterMs);
        else decide();
        // stored and answered, but the ack never came back
        if (opts.lostAck) throw new Error('TIMEOUT');
        return { seq, duplicate: false };
      },
      async open() {
        throw new Error('not used');
      },
    },
    replies: { subject: (t) => t, listen: (fn) => (listener = fn), close() {} },
    results: { result: async (key) => stored.get(key) },
    clock: realClock,
    partitions: 4,
    newKey: () => `n${++nonce}`,
  });
  return { client, published, stored };
}

test('a publish that fails during a leader election is retried under the same key', async () => {
  const { client, published } = fakes({ failPublishes: 3, reply: true });
  const r = await client.ask<{ total: number }>('counter', 'c', { type: 'add', n: 1 }, { key: 'same', timeoutMs: 5000 });
  assert.is(r.total, 7);
  assert.equal(published.map((p) => p.msgId), ['same'], 'one accepted publish, under the caller key');
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
  const { client } = fakes({ failPublishes: 1000, reply: true, error: new PublishRefused('connection closed') });
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
  assert.is(published.length, 1, 'the retry reached JetStream as a duplicate');
});

test('a reply lost while the connection was away is read back after the reconnect', async () => {
  const { client } = fakes({ failPublishes: 0, reply: false });
  const asked = client.ask<{ total: number }>('counter', 'c', { type: 'add', n: 1 }, { timeoutMs: 5000 });
  await new Promise((r) => setTimeout(r, 50));
  client.reconnected();
  assert.is((await asked).total, 7);
});

test('a key refused before is judged afresh when asked again inside the duplicate window', async () => {
  let member = false;
  const { client, published } = fakes({ failPublishes: 0, reply: true, judge: () => (member ? { ok: true, seq: 1 } : { ok: false, error: { code: 'forbidden', message: 'not a member' } }) });
  try {
    await client.ask('room', 'r', { type: 'post' }, { key: 'post:r:1:m1', timeoutMs: 2000 });
    assert.unreachable('refused');
  } catch (e) {
    assert.is((e as TroupeError).code, 'forbidden');
  }
  member = true;
  const r = await client.ask<{ seq: number }>('room', 'r', { type: 'post' }, { key: 'post:r:1:m1', timeoutMs: 2000 });
  assert.is(r.seq, 1, 'the retry was applied, not answered with the old refusal');
  assert.is(published.length, 2);
  assert.is(published[1].key, 'post:r:1:m1', 'the same idempotency key');
  assert.is.not(published[1].msgId, 'post:r:1:m1', 'under a fresh JetStream id');
  // and once applied, the key is final: asking again answers the same success, applying nothing
  const again = await client.ask<{ seq: number }>('room', 'r', { type: 'post' }, { key: 'post:r:1:m1', timeoutMs: 2000 });
  assert.is(again.seq, 1);
  assert.is(published.length, 2);
});

test('after a reconnect an older refusal of the key does not answer a fresh ask; its own judgement does', async () => {
  const { client, stored } = fakes({ failPublishes: 0, reply: false, judgeAfterMs: 200, judge: () => ({ ok: false, error: { code: 'forbidden', message: 'blocked' } }) });
  stored.set('k', { reply: { ok: false, error: { code: 'forbidden', message: 'old' } }, final: false, seq: 0 });
  const asked = client.ask('room', 'r', { type: 'post' }, { key: 'k', timeoutMs: 3000 });
  await new Promise((r) => setTimeout(r, 50));
  client.reconnected(); // only the older refusal is stored yet
  await new Promise((r) => setTimeout(r, 400));
  client.reconnected(); // now this ask's own judgement is
  try {
    await asked;
    assert.unreachable('refused');
  } catch (e) {
    assert.is((e as TroupeError).code, 'forbidden');
    assert.is((e as Error).message, 'blocked', 'the judgement of this ask, not the older one');
  }
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
