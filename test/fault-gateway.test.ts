// Losing a gateway, with real processes: three `troupe gateway` processes in front of one host,
// chat clients with failover spread over all three (TCP and WebSocket), each sending into one
// room while the others receive (ChatSession: every entry once, in order). One gateway is
// SIGKILLed; later every gateway is restarted in turn with SIGTERM (a drain: clients are told to
// move first). Each time, every client is back on a live gateway within 10 s, and every message
// sent is delivered exactly once, in order, to every member.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectAs } from '../lib/mod.ts';
import { startHostRole, type Stoppable } from '../ops/roles.ts';
import { TroupeClient, ChatSession, type ChatEntry } from '../protocol/client/mod.ts';
import { TroupeError } from '../protocol/mod.ts';
import { runClient, clientFlags, memoryIo } from '../ops/client/mod.ts';
import { parseConfig } from '../lib/mod.ts';
import { testConfig, startTestNats, freshDatabase, tempDir } from './helpers/env.ts';
import { spawnRole, type RoleProcess } from './helpers/procs.ts';
import { restartablePort } from './helpers/ports.ts';

const config = testConfig({ partitions: 8, scryptCost: 1024 });
const nats = await startTestNats(config);
const db = await freshDatabase();
const hostNc = await connectAs(config, 'host', 'gwfault-host');
const host: Stoppable = await startHostRole(hostNc, db.database, config, 'gwfault-host');

interface Gw {
  name: string;
  tcp: number;
  http: number;
  proc?: RoleProcess;
}
const gateways: Gw[] = [];
for (const name of ['ga', 'gb', 'gc']) gateways.push({ name, tcp: await restartablePort(), http: await restartablePort() });

async function startGateway(g: Gw): Promise<void> {
  g.proc = spawnRole(g.name, ['gateway', '--tcp-port', String(g.tcp), '--http-port', String(g.http)], {
    NATS_URL: config.natsUrl, TROUPE_NODE_ID: g.name, TROUPE_PARTITIONS: '8', TROUPE_DRAIN_GRACE_MS: '4000', TROUPE_LOG_LEVEL: 'warn',
  });
  await g.proc.waitFor(new RegExp(`gateway ${g.name}: tcp`), 60_000);
}
for (const g of gateways) await startGateway(g);

interface Member {
  name: string;
  c: TroupeClient;
  chat: ChatSession;
  got: number[];
  gone?: number;
  back: number[];
}
const members: Member[] = [];
let room = '';
let sending = false;
let sentSeqs: number[] = [];

function onLiveGateway(m: Member): boolean {
  const port = Number(new URL(m.c.url.replace(/^tcp:/, 'http:')).port);
  return m.c.connected && gateways.some((g) => (g.tcp === port || g.http === port) && g.proc && g.proc.child.exitCode === null && g.proc.child.signalCode === null);
}

async function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Each member sends one message at a time, resending with its clientMsgId until answered. */
async function sendLoop(m: Member, prefix: string): Promise<void> {
  for (let n = 0; sending; n++) {
    const id = `${prefix}-${m.name}-${n}`;
    for (;;) {
      try {
        const r = await m.chat.send({ room }, id, `${m.name} ${n}`, { timeoutMs: 5000 });
        sentSeqs.push(r.seq);
        break;
      } catch (e) {
        if (!(e instanceof TroupeError) || ['forbidden', 'not_found', 'bad_request'].includes(e.code)) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Every member got every entry of the room once, in order (the sequence has no gaps). */
async function assertDelivered(): Promise<void> {
  const last = Math.max(...sentSeqs);
  await until('every member caught up', () => members.every((m) => (m.got[m.got.length - 1] ?? 0) >= last), 30_000);
  for (const m of members) {
    const texts = m.got.filter((s) => s <= last);
    assert.equal(texts, [...new Set(texts)].sort((a, b) => a - b), `${m.name}: once each, in order`);
  }
  const everyone = members.map((m) => new Set(m.got));
  for (const s of sentSeqs) for (const [i, got] of everyone.entries()) assert.ok(got.has(s), `${members[i].name} got seq ${s}`);
}

test('setup: six members with failover, spread over the three gateways', async () => {
  for (let i = 0; i < 6; i++) {
    const g = gateways[i % 3];
    const url = i % 2 ? `ws://127.0.0.1:${g.http}/ws` : `tcp://127.0.0.1:${g.tcp}`;
    const c = await TroupeClient.connect(url, { failover: true, heartbeatMs: 2000, timeoutMs: 8000, maxReconnectDelayMs: 1000, refreshGatewaysMs: 1000, device: { type: 'desktop' } });
    await c.register(`fm${i}`, 'password-123');
    await c.login(`fm${i}`, 'password-123');
    const m: Member = { name: `fm${i}`, c, chat: new ChatSession(c, { resyncMs: 2000 }), got: [], back: [] };
    m.chat.on('entry', (e: ChatEntry) => { if (e.room === room) m.got.push(e.seq); });
    c.on('disconnected', () => { m.gone ??= Date.now(); });
    c.on('reconnected', () => { if (m.gone !== undefined) m.back.push(Date.now() - m.gone); m.gone = undefined; });
    members.push(m);
  }
  room = (await members[0].c.request('rooms.create', { name: 'Relay', members: members.slice(1).map((m) => m.c.user!.id) })).room.id;
  for (const m of members) await m.chat.start();
  // each has heard of all three gateways
  await until('every client knows the three gateways', () => members.every((m) => m.c.gateways.length === 3));
});

test('a gateway SIGKILLed under load: its clients are back on a live gateway within 10 s; nothing lost or doubled', async () => {
  sending = true;
  sentSeqs = [];
  const loops = members.map((m) => sendLoop(m, 'kill'));
  try {
    await until('some traffic', () => sentSeqs.length >= 12);
    const victim = gateways[1];
    const onVictim = members.filter((m) => Number(new URL(m.c.url.replace(/^tcp:/, 'http:')).port) === victim.tcp || Number(new URL(m.c.url.replace(/^tcp:/, 'http:')).port) === victim.http);
    assert.ok(onVictim.length >= 2, 'the victim had clients');
    victim.proc!.signal('SIGKILL');
    await victim.proc!.exited;
    const killedAt = Date.now();
    await until('every client on a live gateway', () => members.every(onLiveGateway), 20_000);
    const took = Date.now() - killedAt;
    console.log(`  all ${onVictim.length} clients of the killed gateway were on another within ${took} ms`);
    assert.ok(took <= 10_000, `back within 10 s (took ${took} ms)`);
    const moved = sentSeqs.length;
    await until('traffic after the kill', () => sentSeqs.length >= moved + 12);
  } finally {
    sending = false;
    await Promise.all(loops);
  }
  await assertDelivered();
  await startGateway(gateways[1]);
});

test('a rolling restart of every gateway with SIGTERM under load: no client stranded; nothing lost or doubled', async () => {
  sending = true;
  sentSeqs = [];
  const loops = members.map((m) => sendLoop(m, 'roll'));
  try {
    await until('some traffic', () => sentSeqs.length >= 12);
    for (const g of gateways) {
      const t0 = Date.now();
      g.proc!.signal('SIGTERM');
      // its clients were told to move and do so before it closes them
      await until(`${g.name}'s clients moved`, () => members.every((m) => !m.c.url.includes(`:${g.tcp}`) && !m.c.url.includes(`:${g.http}/`)), 10_000);
      const code = await g.proc!.exited;
      assert.is(code, 0, `${g.name} drained and exited cleanly`);
      await until('every client on a live gateway', () => members.every(onLiveGateway), 10_000);
      console.log(`  ${g.name}: drained in ${Date.now() - t0} ms`);
      await startGateway(g);
      const before = sentSeqs.length;
      await until('traffic after the restart', () => sentSeqs.length >= before + 6);
    }
  } finally {
    sending = false;
    await Promise.all(loops);
  }
  await assertDelivered();
});

test('the terminal client: listen keeps receiving across the loss of its gateway; a restart from the profile works with its endpoint down', async () => {
  const home = tempDir('troupe-failover-cli-');
  const cli = async (...argv: string[]) => {
    const io = memoryIo();
    const code = await runClient(parseConfig(['client'], ['--profile', 'bob', ...argv], clientFlags, { TROUPE_CLIENT_HOME: home }), io, { TROUPE_PASSWORD: 'password-123' });
    return { code, out: io.stdout, err: io.stderr.join('\n') };
  };
  const endpoint = gateways[0];
  assert.is((await cli('register', 'bob', '--url', `http://127.0.0.1:${endpoint.http}`)).code, 0);
  assert.is((await cli('login', 'bob', '--url', `http://127.0.0.1:${endpoint.http}`)).code, 0);
  const bobId = (await members[0].c.request('users.find', { query: 'bob' })).users[0].id;
  const connections = async () => Promise.all(gateways.map(async (g) => {
    try {
      return ((await (await fetch(`http://127.0.0.1:${g.http}/healthz`)).json()) as { connections: number }).connections;
    } catch {
      return -1;
    }
  }));
  const before = await connections();
  const listening = cli('listen', '--for', '14');
  // which gateway the endpoint handed bob to: the one that gained a connection
  let bobs = -1;
  const deadline = Date.now() + 10_000;
  while (bobs < 0 && Date.now() < deadline) {
    const now = await connections();
    bobs = now.findIndex((n, i) => n === before[i] + 1);
    if (bobs < 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(bobs >= 0, 'found bob\'s gateway');
  await new Promise((r) => setTimeout(r, 500));
  gateways[bobs].proc!.signal('SIGKILL');
  await gateways[bobs].proc!.exited;
  const alice = members.find((m) => onLiveGateway(m))!;
  for (let i = 1; i <= 5; i++) await alice.chat.send({ to: bobId }, `after-kill-${i}`, `message ${i} after the kill`, { timeoutMs: 8000 });
  const r = await listening;
  assert.is(r.code, 0, r.err);
  const got = r.out.filter((l) => l.includes('after the kill')).map((l) => l.split('\t')[5]);
  assert.equal(got, [1, 2, 3, 4, 5].map((i) => `message ${i} after the kill`), `all five, once, in order:\n${r.out.join('\n')}\n${r.err}`);

  // the endpoint the profile remembers is gone too: a new run goes to a gateway the profile heard of
  if (gateways[0].proc!.child.exitCode === null && gateways[0].proc!.child.signalCode === null) {
    gateways[0].proc!.signal('SIGKILL');
    await gateways[0].proc!.exited;
  }
  await until('every member on a live gateway', () => members.every(onLiveGateway), 20_000);
  await alice.chat.send({ to: bobId }, 'after-both', 'one more', { timeoutMs: 8000 });
  const synced = await cli('sync');
  assert.is(synced.code, 0, synced.err);
  assert.ok(synced.out.some((l) => l.endsWith('\tone more')), synced.out.join('\n') + synced.err);
  for (const g of gateways) if (g.proc!.child.exitCode !== null || g.proc!.child.signalCode !== null) await startGateway(g);
});

test.after(async () => {
  sending = false;
  for (const m of members) {
    m.chat.stop();
    await m.c.close().catch(() => {});
  }
  for (const g of gateways) g.proc?.signal('SIGKILL');
  await Promise.all(gateways.map((g) => g.proc?.exited));
  await host.stop();
  await hostNc.close();
  await db.drop();
  await nats.stop();
});
test.run();
