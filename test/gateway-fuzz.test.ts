// Thousands of random, malformed and truncated frames thrown at a running gateway over many
// connections; afterwards a well-behaved client on the same gateway must still be served.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeFrame, ops } from '../protocol/mod.ts';
import { startSystem } from './helpers/system.ts';
import { RawTcp } from './helpers/raw.ts';
import { prng } from './helpers/prng.ts';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1e9);
console.log(`fuzz seed ${seed} (FUZZ_SEED=${seed} replays it)`);
const rand = prng(seed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const sys = await startSystem({ config: { maxFrameBytes: 4096, discardLimitBytes: 32_768, rateBurst: 1000, ratePerSecond: 1000 } });
const port = sys.gateways[0].tcpPort;

function randomValue(depth = 0): unknown {
  switch (Math.floor(rand() * (depth > 2 ? 5 : 7))) {
    case 0: return Math.floor(rand() * 2 ** 40) * (rand() < 0.5 ? -1 : 1);
    case 1: return rand() < 0.5 ? 'x'.repeat(Math.floor(rand() * 200)) : String.fromCharCode(...Array.from({ length: 8 }, () => Math.floor(rand() * 0xffff)));
    case 2: return rand() < 0.5;
    case 3: return null;
    case 4: return rand();
    case 5: return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(depth + 1));
    default: return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, () => [pick(['name', 'password', 'token', 'device', 't', 'x', '__proto__', 'constructor']), randomValue(depth + 1)]));
  }
}

function randomFrame(): Buffer {
  const opNames = Object.keys(ops);
  switch (Math.floor(rand() * 8)) {
    case 0: return Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)));
    case 1: {
      const body = Buffer.from(Array.from({ length: Math.floor(rand() * 100) }, () => Math.floor(rand() * 256)));
      const h = Buffer.alloc(4);
      h.writeUInt32BE(body.length);
      return Buffer.concat([h, body]);
    }
    case 2: {
      const f = encodeFrame({ op: pick(opNames), rid: Math.floor(rand() * 1000), ...(randomValue() as object) });
      return f.subarray(0, Math.floor(rand() * f.length));
    }
    case 3: return encodeFrame(randomValue());
    case 4: {
      const h = Buffer.alloc(4);
      h.writeUInt32BE(4096 + Math.floor(rand() * 20_000));
      return Buffer.concat([h, Buffer.alloc(Math.floor(rand() * 1000), 0x7b)]);
    }
    case 5: return encodeFrame({ op: pick(opNames), rid: rand() < 0.8 ? Math.floor(rand() * 1e6) : randomValue(), ...(randomValue() as object) });
    case 6: return encodeFrame({ op: pick([...opNames, 'x', '', 'a.b.c.d', '../../etc', 'auth.login\u0000']), rid: 1, name: randomValue(), password: randomValue(), device: randomValue() });
    default: {
      const h = Buffer.alloc(4);
      h.writeUInt32BE(Math.floor(rand() * 2 ** 32));
      return h;
    }
  }
}

test('thousands of hostile frames do not hurt a well-behaved client', async () => {
  const good = await sys.client();
  await good.register('wellbehaved', 'password1');
  await good.login('wellbehaved', 'password1');
  let frames = 0;
  const workers = Array.from({ length: 8 }, async () => {
    for (let round = 0; round < 12; round++) {
      const c = await RawTcp.connect(port);
      const n = 20 + Math.floor(rand() * 40);
      for (let i = 0; i < n && !c.closed; i++) {
        c.write(randomFrame());
        frames++;
        if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      }
      if (rand() < 0.5) await new Promise((r) => setTimeout(r, Math.floor(rand() * 20)));
      c.close();
    }
  });
  const pings = (async () => {
    for (let i = 0; i < 20; i++) {
      const r = await good.request('ping', { t: i });
      assert.is(r.t, i);
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  await Promise.all([...workers, pings]);
  assert.ok(frames >= 2000, `${frames} hostile frames sent`);
  // the good client is still logged in and served, and new clients can still log in
  assert.is((await good.request('ping', { t: 99 })).t, 99);
  const again = await sys.client({ via: 'ws' });
  await again.login('wellbehaved', 'password1');
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(sys.gateways[0].connections.size <= 3, `hostile connections were all cleaned up (${sys.gateways[0].connections.size} open)`);
});

test.after(() => sys.stop());
test.run();
