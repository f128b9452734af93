// npm run bench -- actors: ask() throughput and latency on the counter actor with one host and with
// three, beside the ceiling measured in the same run with the same client library: raw JetStream
// publish-with-ack and core NATS request/reply, and the durable ask floor (actors-floor.ts): the least
// an exactly-once durable ask costs on this machine with the same components.
import type { ChildProcess } from 'node:child_process';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { ensureStream, projectRoot, rolePassword } from '../../lib/mod.ts';
import { buckets } from '../../protocol/mod.ts';
import { natsActorClient } from '../../actors/runtime/mod.ts';
import { startHostRole } from '../roles.ts';
import { benchEnv, closedLoop, connectAs, spawnRole, stopAll, type LoadResult } from './harness.ts';
import { CpuMeter, cpuPerOp, formatCpu, formatSyscalls, histogramTotals, postgresBackends, type CpuSample } from './cpu.ts';
import { freePortOf } from './ports.ts';
import { FloorClient, FLOOR_STREAM, FLOOR_SUBJECTS, startFloorWorker, type FloorWorker } from './actors-floor.ts';
import type { Benchmark } from './mod.ts';

interface HostProcess {
  child: ChildProcess;
  metrics: string;
}

const spawnHost = async (id: string, env: Record<string, string>): Promise<HostProcess> => {
  const port = await freePortOf();
  return { child: spawnRole(['host'], { ...env, TROUPE_NODE_ID: id, TROUPE_METRICS_PORT: String(port) }), metrics: `http://127.0.0.1:${port}/metrics` };
};

/** Messages per commit transaction and commits, summed over the hosts' /metrics. */
async function commitTotals(hosts: HostProcess[]): Promise<{ messages: number; commits: number; seconds: number }> {
  let messages = 0;
  let commits = 0;
  let seconds = 0;
  for (const h of hosts) {
    const text = await fetch(h.metrics).then((r) => r.text(), () => '');
    const t = histogramTotals(text, 'troupe_actor_commit_messages');
    messages += t.sum;
    commits += t.count;
    seconds += histogramTotals(text, 'troupe_actor_commit_duration_seconds').sum;
  }
  return { messages, commits, seconds };
}

interface Measured {
  row: LoadResult;
  cpu: CpuSample;
  /** Messages through nats-server during the run, in and out. */
  nats: number;
  /** Messages per commit transaction during the run (NaN when no host metrics). */
  batch: number;
  /** Mean time of one commit transaction (ms). */
  commitMs: number;
}

export const actorsBench: Benchmark = {
  name: 'actors',
  summary: 'ask() on a counter actor with 1 and 3 hosts vs JetStream publish+ack, core request/reply and the durable ask floor (1 and 3 workers)',
  async run({ seconds, concurrency }) {
    const P = 64;
    const env = await benchEnv({ partitions: P });
    const { config } = env;
    const hosts: HostProcess[] = [];
    const floorWorkers: FloorWorker[] = [];
    const nc = await connectAs(config, 'host', 'bench-a');
    const nc2 = await connectAs(config, 'host', 'bench-b');
    const payload = new TextEncoder().encode(JSON.stringify({ type: 'add', n: 1 }));
    try {
      console.log(`actors benchmark: ${concurrency} operations in flight, ${seconds} s per measurement, P=${P}, database ${env.databaseUrl ? 'Postgres' : 'PGlite (no Postgres reachable: one in-process host only)'}`);
      const rows: LoadResult[] = [];

      /** One measured run: its result, the CPU and syscalls of `meter`'s processes, the messages through nats-server. */
      const sampled = async (meter: CpuMeter, label: string, op: (i: number) => Promise<void>) => {
        const msgs = await env.natsMessages();
        const cpu = await meter.start();
        const row = await closedLoop(label, concurrency, seconds, op);
        const sample = await cpu.stop();
        return { row, cpu: sample, nats: (await env.natsMessages()) - msgs };
      };
      const baseMeter = new CpuMeter({ 'nats-server': () => [env.nats.pid], client: () => [process.pid] });
      const baseCpu: { row: LoadResult; cpu: CpuSample; nats: number }[] = [];
      const measureBase = async (label: string, op: (i: number) => Promise<void>) => {
        const x = await sampled(baseMeter, label, op);
        baseCpu.push(x);
        return x.row;
      };
      process.stderr.write('baseline: core request/reply\n');
      nc.subscribe('bench.echo', { callback: (err, m) => { if (!err) m.respond(m.data); } });
      await nc.flush();
      const rr = await measureBase('core request/reply (NATS baseline)', async () => { await nc2.request('bench.echo', payload, { timeout: 5000 }); });
      rows.push(rr);

      process.stderr.write('baseline: JetStream publish with ack\n');
      await ensureStream(nc, { name: 'BENCH', subjects: ['bench.js.>'], max_age: 600 * 1e9 });
      const js = jetstream(nc2);
      const jsp = await measureBase('JetStream publish+ack (baseline)', async (i) => { await js.publish(`bench.js.${i % 64}`, payload, { msgID: `b${i}` }); });
      rows.push(jsp);

      // the durable ask floor: same client connection, concurrency, duration and actor ids as ask();
      // once with one worker, and split over three worker processes as the three-host row splits
      // the partitions over three hosts
      const floors: (Measured & { workers: number })[] = [];
      if (env.databaseUrl) {
        await ensureStream(nc, { name: FLOOR_STREAM, subjects: [FLOOR_SUBJECTS], max_age: 600 * 1e9, duplicate_window: 120 * 1e9 });
        for (const workers of [1, 3]) {
          process.stderr.write(`floor: the least a durable ask costs (JetStream publish, ${workers} worker(s), one Postgres statement per batch)\n`);
          for (let index = 0; index < workers; index++) {
            floorWorkers.push(await startFloorWorker(projectRoot, { natsUrl: config.natsUrl, user: 'host', pass: rolePassword(config, 'host'), databaseUrl: env.databaseUrl, index, workers }));
          }
          const started = [...floorWorkers];
          const floorClient = new FloorClient(nc2, workers);
          const floorAsk = (i: number) => floorClient.ask(`b${i % 1000}`, { type: 'add', n: 1 }).then(() => {});
          const floorPg = postgresBackends(env.databaseUrl);
          const statsOf = async () => (await Promise.all(started.map((w) => w.stats()))).reduce((a, b) => ({ messages: a.messages + b.messages, commits: a.commits + b.commits }));
          try {
            const floorMeter = new CpuMeter({ worker: () => started.map((w) => w.pid), 'nats-server': () => [env.nats.pid], postgres: floorPg.source, client: () => [process.pid] });
            // the same untimed warm-up as the ask rows get (workers that just started run cold)
            await closedLoop('warm-up', concurrency, Math.min(5, seconds), floorAsk);
            const before = await statsOf();
            const { row, cpu, nats } = await sampled(floorMeter, `durable ask floor (publish, ${workers} worker${workers === 1 ? '' : 's'}, 1 statement)`, floorAsk);
            const after = await statsOf();
            floors.push({ workers, row, cpu, nats, batch: (after.messages - before.messages) / (after.commits - before.commits), commitMs: NaN });
            rows.push(row);
          } finally {
            floorClient.close();
            await floorPg.close();
            await Promise.all(floorWorkers.splice(0).map((w) => w.stop()));
          }
        }
      }
      const floor = floors.find((f) => f.workers === 1);
      const floor3 = floors.find((f) => f.workers === 3);

      const hostEnv = { NATS_URL: config.natsUrl, DATABASE_URL: env.databaseUrl, TROUPE_PARTITIONS: String(P) };
      let inProcess: { stop(): Promise<void> } | undefined;
      if (env.databaseUrl) hosts.push(await spawnHost('bench-h1', hostEnv));
      else {
        const hnc = await connectAs(config, 'host', 'bench-h1');
        inProcess = await startHostRole(hnc, env.database, config, 'bench-h1');
      }
      const leases = await new Kvm(nc).open(buckets.leases);
      const holders = async () => {
        const seen = new Map<string, number>();
        // the bucket appears once the first host has provisioned it
        const keys = await leases.keys().catch(() => null);
        if (!keys) return seen;
        for await (const k of keys) {
          const e = await leases.get(k);
          if (e?.operation === 'PUT') {
            const h = JSON.parse(e.string()).host as string;
            seen.set(h, (seen.get(h) ?? 0) + 1);
          }
        }
        return seen;
      };
      const settle = async (want: number) => {
        const deadline = Date.now() + 60_000;
        let stableSince = Date.now();
        let last = '';
        for (;;) {
          const h = await holders();
          const sig = JSON.stringify([...h].sort());
          if (sig !== last) { last = sig; stableSince = Date.now(); }
          const total = [...h.values()].reduce((a, b) => a + b, 0);
          if (h.size === want && total === P && Date.now() - stableSince > 2000) return h;
          if (Date.now() > deadline) throw new Error(`partitions did not settle on ${want} host(s): ${sig}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      process.stderr.write('actors: waiting for one host to hold every partition\n');
      await settle(1);
      const client = natsActorClient(nc2, P);
      const ask = (i: number) => client.ask('counter', `b${i % 1000}`, { type: 'add', n: 1 }, { timeoutMs: 10_000 }).then(() => {});
      const pg = postgresBackends(env.databaseUrl);
      const meter = new CpuMeter({
        host: () => (hosts.length ? hosts.map((h) => h.child.pid!) : [process.pid]),
        'nats-server': () => [env.nats.pid],
        postgres: pg.source,
        client: () => [process.pid],
      });
      const measure = async (label: string): Promise<Measured> => {
        const before = await commitTotals(hosts);
        const { row, cpu, nats } = await sampled(meter, label, ask);
        const after = await commitTotals(hosts);
        const commits = after.commits - before.commits;
        return { row, cpu, nats, batch: (after.messages - before.messages) / commits, commitMs: ((after.seconds - before.seconds) * 1000) / commits };
      };
      const measured: Measured[] = [];
      // Each configuration gets the same untimed warm-up before it is measured. Hosts that just
      // took partitions over start cold (code not yet optimized, actors not in memory, fresh
      // Postgres backends preparing their statements): with a 1-second warm-up the three-host row
      // measured part of that start (p99 126-172 ms against 38-57 after 5 seconds).
      const warmUp = Math.min(5, seconds);
      await closedLoop('warm-up', concurrency, warmUp, ask);
      measured.push(await measure('ask() counter actor, 1 host'));

      if (env.databaseUrl) {
        hosts.push(await spawnHost('bench-h2', hostEnv), await spawnHost('bench-h3', hostEnv));
        process.stderr.write('actors: waiting for three hosts to share the partitions\n');
        const spread = await settle(3);
        await closedLoop('warm-up', concurrency, warmUp, ask);
        measured.push(await measure(`ask() counter actor, 3 hosts (${[...spread.values()].join('/')} partitions)`));
      }
      rows.push(...measured.map((x) => x.row));
      client.close();
      await pg.close();
      await inProcess?.stop();

      console.log(`\n${'measurement'.padEnd(52)} ${'ops/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`);
      for (const r of rows) console.log(`${r.label.padEnd(52)} ${r.perSecond.toFixed(0).padStart(9)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(7)}`);
      console.log('\nratios (throughput, ask() / baseline):');
      if (floor) console.log(`  durable ask floor: ${(floor.row.perSecond / jsp.perSecond).toFixed(3)} of JetStream publish+ack, ${(floor.row.perSecond / rr.perSecond).toFixed(3)} of core request/reply; p50 ${(floor.row.p50 / jsp.p50).toFixed(2)}x`);
      for (const x of measured) if (floor) console.log(`  ${x.row.label}: ${(x.row.perSecond / floor.row.perSecond).toFixed(3)} of the durable ask floor`);
      for (const r of measured.map((x) => x.row)) console.log(`  ${r.label}: ${(r.perSecond / jsp.perSecond).toFixed(3)} of JetStream publish+ack, ${(r.perSecond / rr.perSecond).toFixed(3)} of core request/reply; p50 ${(r.p50 / jsp.p50).toFixed(2)}x / ${(r.p50 / rr.p50).toFixed(2)}x`);
      console.log('\nCPU per ask, by process (µs; /proc/<pid>/stat over the measurement), and messages per commit transaction:');
      const natsPerOp = (x: { nats: number; row: LoadResult; cpu: CpuSample }) => `${(x.nats / Math.max(1, x.row.ops)).toFixed(1)} NATS messages in+out; read/write syscalls ${formatSyscalls(x.cpu, x.row.ops)}`;
      for (const x of baseCpu) console.log(`  ${x.row.label}: ${formatCpu(x.cpu, x.row.ops)}; ${natsPerOp(x)} (the echo responder and publisher are the client)`);
      for (const f of floors) console.log(`  ${f.row.label}: ${formatCpu(f.cpu, f.row.ops)}; ${natsPerOp(f)}; ${f.batch.toFixed(1)} messages/commit`);
      for (const x of measured) console.log(`  ${x.row.label}: ${formatCpu(x.cpu, x.row.ops)}; ${natsPerOp(x)}; ${Number.isFinite(x.batch) ? x.batch.toFixed(1) : '-'} messages/commit, ${Number.isFinite(x.commitMs) ? x.commitMs.toFixed(1) : '-'} ms/commit`);
      if (floor) {
        // on a CPU-bound machine throughput goes as the inverse of CPU per operation: these ratios
        // hold however busy the shared machine was during each measurement
        const perOp = (x: { cpu: CpuSample; row: LoadResult }) => cpuPerOp(x.cpu, x.row.ops);
        const jspCpu = baseCpu.find((x) => x.row === jsp)!;
        console.log(`  by CPU: the floor costs ${(perOp(floor) / perOp(jspCpu)).toFixed(2)}x a JetStream publish+ack (at most ${(perOp(jspCpu) / perOp(floor)).toFixed(3)} of its rate on the same cores)`);
        for (const x of measured) console.log(`  by CPU: ${x.row.label} costs ${(perOp(x) / perOp(floor)).toFixed(2)}x the floor (${(perOp(floor) / perOp(x)).toFixed(3)} of its rate on the same cores)`);
        if (floor3) console.log(`  by CPU: the floor split over 3 workers costs ${(perOp(floor3) / perOp(floor)).toFixed(2)}x the floor with 1`);
      }
      // what splitting over three processes costs, with the runtime and without it (the floor)
      const [one, three] = measured;
      if (floor && floor3 && three) {
        console.log(`\nsplit over three processes (throughput, 3 / 1): hosts ${(three.row.perSecond / one.row.perSecond).toFixed(3)} (${three.batch.toFixed(1)} against ${one.batch.toFixed(1)} messages/commit); the floor's workers ${(floor3.row.perSecond / floor.row.perSecond).toFixed(3)} (${floor3.batch.toFixed(1)} against ${floor.batch.toFixed(1)})`);
      }
      return { rows };
    } finally {
      await Promise.all(floorWorkers.map((w) => w.stop()));
      await stopAll(hosts.map((h) => h.child));
      await nc.close();
      await nc2.close();
      await env.close();
    }
  },
};
