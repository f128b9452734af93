// A slow consumer: a client that stops reading lets output pile up on its gateway until the buffer
// limit, and is then disconnected. The other clients of the same gateway keep getting every
// message without added delay, and the slow one, once it reconnects, catches up on what it missed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PushMessage, TroupeClient } from '../protocol/client/mod.ts';
import { startSystem } from './helpers/system.ts';
import { RawTcp } from './helpers/raw.ts';

const BUFFER_LIMIT = 256 * 1024;
const sys = await startSystem({ config: { maxBufferedBytes: BUFFER_LIMIT, ratePerSecond: 1000, rateBurst: 1000 } });

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

test('a client that stops reading is cut off at the buffer limit; the others see no added delay; it catches up after reconnecting', async () => {
  const users: { c: TroupeClient; id: number }[] = [];
  for (const name of ['sender', 'slowpoke', 'fast1', 'fast2']) {
    const c = await sys.client({ device: { type: 'desktop' }, timeoutMs: 20_000 });
    await c.register(name, 'password-123');
    users.push({ c, id: (await c.login(name, 'password-123')).id });
  }
  const [sender, slow, ...fast] = users;
  const room = (await sender.c.request('rooms.create', { name: 'Firehose', members: users.slice(1).map((u) => u.id) })).room.id;

  // delivery delays seen by the fast clients: the body starts with the send time
  const delays: { phase: 'alone' | 'slow'; ms: number }[] = [];
  const got = fast.map(() => [] as number[]);
  let phase: 'alone' | 'slow' = 'alone';
  fast.forEach((f, i) => f.c.on('push', (p: PushMessage) => {
    if (p.op !== 'chat.message' || p.room !== room || p.kind !== 'text') return;
    got[i].push(p.seq as number);
    delays.push({ phase, ms: Date.now() - Number(String(p.body).split('|')[0]) });
  }));
  const filler = 'x'.repeat(7900);
  let sent = 0;
  const send = async (n: number) => {
    for (let k = 0; k < n; k++) await sender.c.request('chat.send', { room, clientMsgId: `m${sent++}`, body: `${Date.now()}|${filler}` });
  };

  await send(60);

  // the slow one: logged in on a raw socket that stops reading
  const token = slow.c.token!;
  await slow.c.close();
  const raw = await RawTcp.connect(sys.gateways[0].tcpPort);
  try {
    raw.send({ op: 'auth.resume', rid: 1, token, device: { type: 'desktop' } });
    await raw.until(() => raw.frames.some((f) => f.rid === 1));
    assert.ok(raw.frames.find((f) => f.rid === 1)!.ok, JSON.stringify(raw.frames));
    raw.socket.pause();
    phase = 'slow';
    const before = sys.gateways[0].connections.size;
    // enough output to fill the kernel's socket buffers and then the gateway's limit
    for (let round = 0; round < 40 && sys.gateways[0].connections.size >= before; round++) await send(50);
    assert.ok(sys.gateways[0].connections.size < before, `the slow consumer was disconnected (sent ${sent})`);
    await send(20);
  } finally {
    raw.socket.resume();
    await raw.until(() => raw.closed, 15_000).catch(() => {});
    raw.socket.destroy();
  }
  const lastSeen = Math.max(0, ...raw.frames.filter((f) => f.op === 'chat.message' && f.room === room).map((f) => f.seq as number));

  // every message reached the fast clients, in order, and the slow one did not slow them down
  const deadline = Date.now() + 20_000;
  while (got.some((g) => g.length < sent) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const g of got) {
    assert.is(g.length, sent, 'every message, once');
    assert.equal(g, [...g].sort((a, b) => a - b), 'in order');
  }
  const alone = percentile(delays.filter((d) => d.phase === 'alone').map((d) => d.ms), 99);
  const withSlow = percentile(delays.filter((d) => d.phase === 'slow').map((d) => d.ms), 99);
  console.log(`  fast clients' p99 delivery delay: ${alone} ms alone, ${withSlow} ms beside the slow consumer; it saw up to seq ${lastSeen} of ${sent + 1}`);
  assert.ok(withSlow <= alone * 4 + 250, `p99 ${withSlow} ms beside the slow consumer vs ${alone} ms without`);

  // back, it gets exactly what it missed
  const back = await sys.client({ device: { type: 'desktop' } });
  await back.resume(token);
  const missed: number[] = [];
  let cursor = lastSeen;
  for (;;) {
    const r = await back.request('chat.sync', { rooms: { [room]: cursor } });
    const mine = r.rooms.find((x) => x.room === room);
    if (!mine || !mine.messages.length) break;
    missed.push(...mine.messages.map((m) => m.seq));
    cursor = mine.messages[mine.messages.length - 1].seq;
    if (!mine.more) break;
  }
  const total = (await back.request('chat.history', { room, limit: 1 })).messages[0].seq;
  assert.equal(missed, Array.from({ length: total - lastSeen }, (_, k) => lastSeen + 1 + k), 'what it missed, once, in order');
});

test.after(() => sys.stop());
test.run();
