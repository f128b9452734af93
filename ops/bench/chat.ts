// npm run bench -- chat: simulated WebSocket clients on two gateway processes (one host process):
// direct messages delivered per second with send-to-delivery latency, a 500-member room's
// deliveries per second, and how many idle logged-in connections one gateway holds and its memory
// per connection; beside the actors ceiling (ask() on a counter, same host) measured in this run.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { natsActorClient } from '../../actors/runtime/mod.ts';
import { TroupeClient, type PushMessage } from '../../protocol/client/mod.ts';
import { benchEnv, closedLoop, connectAs, spawnRole, stopAll, percentiles, type LoadResult } from './harness.ts';
import { CpuMeter, cpuPerOp, formatCpu, formatSyscalls, postgresBackends, type CpuSample } from './cpu.ts';
import { queryRows } from '../../schema/mod.ts';
import { projectRoot } from '../../lib/mod.ts';
import { sql } from 'drizzle-orm';
import type { Benchmark } from './mod.ts';
import type { ClientsPlan } from './chat-clients.ts';
import { freePortOf } from './ports.ts';

const PASSWORD = 'bench-password';
const DEVICES = ['desktop', 'mobile', 'web', 'cli', 'bot'] as const;

async function waitHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function gatewayMemory(http: string): Promise<{ rss: number; heap: number; connections: number }> {
  const text = await (await fetch(`${http}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const health = (await (await fetch(`${http}/healthz`)).json()) as { connections: number };
  return { rss: metric('troupe_process_process_resident_memory_bytes'), heap: metric('troupe_process_nodejs_heap_size_used_bytes'), connections: health.connections };
}

async function pool<T>(items: T[], concurrency: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}

type CpuRow = { sample: CpuSample; ops: number };
const perOp = (x: CpuRow, ...groups: string[]) => cpuPerOp(x.sample, x.ops, ...groups);
const allPerOp = (x: CpuRow) => cpuPerOp(x.sample, x.ops);

/**
 * What the WebSocket transport alone leaves of the goal (issue #11: direct messages at 0.8 of the
 * ask ceiling): a direct message pays for two gateways and the clients' frames besides its durable
 * part, on the same cores. Supposing its durable part (host, nats-server, Postgres, and the
 * client's ask) cost no more than a counter's ask, at the CPU the direct messages used the rate
 * could reach at most this.
 */
function dmBound(ask: CpuRow, dm: CpuRow, seconds: number, rate: number, ceiling: number): string {
  const transport = perOp(dm, 'gateway a', 'gateway b', 'clients') - perOp(ask, 'gateway a', 'gateway b', 'clients');
  // the CPU of the run over its sending time (deliveries in flight at its end are counted too)
  const cores = (allPerOp(dm) * dm.ops) / (seconds * 1e6);
  const least = allPerOp(ask) + transport;
  const bound = (c: number) => `${((c * 1e6) / least).toFixed(0)}/s = ${((c * 1e6) / least / ceiling).toFixed(2)}x of the ceiling`;
  return `bound for direct messages: the transport (both gateways, the clients' frames beyond an ask's) costs ${transport.toFixed(0)} µs per message; `
    + `a direct message whose durable part cost a counter's ask (${allPerOp(ask).toFixed(0)} µs) would reach at most ${bound(cores)} at the ${cores.toFixed(2)} cores `
    + `they used, ${bound(availableParallelism())} with all ${availableParallelism()} busy; at their own cost (${allPerOp(dm).toFixed(0)} µs) with all busy, `
    + `${((availableParallelism() * 1e6) / allPerOp(dm) / ceiling).toFixed(2)}x (measured: ${(rate / ceiling).toFixed(2)}x; their own durable part cost ${perOp(dm, 'host', 'nats-server', 'postgres').toFixed(0)} µs against the ask's ${perOp(ask, 'host', 'nats-server', 'postgres').toFixed(0)})`;
}

export const chatBench: Benchmark = {
  name: 'chat',
  summary: 'direct and 500-member room deliveries over WebSocket on two gateways; idle connections and memory per connection',
  async run({ seconds, concurrency }) {
    const env = await benchEnv({ partitions: 64 });
    if (!env.databaseUrl) throw new Error('the chat benchmark runs host and gateways as processes and needs Postgres (TROUPE_BENCH_DATABASE_URL)');
    const children: ChildProcess[] = [];
    const clients: TroupeClient[] = [];
    const nc = await connectAs(env.config, 'gateway', 'bench');
    try {
      const base = { NATS_URL: env.config.natsUrl, TROUPE_PARTITIONS: '64' };
      const host = spawnRole(['host'], { ...base, DATABASE_URL: env.databaseUrl, TROUPE_SCRYPT_COST: '1024', TROUPE_NODE_ID: 'bench-host' });
      children.push(host);
      const gw: { ws: string; http: string; pid: number }[] = [];
      for (const name of ['a', 'b']) {
        const [http, tcp] = [await freePortOf(), await freePortOf()];
        children.push(spawnRole(['gateway'], {
          ...base, TROUPE_NODE_ID: `bench-gw-${name}`, TROUPE_HTTP_PORT: String(http), TROUPE_TCP_PORT: String(tcp), TROUPE_BIND: '127.0.0.1',
          TROUPE_MAX_CONNECTIONS: '100000', TROUPE_LOGIN_TIMEOUT_MS: '3600000', TROUPE_IDLE_TIMEOUT_MS: '3600000',
          TROUPE_RATE_BURST: '100000', TROUPE_RATE_PER_SECOND: '100000', TROUPE_MAX_IN_FLIGHT: '1024', TROUPE_REQUEST_TIMEOUT_MS: '30000',
        }));
        gw.push({ ws: `ws://127.0.0.1:${http}/ws`, http: `http://127.0.0.1:${http}`, pid: children[children.length - 1].pid! });
      }
      for (const g of gw) await waitHttp(`${g.http}/healthz`);
      const connect = async (g: number, name: string, device: (typeof DEVICES)[number] = 'desktop') => {
        const c = await TroupeClient.connect(gw[g].ws, { reconnect: false, heartbeatMs: 0, device: { type: device }, timeoutMs: 60_000 });
        await c.login(name, PASSWORD);
        clients.push(c);
        return c;
      };
      const fdLimit = Number(process.env.TROUPE_BENCH_FD_LIMIT ?? 20_000);
      const idleTarget = Math.min(20_000, fdLimit - 600);
      const users = Array.from({ length: Math.max(500, Math.ceil(idleTarget / DEVICES.length)) }, (_, i) => `bench${i + 1}`);
      console.log(`chat benchmark: 1 host and 2 gateway processes, ${seconds} s per measurement; ${users.length} users; idle target ${idleTarget} connections (this machine allows ${fdLimit} open files per process)`);

      const pg = postgresBackends(env.databaseUrl);
      const meter = new CpuMeter({
        host: () => [host.pid!], 'gateway a': () => [gw[0].pid], 'gateway b': () => [gw[1].pid], 'nats-server': () => [env.nats.pid], postgres: pg.source, clients: () => [process.pid],
      });
      const cpu: { label: string; sample: CpuSample; ops: number; unit: string }[] = [];

      // the ceiling: the actor runtime alone, same host, same run
      process.stderr.write('ceiling: ask() on a counter actor\n');
      const actors = natsActorClient(nc, 64);
      const ask = (i: number) => actors.ask('counter', `b${i % 1000}`, { type: 'add', n: 1 }, { timeoutMs: 10_000 }).then(() => {});
      await closedLoop('warm-up', concurrency, 1, ask);
      let m0 = await meter.start();
      const ceiling = await closedLoop('ask() counter actor (bench actors ceiling)', concurrency, seconds, ask);
      cpu.push({ label: ceiling.label, sample: await m0.stop(), ops: ceiling.ops, unit: 'ask' });
      actors.close();

      process.stderr.write(`registering ${users.length} users\n`);
      const reg = await TroupeClient.connect(gw[0].ws, { reconnect: false, heartbeatMs: 0, timeoutMs: 60_000 });
      const ids = new Map<string, number>();
      let done = 0;
      await pool(users, 32, async (name) => {
        ids.set(name, (await reg.register(name, PASSWORD)).id);
        if (++done % 1000 === 0) process.stderr.write(`  ${done}/${users.length}\r`);
      });
      await reg.close();

      // direct messages: senders on gateway a, receivers on gateway b
      const pairs = 100;
      process.stderr.write(`direct: ${pairs} senders on gateway a, ${pairs} receivers on gateway b\n`);
      const senders = await Promise.all(users.slice(0, pairs).map((u) => connect(0, u)));
      const receivers = await Promise.all(users.slice(pairs, 2 * pairs).map((u) => connect(1, u)));
      const dmLatency: number[] = [];
      let measuring = false;
      for (const r of receivers) r.on('push', (p: PushMessage) => {
        if (p.op === 'chat.message' && measuring) dmLatency.push(Date.now() - Number(p.body));
      });
      let n = 0;
      const dmSend = (i: number) => senders[i % pairs].request('chat.send', { to: ids.get(users[pairs + (i % pairs)])!, clientMsgId: `dm-${n++}`, body: String(Date.now()) }).then(() => {});
      await closedLoop('warm-up', pairs, 1, dmSend);
      await new Promise((r) => setTimeout(r, 500));
      measuring = true;
      m0 = await meter.start();
      const dmSends = await closedLoop('direct messages sent', pairs, seconds, dmSend);
      await new Promise((r) => setTimeout(r, 1000));
      measuring = false;
      cpu.push({ label: 'direct messages', sample: await m0.stop(), ops: dmLatency.length, unit: 'delivered message' });
      const dm = { label: 'direct messages delivered', perSecond: dmLatency.length / dmSends.seconds, ...percentiles(dmLatency), count: dmLatency.length };

      // a 500-member room: members on both gateways, a few senders
      const size = 500;
      process.stderr.write(`room: ${size} members on two gateways\n`);
      const members = await Promise.all(users.slice(0, size).map((u, i) => connect(i % 2, u, 'web')));
      const roomLatency: number[] = [];
      let roomMeasuring = false;
      for (const m of members) m.on('push', (p: PushMessage) => {
        if (p.op === 'chat.message' && roomMeasuring && p.kind === 'text') roomLatency.push(Date.now() - Number(p.body));
      });
      const created = await members[0].request('rooms.create', { name: 'bench room', members: users.slice(1, size).map((u) => ids.get(u)!) }, { timeoutMs: 60_000 });
      const room = created.room.id;
      await new Promise((r) => setTimeout(r, 2000)); // every gateway subscribes the room
      // four members post, several messages in flight each: a room takes its posts one after the
      // other, so with one in flight per sender the rate would be set by the ask latency alone
      const roomSenders = members.slice(0, 4);
      const roomInFlight = Math.min(concurrency, 32);
      let m2 = 0;
      const roomSend = (i: number) => roomSenders[i % roomSenders.length].request('chat.send', { room, clientMsgId: `r-${m2++}`, body: String(Date.now()) }).then(() => {});
      await closedLoop('warm-up', roomInFlight, 1, roomSend);
      await new Promise((r) => setTimeout(r, 1000));
      roomMeasuring = true;
      m0 = await meter.start();
      const roomSends = await closedLoop('room messages sent', roomInFlight, seconds, roomSend);
      await new Promise((r) => setTimeout(r, 2000));
      roomMeasuring = false;
      cpu.push({ label: `${size}-member room`, sample: await m0.stop(), ops: roomLatency.length, unit: 'delivery' });
      const roomResult = { label: `${size}-member room deliveries`, perSecond: roomLatency.length / roomSends.seconds, ...percentiles(roomLatency), count: roomLatency.length, messages: roomSends.ops };

      // how a post's cost and the room's stored snapshot grow with its members: posts by one
      // member (the others offline, so this is the room actor and its commit, not fan-out)
      const scale: { members: number; bytes: number; apart: number; usPerPost: number; hostUs: number; pgUs: number; perSecond: number; sample: CpuSample; ops: number }[] = [];
      const poster = members[0];
      await Promise.all(members.slice(1).map((c) => c.close().catch(() => {})));
      await new Promise((r) => setTimeout(r, 1000));
      for (const n of [2, 50, 500]) {
        // members nobody is connected as: the post's cost is the room actor's and its commit's
        const r = await poster.request('rooms.create', { name: `scale ${n}`, members: users.slice(1000, 1000 + n - 1).map((u) => ids.get(u)!) }, { timeoutMs: 60_000 });
        const rid = r.room.id as string;
        let k = 0;
        const post = () => poster.request('chat.send', { room: rid, clientMsgId: `s${n}-${k++}`, body: 'x' }).then(() => {});
        await closedLoop('warm-up', 8, 1, post);
        const scaleMeter = await meter.start();
        const posts = await closedLoop(`posts to a ${n}-member room`, 8, Math.max(2, seconds / 2), post);
        const sample = await scaleMeter.stop();
        // the state column is rewritten by every post; members kept apart (if any) only when they change
        const [row] = await queryRows<{ bytes: number; apart: number }>(env.database.db, sql`select octet_length(coalesce(to_jsonb(s)->>'state', '')) as bytes, octet_length(coalesce(to_jsonb(s)->>'apart', '')) as apart from actor_state s where kind = 'room' and id = ${rid}`);
        const us = (...groups: string[]) => cpuPerOp(sample, posts.ops, ...groups);
        scale.push({ members: n, bytes: Number(row?.bytes ?? 0), apart: Number(row?.apart ?? 0), sample, ops: posts.ops, usPerPost: us(), hostUs: us('host'), pgUs: us('postgres'), perSecond: posts.perSecond });
      }
      await pg.close();
      await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));

      // idle connections on one gateway
      await new Promise((r) => setTimeout(r, 3000));
      const before = await gatewayMemory(gw[0].http);
      const logins: ClientsPlan['logins'] = [];
      for (let i = 0; logins.length < idleTarget; i++) logins.push([users[i % users.length], DEVICES[Math.floor(i / users.length) % DEVICES.length]]);
      const half = Math.ceil(logins.length / 2);
      process.stderr.write(`idle: opening ${logins.length} logged-in WebSocket connections to gateway a from 2 processes\n`);
      const holders = await Promise.all([logins.slice(0, half), logins.slice(half)].map((part) => new Promise<{ child: ChildProcess; open: number }>((resolve, reject) => {
        const child = fork(path.join(projectRoot, 'ops', 'bench', 'chat-clients.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, TROUPE_BENCH_CLIENTS: '1' } });
        children.push(child);
        child.on('message', (m: { type: string; open?: number; failed?: number }) => {
          if (m.type === 'started') child.send({ url: gw[0].ws, password: PASSWORD, logins: part, concurrency: 64 } satisfies ClientsPlan);
          if (m.type === 'progress') process.stderr.write(`  +${m.open} open, ${m.failed} failed\r`);
          if (m.type === 'ready') resolve({ child, open: m.open! });
        });
        child.once('exit', (code) => reject(new Error(`client process exited with ${code}`)));
      })));
      await new Promise((r) => setTimeout(r, 5000));
      const after = await gatewayMemory(gw[0].http);
      const held = after.connections - before.connections;
      const perConn = { rss: (after.rss - before.rss) / held, heap: (after.heap - before.heap) / held };
      for (const h of holders) h.child.send({ type: 'close' });

      const row = (label: string, rate: string, p50: number, p99: number, extra = '') => console.log(`${label.padEnd(46)} ${rate.padStart(14)} ${p50.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)}  ${extra}`);
      console.log(`\n${'measurement'.padEnd(46)} ${'per second'.padStart(14)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
      row(ceiling.label, ceiling.perSecond.toFixed(0), ceiling.p50, ceiling.p99, '(baseline)');
      row(dm.label, dm.perSecond.toFixed(0), dm.p50, dm.p99, `send-to-delivery; ${(dm.perSecond / ceiling.perSecond).toFixed(2)}x of the ceiling`);
      row(roomResult.label, roomResult.perSecond.toFixed(0), roomResult.p50, roomResult.p99, `${(roomSends.ops / roomSends.seconds).toFixed(0)} messages/s x ${size - 1}; ${(roomSends.ops / roomSends.seconds / ceiling.perSecond).toFixed(2)}x of the ceiling in messages`);
      const gatewayUs = (x: CpuRow) => perOp(x, 'gateway a', 'gateway b');
      console.log('\nCPU by process (µs; /proc/<pid>/stat over the measurement):');
      for (const x of cpu) console.log(`  ${x.label}, per ${x.unit}: ${formatCpu(x.sample, x.ops)}; read/write syscalls ${formatSyscalls(x.sample, x.ops)}`);
      console.log(`  ${dmBound(cpu[0], cpu[1], dmSends.seconds, dm.perSecond, ceiling.perSecond)}`);
      const roomCpu = cpu.find((x) => x.unit === 'delivery')!;
      console.log(`  gateways: ${gatewayUs(roomCpu).toFixed(1)} µs CPU per room delivery (both gateways' CPU over the room run / deliveries)`);
      console.log('\nrooms by size (one member posting, 8 in flight): the snapshot a post rewrites, the members kept apart, and CPU per post');
      console.log(`  ${'members'.padStart(7)} ${'rewritten B'.padStart(11)} ${'apart B'.padStart(8)} ${'posts/s'.padStart(8)} ${'host µs'.padStart(8)} ${'pg µs'.padStart(7)} ${'all µs'.padStart(7)}`);
      for (const r of scale) console.log(`  ${String(r.members).padStart(7)} ${String(r.bytes).padStart(11)} ${String(r.apart).padStart(8)} ${r.perSecond.toFixed(0).padStart(8)} ${r.hostUs.toFixed(0).padStart(8)} ${r.pgUs.toFixed(0).padStart(7)} ${r.usPerPost.toFixed(0).padStart(7)}`);
      for (const r of scale) console.log(`    ${r.members} members, per post: ${formatCpu(r.sample, r.ops)}`);
      console.log(`  a post to the 500-member room costs ${(scale[2].usPerPost / scale[0].usPerPost).toFixed(2)}x a post to the 2-member room (all processes' CPU), ${((scale[2].hostUs + scale[2].pgUs) / (scale[0].hostUs + scale[0].pgUs)).toFixed(2)}x in host and Postgres`);
      console.log(`\nidle connections held by one gateway: ${held} (of ${logins.length} attempted; target 20000, limited here to ${idleTarget} by the open-files limit)`);
      console.log(`memory per connection: ${(perConn.rss / 1024).toFixed(1)} KiB resident, ${(perConn.heap / 1024).toFixed(1)} KiB JS heap (aim: under 20 KiB); gateway resident ${(after.rss / 2 ** 20).toFixed(0)} MiB`);
      const rows: LoadResult[] = [ceiling];
      return { rows };
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await nc.close();
      await stopAll(children.filter((c) => c.exitCode === null));
      await env.close();
    }
  },
};
