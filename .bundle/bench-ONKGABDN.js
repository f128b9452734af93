import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  ensureChromium,
  launchChromium
} from "./chunk-XLBKSFGY.js";
import {
  formatBytes,
  getFile,
  putFile,
  putRaw
} from "./chunk-GRGCG5EO.js";
import {
  ChatSession,
  TroupeClient,
  WatchSession
} from "./chunk-KCWTZREZ.js";
import {
  TRACKER_ID,
  startGatewayRole,
  startHostRole,
  startStorageNode
} from "./chunk-XYQ34O77.js";
import "./chunk-XZMVVC4Q.js";
import {
  bundleSizes,
  ensureWebBundle
} from "./chunk-R2TDF4GX.js";
import "./chunk-FCC3TXGQ.js";
import {
  migrate,
  natsActorClient,
  openDatabase,
  queryRows,
  redactUrl,
  sql,
  src_default
} from "./chunk-JDHSYC6X.js";
import {
  leaseKey,
  partitionOf
} from "./chunk-S47W34VH.js";
import {
  startNatsServer
} from "./chunk-W2IQBQPS.js";
import {
  TroupeError,
  __toESM,
  applyStoredSecrets,
  buckets,
  callService,
  command,
  configureLogging,
  connectAs,
  defaultConfig,
  ensureStream,
  freePort,
  parseConfig,
  projectRoot,
  randomSecrets,
  require_mod,
  require_mod2,
  resolveDataPath,
  targetPosition
} from "./chunk-DBBPO6IK.js";

// ops/bench/actors.ts
var import_jetstream = __toESM(require_mod(), 1);
var import_kv = __toESM(require_mod2(), 1);

// ops/bench/harness.ts
import fs from "node:fs";
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
function percentile(sorted, q) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
async function closedLoop(label, concurrency, seconds, op) {
  const latencies = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const end = started + seconds * 1e3;
  let lastPrint = started;
  let lastCount = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const i = next++;
      const t = performance.now();
      try {
        await op(i);
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
      const now = performance.now();
      if (now - lastPrint >= 1e3) {
        process.stderr.write(`  ${label}: ${Math.round((latencies.length - lastCount) * 1e3 / (now - lastPrint))}/s\r`);
        lastPrint = now;
        lastCount = latencies.length;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - started) / 1e3;
  latencies.sort((a, b) => a - b);
  process.stderr.write(" ".repeat(60) + "\r");
  return { label, ops: latencies.length, seconds: secs, perSecond: latencies.length / secs, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors };
}
async function benchEnv(overrides = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "troupe-bench-"));
  const config = { ...defaultConfig(), logLevel: "warn", scryptCost: 1024, ...overrides };
  const secrets = randomSecrets();
  applyStoredSecrets(config, secrets);
  Object.assign(process.env, secrets, overrides.storageSecret ? { TROUPE_STORAGE_SECRET: overrides.storageSecret } : {});
  const nats = await startNatsServer({ config, dir: path.join(dir, "nats"), port: 0 });
  config.natsUrl = nats.url;
  const base = process.env.TROUPE_BENCH_DATABASE_URL ?? process.env.TROUPE_TEST_DATABASE_URL ?? "postgres://127.0.0.1:5432/postgres";
  let databaseUrl = "";
  let admin;
  const name = `troupe_bench_${Date.now().toString(36)}`;
  try {
    admin = src_default(base, { max: 1, connect_timeout: 3, onnotice: () => {
    } });
    await admin.unsafe(`create database ${name}`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
  } catch {
    await admin?.end({ timeout: 1 });
    admin = void 0;
  }
  const database = await openDatabase({ databaseUrl: databaseUrl || "memory:", poolSize: 20 });
  await migrate(database, databaseUrl);
  return {
    config,
    nats,
    databaseUrl,
    database,
    dir,
    async close() {
      await database.close();
      if (admin) {
        await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {
        });
        await admin.end({ timeout: 2 });
      }
      await nats.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}
var living = /* @__PURE__ */ new Set();
process.on("exit", () => {
  for (const c of living) c.kill("SIGKILL");
});
function spawnRole(args, env) {
  const prof = process.env.TROUPE_BENCH_CPU_PROF;
  const profiling = prof ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(prof)}`, `--cpu-prof-name=${args[0]}-${env.TROUPE_NODE_ID ?? "x"}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profiling, "--import", "tsx", path.join(projectRoot, "ops", "main.ts"), ...args], {
    cwd: projectRoot,
    env: { ...process.env, TROUPE_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "inherit"]
  });
  living.add(child);
  child.once("exit", () => living.delete(child));
  return child;
}
async function stopAll(children) {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((r) => c.exitCode !== null ? r(null) : c.once("exit", r))));
}
function percentiles(values) {
  const v = [...values].sort((a, b) => a - b);
  return { p50: percentile(v, 0.5), p99: percentile(v, 0.99) };
}

// ops/bench/cpu.ts
import fs2 from "node:fs";
import { execFileSync } from "node:child_process";
var ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === void 0) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}
function processCpuMicros(pid) {
  if (pid === process.pid) {
    const u = process.cpuUsage();
    return u.user + u.system;
  }
  let text;
  try {
    text = fs2.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return void 0;
  }
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(rest[11]) + Number(rest[12]);
  return ticks * 1e6 / clockTicks();
}
var CpuMeter = class {
  constructor(groups) {
    this.groups = groups;
  }
  groups;
  async read() {
    const out = /* @__PURE__ */ new Map();
    for (const [name, source] of Object.entries(this.groups)) {
      const per = /* @__PURE__ */ new Map();
      for (const pid of await source()) {
        const us = processCpuMicros(pid);
        if (us !== void 0) per.set(pid, us);
      }
      out.set(name, per);
    }
    return out;
  }
  async start() {
    const before = await this.read();
    return {
      stop: async () => {
        const after = await this.read();
        const micros = /* @__PURE__ */ new Map();
        for (const [name, per] of after) {
          let sum = 0;
          for (const [pid, us] of per) sum += us - (before.get(name)?.get(pid) ?? (pid === process.pid ? us : 0));
          micros.set(name, sum);
        }
        return { micros };
      }
    };
  }
};
function postgresBackends(databaseUrl) {
  if (!databaseUrl) return { source: () => [], close: async () => {
  } };
  const sql2 = src_default(databaseUrl, { max: 1, onnotice: () => {
  } });
  return {
    source: async () => (await sql2`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`).map((r) => Number(r.pid)),
    close: () => sql2.end({ timeout: 2 })
  };
}
function formatCpu(sample, ops) {
  const parts = [...sample.micros].map(([name, us]) => `${name} ${(us / Math.max(1, ops)).toFixed(0)}`);
  const total = [...sample.micros.values()].reduce((a, b) => a + b, 0);
  return `${parts.join(", ")}; total ${(total / Math.max(1, ops)).toFixed(0)} \xB5s CPU/op`;
}
function histogramTotals(text, name) {
  let sum = 0;
  let count = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}_sum`)) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    else if (line.startsWith(`${name}_count`)) count += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return { sum, count };
}

// ops/bench/actors.ts
var spawnHost = async (id, env) => {
  const port = await freePort();
  return { child: spawnRole(["host"], { ...env, TROUPE_NODE_ID: id, TROUPE_METRICS_PORT: String(port) }), metrics: `http://127.0.0.1:${port}/metrics` };
};
async function commitTotals(hosts) {
  let messages = 0;
  let commits = 0;
  let seconds = 0;
  for (const h of hosts) {
    const text = await fetch(h.metrics).then((r) => r.text(), () => "");
    const t = histogramTotals(text, "troupe_actor_commit_messages");
    messages += t.sum;
    commits += t.count;
    seconds += histogramTotals(text, "troupe_actor_commit_duration_seconds").sum;
  }
  return { messages, commits, seconds };
}
var actorsBench = {
  name: "actors",
  summary: "ask() on a counter actor with 1 and 3 hosts vs JetStream publish+ack and core request/reply",
  async run({ seconds, concurrency }) {
    const P = 64;
    const env = await benchEnv({ partitions: P });
    const { config } = env;
    const hosts = [];
    const nc = await connectAs(config, "host", "bench-a");
    const nc2 = await connectAs(config, "host", "bench-b");
    const payload = new TextEncoder().encode(JSON.stringify({ type: "add", n: 1 }));
    try {
      console.log(`actors benchmark: ${concurrency} operations in flight, ${seconds} s per measurement, P=${P}, database ${env.databaseUrl ? "Postgres" : "PGlite (no Postgres reachable: one in-process host only)"}`);
      const rows = [];
      const baseMeter = new CpuMeter({ "nats-server": () => [env.nats.pid], client: () => [process.pid] });
      const baseCpu = [];
      const measureBase = async (label, op) => {
        const cpu = await baseMeter.start();
        const row = await closedLoop(label, concurrency, seconds, op);
        baseCpu.push({ row, cpu: await cpu.stop() });
        return row;
      };
      process.stderr.write("baseline: core request/reply\n");
      nc.subscribe("bench.echo", { callback: (err, m) => {
        if (!err) m.respond(m.data);
      } });
      await nc.flush();
      const rr = await measureBase("core request/reply (NATS baseline)", async () => {
        await nc2.request("bench.echo", payload, { timeout: 5e3 });
      });
      rows.push(rr);
      process.stderr.write("baseline: JetStream publish with ack\n");
      await ensureStream(nc, { name: "BENCH", subjects: ["bench.js.>"], max_age: 600 * 1e9 });
      const js = (0, import_jetstream.jetstream)(nc2);
      const jsp = await measureBase("JetStream publish+ack (baseline)", async (i) => {
        await js.publish(`bench.js.${i % 64}`, payload, { msgID: `b${i}` });
      });
      rows.push(jsp);
      const hostEnv = { NATS_URL: config.natsUrl, DATABASE_URL: env.databaseUrl, TROUPE_PARTITIONS: String(P) };
      let inProcess;
      if (env.databaseUrl) hosts.push(await spawnHost("bench-h1", hostEnv));
      else {
        const hnc = await connectAs(config, "host", "bench-h1");
        inProcess = await startHostRole(hnc, env.database, config, "bench-h1");
      }
      const leases = await new import_kv.Kvm(nc).open(buckets.leases);
      const holders = async () => {
        const seen = /* @__PURE__ */ new Map();
        const keys = await leases.keys().catch(() => null);
        if (!keys) return seen;
        for await (const k of keys) {
          const e = await leases.get(k);
          if (e?.operation === "PUT") {
            const h = JSON.parse(e.string()).host;
            seen.set(h, (seen.get(h) ?? 0) + 1);
          }
        }
        return seen;
      };
      const settle = async (want) => {
        const deadline = Date.now() + 6e4;
        let stableSince = Date.now();
        let last = "";
        for (; ; ) {
          const h = await holders();
          const sig = JSON.stringify([...h].sort());
          if (sig !== last) {
            last = sig;
            stableSince = Date.now();
          }
          const total = [...h.values()].reduce((a, b) => a + b, 0);
          if (h.size === want && total === P && Date.now() - stableSince > 2e3) return h;
          if (Date.now() > deadline) throw new Error(`partitions did not settle on ${want} host(s): ${sig}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      process.stderr.write("actors: waiting for one host to hold every partition\n");
      await settle(1);
      const client = natsActorClient(nc2, P);
      const ask = (i) => client.ask("counter", `b${i % 1e3}`, { type: "add", n: 1 }, { timeoutMs: 1e4 }).then(() => {
      });
      const pg = postgresBackends(env.databaseUrl);
      const meter = new CpuMeter({
        host: () => hosts.length ? hosts.map((h) => h.child.pid) : [process.pid],
        "nats-server": () => [env.nats.pid],
        postgres: pg.source,
        client: () => [process.pid]
      });
      const measure = async (label) => {
        const before = await commitTotals(hosts);
        const cpu = await meter.start();
        const row = await closedLoop(label, concurrency, seconds, ask);
        const sample = await cpu.stop();
        const after = await commitTotals(hosts);
        const commits = after.commits - before.commits;
        return { row, cpu: sample, batch: (after.messages - before.messages) / commits, commitMs: (after.seconds - before.seconds) * 1e3 / commits };
      };
      const measured = [];
      await closedLoop("warm-up", concurrency, 1, ask);
      measured.push(await measure("ask() counter actor, 1 host"));
      if (env.databaseUrl) {
        hosts.push(await spawnHost("bench-h2", hostEnv), await spawnHost("bench-h3", hostEnv));
        process.stderr.write("actors: waiting for three hosts to share the partitions\n");
        const spread = await settle(3);
        await closedLoop("warm-up", concurrency, 1, ask);
        measured.push(await measure(`ask() counter actor, 3 hosts (${[...spread.values()].join("/")} partitions)`));
      }
      rows.push(...measured.map((x) => x.row));
      client.close();
      await pg.close();
      await inProcess?.stop();
      console.log(`
${"measurement".padEnd(52)} ${"ops/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"errors".padStart(7)}`);
      for (const r of rows) console.log(`${r.label.padEnd(52)} ${r.perSecond.toFixed(0).padStart(9)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(7)}`);
      console.log("\nratios (throughput, ask() / baseline):");
      for (const r of rows.slice(2)) console.log(`  ${r.label}: ${(r.perSecond / jsp.perSecond).toFixed(3)} of JetStream publish+ack, ${(r.perSecond / rr.perSecond).toFixed(3)} of core request/reply; p50 ${(r.p50 / jsp.p50).toFixed(2)}x / ${(r.p50 / rr.p50).toFixed(2)}x`);
      console.log("\nCPU per ask, by process (\xB5s; /proc/<pid>/stat over the measurement), and messages per commit transaction:");
      for (const x of baseCpu) console.log(`  ${x.row.label}: ${formatCpu(x.cpu, x.row.ops)} (the echo responder and publisher are the client)`);
      for (const x of measured) console.log(`  ${x.row.label}: ${formatCpu(x.cpu, x.row.ops)}; ${Number.isFinite(x.batch) ? x.batch.toFixed(1) : "-"} messages/commit, ${Number.isFinite(x.commitMs) ? x.commitMs.toFixed(1) : "-"} ms/commit`);
      return { rows };
    } finally {
      await stopAll(hosts.map((h) => h.child));
      await nc.close();
      await nc2.close();
      await env.close();
    }
  }
};

// ops/bench/chat.ts
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import path2 from "node:path";
var PASSWORD = "bench-password";
var DEVICES = ["desktop", "mobile", "web", "cli", "bot"];
async function waitHttp(url, timeoutMs = 6e4) {
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
async function gatewayMemory(http) {
  const text = await (await fetch(`${http}/metrics`)).text();
  const metric = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  const health = await (await fetch(`${http}/healthz`)).json();
  return { rss: metric("troupe_process_process_resident_memory_bytes"), heap: metric("troupe_process_nodejs_heap_size_used_bytes"), connections: health.connections };
}
async function pool(items, concurrency, fn) {
  let i = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}
var chatBench = {
  name: "chat",
  summary: "direct and 500-member room deliveries over WebSocket on two gateways; idle connections and memory per connection",
  async run({ seconds, concurrency }) {
    const env = await benchEnv({ partitions: 64 });
    if (!env.databaseUrl) throw new Error("the chat benchmark runs host and gateways as processes and needs Postgres (TROUPE_BENCH_DATABASE_URL)");
    const children = [];
    const clients = [];
    const nc = await connectAs(env.config, "gateway", "bench");
    try {
      const base = { NATS_URL: env.config.natsUrl, TROUPE_PARTITIONS: "64" };
      const host = spawnRole(["host"], { ...base, DATABASE_URL: env.databaseUrl, TROUPE_SCRYPT_COST: "1024", TROUPE_NODE_ID: "bench-host" });
      children.push(host);
      const gw = [];
      for (const name of ["a", "b"]) {
        const [http, tcp] = [await freePort(), await freePort()];
        children.push(spawnRole(["gateway"], {
          ...base,
          TROUPE_NODE_ID: `bench-gw-${name}`,
          TROUPE_HTTP_PORT: String(http),
          TROUPE_TCP_PORT: String(tcp),
          TROUPE_BIND: "127.0.0.1",
          TROUPE_MAX_CONNECTIONS: "100000",
          TROUPE_LOGIN_TIMEOUT_MS: "3600000",
          TROUPE_IDLE_TIMEOUT_MS: "3600000",
          TROUPE_RATE_BURST: "100000",
          TROUPE_RATE_PER_SECOND: "100000",
          TROUPE_MAX_IN_FLIGHT: "1024",
          TROUPE_REQUEST_TIMEOUT_MS: "30000"
        }));
        gw.push({ ws: `ws://127.0.0.1:${http}/ws`, http: `http://127.0.0.1:${http}`, pid: children[children.length - 1].pid });
      }
      for (const g of gw) await waitHttp(`${g.http}/healthz`);
      const connect = async (g, name, device = "desktop") => {
        const c = await TroupeClient.connect(gw[g].ws, { reconnect: false, heartbeatMs: 0, device: { type: device }, timeoutMs: 6e4 });
        await c.login(name, PASSWORD);
        clients.push(c);
        return c;
      };
      const fdLimit = Number(process.env.TROUPE_BENCH_FD_LIMIT ?? 2e4);
      const idleTarget = Math.min(2e4, fdLimit - 600);
      const users = Array.from({ length: Math.max(500, Math.ceil(idleTarget / DEVICES.length)) }, (_, i) => `bench${i + 1}`);
      console.log(`chat benchmark: 1 host and 2 gateway processes, ${seconds} s per measurement; ${users.length} users; idle target ${idleTarget} connections (this machine allows ${fdLimit} open files per process)`);
      const pg = postgresBackends(env.databaseUrl);
      const meter = new CpuMeter({
        host: () => [host.pid],
        "gateway a": () => [gw[0].pid],
        "gateway b": () => [gw[1].pid],
        "nats-server": () => [env.nats.pid],
        postgres: pg.source,
        clients: () => [process.pid]
      });
      const cpu = [];
      process.stderr.write("ceiling: ask() on a counter actor\n");
      const actors = natsActorClient(nc, 64);
      const ask = (i) => actors.ask("counter", `b${i % 1e3}`, { type: "add", n: 1 }, { timeoutMs: 1e4 }).then(() => {
      });
      await closedLoop("warm-up", concurrency, 1, ask);
      let m0 = await meter.start();
      const ceiling = await closedLoop("ask() counter actor (bench actors ceiling)", concurrency, seconds, ask);
      cpu.push({ label: ceiling.label, sample: await m0.stop(), ops: ceiling.ops, unit: "ask" });
      actors.close();
      process.stderr.write(`registering ${users.length} users
`);
      const reg = await TroupeClient.connect(gw[0].ws, { reconnect: false, heartbeatMs: 0, timeoutMs: 6e4 });
      const ids = /* @__PURE__ */ new Map();
      let done = 0;
      await pool(users, 32, async (name) => {
        ids.set(name, (await reg.register(name, PASSWORD)).id);
        if (++done % 1e3 === 0) process.stderr.write(`  ${done}/${users.length}\r`);
      });
      await reg.close();
      const pairs = 100;
      process.stderr.write(`direct: ${pairs} senders on gateway a, ${pairs} receivers on gateway b
`);
      const senders = await Promise.all(users.slice(0, pairs).map((u) => connect(0, u)));
      const receivers = await Promise.all(users.slice(pairs, 2 * pairs).map((u) => connect(1, u)));
      const dmLatency = [];
      let measuring = false;
      for (const r of receivers) r.on("push", (p) => {
        if (p.op === "chat.message" && measuring) dmLatency.push(Date.now() - Number(p.body));
      });
      let n = 0;
      const dmSend = (i) => senders[i % pairs].request("chat.send", { to: ids.get(users[pairs + i % pairs]), clientMsgId: `dm-${n++}`, body: String(Date.now()) }).then(() => {
      });
      await closedLoop("warm-up", pairs, 1, dmSend);
      await new Promise((r) => setTimeout(r, 500));
      measuring = true;
      m0 = await meter.start();
      const dmSends = await closedLoop("direct messages sent", pairs, seconds, dmSend);
      await new Promise((r) => setTimeout(r, 1e3));
      measuring = false;
      cpu.push({ label: "direct messages", sample: await m0.stop(), ops: dmLatency.length, unit: "delivered message" });
      const dm = { label: "direct messages delivered", perSecond: dmLatency.length / dmSends.seconds, ...percentiles(dmLatency), count: dmLatency.length };
      const size = 500;
      process.stderr.write(`room: ${size} members on two gateways
`);
      const members = await Promise.all(users.slice(0, size).map((u, i) => connect(i % 2, u, "web")));
      const roomLatency = [];
      let roomMeasuring = false;
      for (const m of members) m.on("push", (p) => {
        if (p.op === "chat.message" && roomMeasuring && p.kind === "text") roomLatency.push(Date.now() - Number(p.body));
      });
      const created = await members[0].request("rooms.create", { name: "bench room", members: users.slice(1, size).map((u) => ids.get(u)) }, { timeoutMs: 6e4 });
      const room = created.room.id;
      await new Promise((r) => setTimeout(r, 2e3));
      const roomSenders = members.slice(0, 4);
      const roomInFlight = Math.min(concurrency, 32);
      let m2 = 0;
      const roomSend = (i) => roomSenders[i % roomSenders.length].request("chat.send", { room, clientMsgId: `r-${m2++}`, body: String(Date.now()) }).then(() => {
      });
      await closedLoop("warm-up", roomInFlight, 1, roomSend);
      await new Promise((r) => setTimeout(r, 1e3));
      roomMeasuring = true;
      m0 = await meter.start();
      const roomSends = await closedLoop("room messages sent", roomInFlight, seconds, roomSend);
      await new Promise((r) => setTimeout(r, 2e3));
      roomMeasuring = false;
      cpu.push({ label: `${size}-member room`, sample: await m0.stop(), ops: roomLatency.length, unit: "delivery" });
      const roomResult = { label: `${size}-member room deliveries`, perSecond: roomLatency.length / roomSends.seconds, ...percentiles(roomLatency), count: roomLatency.length, messages: roomSends.ops };
      const scale = [];
      const poster = members[0];
      await Promise.all(members.slice(1).map((c) => c.close().catch(() => {
      })));
      await new Promise((r) => setTimeout(r, 1e3));
      for (const n2 of [2, 50, 500]) {
        const r = await poster.request("rooms.create", { name: `scale ${n2}`, members: users.slice(1e3, 1e3 + n2 - 1).map((u) => ids.get(u)) }, { timeoutMs: 6e4 });
        const rid = r.room.id;
        let k = 0;
        const post = () => poster.request("chat.send", { room: rid, clientMsgId: `s${n2}-${k++}`, body: "x" }).then(() => {
        });
        await closedLoop("warm-up", 8, 1, post);
        const scaleMeter = await meter.start();
        const posts = await closedLoop(`posts to a ${n2}-member room`, 8, Math.max(2, seconds / 2), post);
        const sample = await scaleMeter.stop();
        const [row2] = await queryRows(env.database.db, sql`select octet_length(coalesce(to_jsonb(s)->>'state', '')) as bytes, octet_length(coalesce(to_jsonb(s)->>'apart', '')) as apart from actor_state s where kind = 'room' and id = ${rid}`);
        const us = (name) => (sample.micros.get(name) ?? 0) / Math.max(1, posts.ops);
        scale.push({ members: n2, bytes: Number(row2?.bytes ?? 0), apart: Number(row2?.apart ?? 0), sample, ops: posts.ops, usPerPost: [...sample.micros.values()].reduce((a, b) => a + b, 0) / Math.max(1, posts.ops), hostUs: us("host"), pgUs: us("postgres"), perSecond: posts.perSecond });
      }
      await pg.close();
      await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {
      })));
      await new Promise((r) => setTimeout(r, 3e3));
      const before = await gatewayMemory(gw[0].http);
      const logins = [];
      for (let i = 0; logins.length < idleTarget; i++) logins.push([users[i % users.length], DEVICES[Math.floor(i / users.length) % DEVICES.length]]);
      const half = Math.ceil(logins.length / 2);
      process.stderr.write(`idle: opening ${logins.length} logged-in WebSocket connections to gateway a from 2 processes
`);
      const holders = await Promise.all([logins.slice(0, half), logins.slice(half)].map((part) => new Promise((resolve, reject) => {
        const child = fork(path2.join(path2.dirname(fileURLToPath(import.meta.url)), "chat-clients.ts"), [], { execArgv: ["--import", "tsx"], env: { ...process.env, TROUPE_BENCH_CLIENTS: "1" } });
        children.push(child);
        child.on("message", (m) => {
          if (m.type === "started") child.send({ url: gw[0].ws, password: PASSWORD, logins: part, concurrency: 64 });
          if (m.type === "progress") process.stderr.write(`  +${m.open} open, ${m.failed} failed\r`);
          if (m.type === "ready") resolve({ child, open: m.open });
        });
        child.once("exit", (code) => reject(new Error(`client process exited with ${code}`)));
      })));
      await new Promise((r) => setTimeout(r, 5e3));
      const after = await gatewayMemory(gw[0].http);
      const held = after.connections - before.connections;
      const perConn = { rss: (after.rss - before.rss) / held, heap: (after.heap - before.heap) / held };
      for (const h of holders) h.child.send({ type: "close" });
      const row = (label, rate, p50, p99, extra = "") => console.log(`${label.padEnd(46)} ${rate.padStart(14)} ${p50.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)}  ${extra}`);
      console.log(`
${"measurement".padEnd(46)} ${"per second".padStart(14)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`);
      row(ceiling.label, ceiling.perSecond.toFixed(0), ceiling.p50, ceiling.p99, "(baseline)");
      row(dm.label, dm.perSecond.toFixed(0), dm.p50, dm.p99, `send-to-delivery; ${(dm.perSecond / ceiling.perSecond).toFixed(2)}x of the ceiling`);
      row(roomResult.label, roomResult.perSecond.toFixed(0), roomResult.p50, roomResult.p99, `${(roomSends.ops / roomSends.seconds).toFixed(0)} messages/s x ${size - 1}; ${(roomSends.ops / roomSends.seconds / ceiling.perSecond).toFixed(2)}x of the ceiling in messages`);
      const gatewayUs = (x) => ((x.sample.micros.get("gateway a") ?? 0) + (x.sample.micros.get("gateway b") ?? 0)) / Math.max(1, x.ops);
      console.log("\nCPU by process (\xB5s; /proc/<pid>/stat over the measurement):");
      for (const x of cpu) console.log(`  ${x.label}, per ${x.unit}: ${formatCpu(x.sample, x.ops)}`);
      const roomCpu = cpu.find((x) => x.unit === "delivery");
      console.log(`  gateways: ${gatewayUs(roomCpu).toFixed(1)} \xB5s CPU per room delivery (both gateways' CPU over the room run / deliveries)`);
      console.log("\nrooms by size (one member posting, 8 in flight): the snapshot a post rewrites, the members kept apart, and CPU per post");
      console.log(`  ${"members".padStart(7)} ${"rewritten B".padStart(11)} ${"apart B".padStart(8)} ${"posts/s".padStart(8)} ${"host \xB5s".padStart(8)} ${"pg \xB5s".padStart(7)} ${"all \xB5s".padStart(7)}`);
      for (const r of scale) console.log(`  ${String(r.members).padStart(7)} ${String(r.bytes).padStart(11)} ${String(r.apart).padStart(8)} ${r.perSecond.toFixed(0).padStart(8)} ${r.hostUs.toFixed(0).padStart(8)} ${r.pgUs.toFixed(0).padStart(7)} ${r.usPerPost.toFixed(0).padStart(7)}`);
      for (const r of scale) console.log(`    ${r.members} members, per post: ${formatCpu(r.sample, r.ops)}`);
      console.log(`  a post to the 500-member room costs ${(scale[2].usPerPost / scale[0].usPerPost).toFixed(2)}x a post to the 2-member room (all processes' CPU), ${((scale[2].hostUs + scale[2].pgUs) / (scale[0].hostUs + scale[0].pgUs)).toFixed(2)}x in host and Postgres`);
      console.log(`
idle connections held by one gateway: ${held} (of ${logins.length} attempted; target 20000, limited here to ${idleTarget} by the open-files limit)`);
      console.log(`memory per connection: ${(perConn.rss / 1024).toFixed(1)} KiB resident, ${(perConn.heap / 1024).toFixed(1)} KiB JS heap (aim: under 20 KiB); gateway resident ${(after.rss / 2 ** 20).toFixed(0)} MiB`);
      const rows = [ceiling];
      return { rows };
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => {
      })));
      await nc.close();
      await stopAll(children.filter((c) => c.exitCode === null));
      await env.close();
    }
  }
};

// ops/bench/storage.ts
import fs4 from "node:fs";
import fsp from "node:fs/promises";
import os2 from "node:os";
import path4 from "node:path";
import { createHash, randomFillSync } from "node:crypto";

// ops/bench/nginx.ts
import fs3 from "node:fs";
import path3 from "node:path";
import { spawn as spawn2, spawnSync } from "node:child_process";
function findNginx() {
  for (const p of ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"]) if (fs3.existsSync(p)) return p;
  const r = spawnSync("sh", ["-c", "command -v nginx"], { encoding: "utf8" });
  return r.stdout.trim() || null;
}
function ensureNginx(say2) {
  const found = findNginx();
  if (found) return { bin: found };
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !fs3.existsSync("/usr/bin/apt-get")) return { missing: "nginx is not installed; install it with: sudo apt-get install nginx" };
  say2("nginx is missing; installing the Debian package with apt-get ...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let r = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "nginx"], { stdio: ["ignore", "ignore", "inherit"], env });
  if (r.status !== 0) {
    spawnSync("apt-get", ["update"], { stdio: ["ignore", "ignore", "inherit"], env });
    r = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "nginx"], { stdio: ["ignore", "ignore", "inherit"], env });
  }
  const bin = findNginx();
  return bin ? { bin } : { missing: "apt-get could not install nginx; install it with: sudo apt-get install nginx" };
}
function nginxConf(dir, port) {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  return `# Written by \`troupe bench storage\`: the baseline the storage node is measured against.
daemon off;
master_process on;
worker_processes auto;
${root ? "user root;\n" : ""}pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  default_type application/octet-stream;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    client_max_body_size 0;
    location / {
      # uploads the way a plain web server takes them: WebDAV PUT into the document root
      dav_methods PUT DELETE;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
    }
  }
}
`;
}
async function startNginx(bin, dir, port) {
  fs3.mkdirSync(path3.join(dir, "www"), { recursive: true });
  const conf = path3.join(dir, "nginx.conf");
  fs3.writeFileSync(conf, nginxConf(dir, port));
  const version = spawnSync(bin, ["-v"], { encoding: "utf8" }).stderr.trim().replace(/^nginx version: /, "");
  const child = spawn2(bin, ["-p", dir, "-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (b) => {
    stderr += b.toString();
  });
  const kill = () => child.kill("SIGKILL");
  process.on("exit", kill);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 1e4;
  for (; ; ) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr.trim() || `see ${dir}/error.log`}`);
    const up = await fetch(`${url}/`).then(() => true, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer within 10 s: ${stderr.trim()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    version,
    root: path3.join(dir, "www"),
    async stop() {
      process.off("exit", kill);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", () => r()));
      child.kill("SIGQUIT");
      const timer = setTimeout(kill, 5e3);
      await exited;
      clearTimeout(timer);
    }
  };
}

// ops/bench/storage.ts
var MiB = 1024 * 1024;
async function concurrently(streams, jobs, job) {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: streams }, async () => {
    for (let i = next++; i < jobs; i = next++) await job(i);
  }));
  return (performance.now() - started) / 1e3;
}
async function rangedRead(url, size, chunk, hash) {
  let got = 0;
  for (let start = 0; start < size; start += chunk) {
    const end = Math.min(size, start + chunk) - 1;
    const res = await getFile(url, { range: `bytes=${start}-${end}` });
    if (res.statusCode !== 206) throw new Error(`${url}: ${res.statusCode} to a range request`);
    await new Promise((resolve, reject) => {
      res.on("data", (c) => {
        got += c.length;
        hash?.update(c);
      });
      res.on("end", resolve);
      res.on("error", reject);
    });
  }
  if (got !== size) throw new Error(`${url}: ${got} bytes instead of ${size}`);
  return got;
}
async function writeRandomFile(file, size) {
  const hash = createHash("sha256");
  const out = fs4.createWriteStream(file);
  const block = Buffer.alloc(4 * MiB);
  for (let left = size; left > 0; left -= block.length) {
    const piece = randomFillSync(block).subarray(0, Math.min(left, block.length));
    hash.update(piece);
    if (!out.write(Buffer.from(piece))) await new Promise((r) => out.once("drain", () => r()));
  }
  await new Promise((resolve, reject) => {
    out.once("error", reject);
    out.end(() => resolve());
  });
  return hash.digest("hex");
}
function progress(text) {
  process.stderr.write(`${text}
`);
}
var storageBench = {
  name: "storage",
  summary: "a storage node vs nginx (sendfile on, same files, same run): upload and ranged-download MiB/s at 1 and 16 streams for 1 MiB and 256 MiB files; 4 KiB uploads/s",
  flags: {
    "big-mib": { type: "string", help: "storage: size of the big files in MiB", default: "256" },
    "small-count": { type: "string", help: "storage: 1 MiB files per 16-stream run (the 1-stream run does a quarter)", default: "256" },
    keep: { type: "boolean", help: "storage: keep the work dir under <data-dir>/bench (files, logs, nginx.conf)" }
  },
  async run({ seconds, flags }) {
    const bigSize = Math.max(1, Number(flags["big-mib"]) || 256) * MiB;
    const smallCount = Math.max(16, Number(flags["small-count"]) || 256);
    return runStorageBench({ bigSize, smallCount, tinySeconds: seconds, keep: flags.keep === true });
  }
};
async function runStorageBench(o) {
  const common = parseConfig(["common"], [], {}, process.env).config;
  if (!process.env.TROUPE_LOG_LEVEL) configureLogging("warn");
  const work = resolveDataPath(common, "bench", `storage-${Date.now().toString(36)}`);
  await fsp.mkdir(work, { recursive: true });
  const stat = await fsp.statfs(work);
  const need = 2 * (17 * o.bigSize + o.smallCount * MiB) * 1.1;
  if (stat.bavail * stat.bsize < need) throw new Error(`the benchmark writes about ${formatBytes(need)} under ${work}; only ${formatBytes(stat.bavail * stat.bsize)} are free (use --big-mib)`);
  const cleanups = [];
  try {
    progress(`storage benchmark: work dir ${path4.relative(process.cwd(), work) || work}, ${os2.cpus().length} CPUs`);
    const nginxBin = ensureNginx(progress);
    const env = await benchEnv({ partitions: 8, leaseTtlMs: 4e3, storageSecret: `bench-${process.pid}-${Date.now()}` });
    cleanups.push(() => env.close());
    const { config } = env;
    const hostNc = await connectAs(config, "host", "bench-host");
    cleanups.push(() => hostNc.close());
    const host = await startHostRole(hostNc, env.database, config, "bench-host");
    cleanups.push(() => host.stop());
    const port = await freePort();
    const nodeDir = path4.join(work, "node");
    let where;
    let nodePid = process.pid;
    if (env.databaseUrl) {
      const child = spawnRole(["storage", "--group", "bench", "--data", nodeDir, "--http", String(port), "--storage-bind", "127.0.0.1"], {
        NATS_URL: config.natsUrl,
        DATABASE_URL: env.databaseUrl,
        TROUPE_STORAGE_SECRET: config.storageSecret,
        TROUPE_MAX_UPLOAD_BYTES: String(Math.max(o.bigSize * 2, 8 * 1024 ** 3)),
        TROUPE_ID_STEP: "1000"
      });
      cleanups.push(() => stopAll([child]));
      nodePid = child.pid;
      where = `its own process, database ${redactUrl(env.databaseUrl)}`;
    } else {
      const nc = await connectAs(config, "storage", "bench-node");
      cleanups.push(() => nc.close());
      const node = await startStorageNode({
        group: "bench",
        dataDir: nodeDir,
        nc,
        db: env.database.db,
        secret: config.storageSecret,
        httpPort: port,
        bind: "127.0.0.1",
        maxUploadBytes: Math.max(o.bigSize * 2, 8 * 1024 ** 3),
        idStep: 1e3,
        idStepMax: 1e5,
        heartbeatMs: 3e3,
        shutdownGraceMs: 1e3,
        streamReplicas: 1
      });
      cleanups.push(() => node.stop());
      where = "in this process: no Postgres reachable, and PGlite belongs to one process";
    }
    for (let i = 0; ; i++) {
      const { groups } = await host.runtime.client.query("tracker", TRACKER_ID, { type: "groups" });
      if (groups.some((g) => g.name === "bench" && g.active > 0)) break;
      if (i > 600) throw new Error("the storage node did not turn active within 30 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    progress(`storage node http://127.0.0.1:${port} (${where})`);
    const { user } = await callService(hostNc, "svc.auth.register", { name: `bench${process.pid % 1e5}`, password: "bench-password" });
    const grant = await callService(hostNc, "svc.files.upload", { user: user.id });
    const troupe = {
      name: "troupe",
      async upload(body, size, label) {
        const r = await putFile(`${grant.url}&name=${label}`, Buffer.isBuffer(body) ? body : body(), { "content-length": size, "content-type": "application/octet-stream" });
        return r.fileId;
      },
      async readUrl(fileId) {
        return (await callService(hostNc, "svc.files.download", { user: user.id, id: fileId })).urls[0];
      }
    };
    let nginx;
    if ("bin" in nginxBin) {
      nginx = await startNginx(nginxBin.bin, path4.join(work, "nginx"), await freePort());
      cleanups.push(() => nginx.stop());
      progress(`nginx ${nginx.version} ${nginx.url} (sendfile on; config ${path4.join(work, "nginx", "nginx.conf")})`);
    } else progress(`no baseline: ${nginxBin.missing}`);
    const base = nginx && {
      name: "nginx",
      async upload(body, size, label) {
        const status = await putRaw(`${nginx.url}/u/${label}`, Buffer.isBuffer(body) ? body : body(), { "content-length": size });
        if (status !== 201 && status !== 204) throw new Error(`nginx answered ${status} to PUT /u/${label}`);
        return label;
      },
      async readUrl(name) {
        return `${nginx.url}/u/${name}`;
      }
    };
    const targets = [troupe, ...base ? [base] : []];
    const src = path4.join(work, "src");
    await fsp.mkdir(src, { recursive: true });
    const bigFile = path4.join(src, "big.bin");
    progress(`writing the source files (${formatBytes(o.bigSize)} + 1 MiB + 4 KiB of random bytes)`);
    const bigSha = await writeRandomFile(bigFile, o.bigSize);
    const small = randomFillSync(Buffer.alloc(MiB));
    const tiny = randomFillSync(Buffer.alloc(4096));
    const smallSha = createHash("sha256").update(small).digest("hex");
    const rows = [];
    const stored = {};
    const record = (what, unit, t, value) => {
      let row = rows.find((r) => r.what === what);
      if (!row) rows.push(row = { what, unit, troupe: 0 });
      row[t.name] = value;
      progress(`${t.name.padEnd(6)} ${what}: ${value.toFixed(unit === "MiB/s" ? 1 : 0)} ${unit}`);
    };
    for (const t of targets) stored[t.name] = { small1: [], small16: [], big: [] };
    const single = Math.max(8, Math.floor(o.smallCount / 4));
    for (const t of targets) {
      const s = stored[t.name];
      const secs = await concurrently(1, single, async (i) => {
        s.small1[i] = await t.upload(small, MiB, `s1-${i}`);
      });
      record("upload 1 MiB files, 1 stream", "MiB/s", t, single / secs);
    }
    for (const t of targets) {
      const s = stored[t.name];
      const secs = await concurrently(16, o.smallCount, async (i) => {
        s.small16[i] = await t.upload(small, MiB, `s16-${i}`);
      });
      record("upload 1 MiB files, 16 streams", "MiB/s", t, o.smallCount / secs);
    }
    const bigMiB = o.bigSize / MiB;
    const bigLabel = formatBytes(o.bigSize);
    for (const t of targets) {
      const s = stored[t.name];
      const secs = await concurrently(1, 1, async () => {
        s.big[0] = await t.upload(() => fs4.createReadStream(bigFile, { highWaterMark: MiB }), o.bigSize, "big-0");
      });
      record(`upload ${bigLabel} files, 1 stream`, "MiB/s", t, bigMiB / secs);
    }
    for (const t of targets) {
      const s = stored[t.name];
      const secs = await concurrently(16, 16, async (i) => {
        s.big[i + 1] = await t.upload(() => fs4.createReadStream(bigFile, { highWaterMark: MiB }), o.bigSize, `big-${i + 1}`);
      });
      record(`upload ${bigLabel} files, 16 streams`, "MiB/s", t, 16 * bigMiB / secs);
    }
    const urls = {};
    for (const t of targets) {
      const s = stored[t.name];
      urls[t.name] = { small: [], big: [] };
      for (const id of [...s.small1, ...s.small16]) urls[t.name].small.push(await t.readUrl(id));
      for (const id of s.big) urls[t.name].big.push(await t.readUrl(id));
    }
    progress("checking the stored bytes by sha-256 on both servers");
    for (const t of targets) {
      for (const [url, size, sha] of [[urls[t.name].small[0], MiB, smallSha], [urls[t.name].big[16], o.bigSize, bigSha]]) {
        const hash = createHash("sha256");
        await rangedRead(url, size, 64 * MiB, hash);
        if (hash.digest("hex") !== sha) throw new Error(`${t.name}: ${url} does not hash to what was uploaded`);
      }
    }
    const chunk = 16 * MiB;
    for (const t of targets) {
      const list = urls[t.name].small;
      const secs = await concurrently(1, single, async (i) => {
        await rangedRead(list[i % list.length], MiB, MiB);
      });
      record("ranged download 1 MiB files, 1 stream", "MiB/s", t, single / secs);
    }
    for (const t of targets) {
      const list = urls[t.name].small;
      const secs = await concurrently(16, o.smallCount, async (i) => {
        await rangedRead(list[i % list.length], MiB, MiB);
      });
      record("ranged download 1 MiB files, 16 streams", "MiB/s", t, o.smallCount / secs);
    }
    for (const t of targets) {
      const secs = await concurrently(1, 1, async () => {
        await rangedRead(urls[t.name].big[0], o.bigSize, chunk);
      });
      record(`ranged download ${bigLabel} files (16 MiB ranges), 1 stream`, "MiB/s", t, bigMiB / secs);
    }
    for (const t of targets) {
      const secs = await concurrently(16, 16, async (i) => {
        await rangedRead(urls[t.name].big[i + 1], o.bigSize, chunk);
      });
      record(`ranged download ${bigLabel} files (16 MiB ranges), 16 streams`, "MiB/s", t, 16 * bigMiB / secs);
    }
    const loads = [];
    const phases = async () => {
      const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => "");
      const out = /* @__PURE__ */ new Map();
      for (const phase of ["receive", "files", "binlog", "rows", "durable"]) {
        const lines2 = text.split("\n").filter((l) => l.includes(`phase="${phase}"`));
        out.set(phase, histogramTotals(lines2.join("\n"), "troupe_storage_upload_phase_seconds"));
      }
      out.set("group", histogramTotals(text, "troupe_storage_upload_group_files"));
      return out;
    };
    let breakdown = "";
    const pg = postgresBackends(env.databaseUrl);
    cleanups.push(() => pg.close());
    const meter = new CpuMeter({ "storage node": () => [nodePid], "nats-server": () => [env.nats.pid], postgres: pg.source, "client and host": () => [process.pid] });
    let tinyCpu;
    for (const t of targets) {
      const before = t === troupe ? await phases() : void 0;
      const cpu = t === troupe ? await meter.start() : void 0;
      const r = await closedLoop(`${t.name} 4 KiB uploads`, 16, o.tinySeconds, async (i) => {
        await t.upload(tiny, tiny.length, `t-${i}`);
      });
      if (r.errors) throw new Error(`${t.name}: ${r.errors} of the 4 KiB uploads failed`);
      loads.push(r);
      record("4 KiB uploads, 16 streams", "uploads/s", t, r.perSecond);
      if (cpu) tinyCpu = await cpu.stop();
      if (before) {
        const after = await phases();
        const mean = (k) => {
          const a = after.get(k);
          const b = before.get(k);
          return a.count > b.count ? (a.sum - b.sum) / (a.count - b.count) : NaN;
        };
        const ms2 = (k) => Number.isFinite(mean(k)) ? `${(mean(k) * 1e3).toFixed(2)} ms` : "-";
        breakdown = `where a 4 KiB upload's time goes (means at the node; the client's p50 is ${r.p50.toFixed(1)} ms): receive (bytes, sha-256, fsync) ${ms2("receive")}; then per group of ${Number.isFinite(mean("group")) ? mean("group").toFixed(1) : "-"} uploads made durable together ${ms2("durable")}: files (renames, metadata files, fsyncs) ${ms2("files")}, binlog records ${ms2("binlog")}, rows ${ms2("rows")}; the rest is the client, HTTP and the wait for the group in flight`;
      }
    }
    printReport(rows, nginx?.version, "bin" in nginxBin ? void 0 : nginxBin.missing, loads);
    if (breakdown) console.log(breakdown);
    if (tinyCpu) console.log(`CPU per 4 KiB upload (\xB5s; /proc/<pid>/stat): ${formatCpu(tinyCpu, loads[0].ops)}`);
    return { rows: loads };
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => {
    });
    if (!o.keep) await fsp.rm(work, { recursive: true, force: true });
    else progress(`kept ${work}`);
  }
}
function printReport(rows, nginxVersion, missing, loads) {
  const fmt = (r, v) => v === void 0 ? "-" : `${v.toFixed(r.unit === "MiB/s" ? 1 : 0)} ${r.unit}`;
  const w = Math.max(...rows.map((r) => r.what.length));
  const lines2 = [
    "",
    `Storage benchmark: a storage node (tickets, sha-256, fsync, binlog record, Postgres row per upload) vs nginx ${nginxVersion ?? "(missing)"} (sendfile on, WebDAV PUT), same files, same client, same run, ${os2.cpus().length} CPUs`,
    "",
    `${"measure".padEnd(w)}  ${"troupe".padStart(16)}  ${"nginx".padStart(16)}  ratio`,
    ...rows.map((r) => `${r.what.padEnd(w)}  ${fmt(r, r.troupe).padStart(16)}  ${fmt(r, r.nginx).padStart(16)}  ${r.nginx ? (r.troupe / r.nginx).toFixed(2) : "-"}`),
    "",
    `4 KiB upload latency: ${loads.map((l) => `${l.label.split(" ")[0]} p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms`).join("; ")}`,
    ""
  ];
  if (missing) lines2.push(`No baseline: ${missing}`);
  else {
    lines2.push("Closing note: ratio = troupe / nginx (1.00 = as fast as nginx).", ...rows.map((r) => `  ${r.what}: ${(r.troupe / r.nginx).toFixed(2)}`));
  }
  console.log(lines2.join("\n"));
}

// ops/bench/soak.ts
import fs6 from "node:fs";

// ops/own-postgres.ts
import { spawn as spawn3, spawnSync as spawnSync2 } from "node:child_process";
import fs5 from "node:fs";
import os3 from "node:os";
import path5 from "node:path";
import net from "node:net";
function binDir() {
  const r = spawnSync2("pg_config", ["--bindir"], { encoding: "utf8" });
  const candidates = [r.status === 0 ? r.stdout.trim() : ""];
  try {
    for (const v of fs5.readdirSync("/usr/lib/postgresql").sort().reverse()) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
  }
  return candidates.find((d) => d && fs5.existsSync(path5.join(d, "initdb")) && fs5.existsSync(path5.join(d, "postgres"))) ?? null;
}
function postgresBinaries() {
  const dir = binDir();
  return dir ? { dir } : { missing: "PostgreSQL server binaries (initdb, postgres) not found; install the Debian package postgresql" };
}
var asRoot = typeof process.getuid === "function" && process.getuid() === 0;
function run(dir, cmd, args) {
  const exe = path5.join(dir, cmd);
  return asRoot ? spawnSync2("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", exe, ...args], { encoding: "utf8" }) : spawnSync2(exe, args, { encoding: "utf8" });
}
function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
async function startOwnPostgres() {
  const bins = postgresBinaries();
  if ("missing" in bins) throw new Error(bins.missing);
  const base = fs5.mkdtempSync(path5.join(os3.tmpdir(), "troupe-pg-"));
  const data = path5.join(base, "data");
  fs5.mkdirSync(data);
  if (asRoot) spawnSync2("chown", ["-R", "postgres:postgres", base]);
  fs5.chmodSync(base, 493);
  const init = run(bins.dir, "initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let child;
  let log = "";
  const start = async () => {
    const deadline = Date.now() + 3e4;
    for (; ; ) {
      const exe = path5.join(bins.dir, "postgres");
      const args = ["-D", data, "-p", String(port), "-k", base, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"];
      child = asRoot ? spawn3("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", exe, ...args], { stdio: ["ignore", "pipe", "pipe"] }) : spawn3(exe, args, { stdio: ["ignore", "pipe", "pipe"] });
      const me = child;
      me.stderr.on("data", (b) => {
        log = (log + b.toString()).slice(-2e4);
      });
      me.stdout.on("data", () => {
      });
      while (Date.now() < deadline && me.exitCode === null) {
        if (await canConnect(port)) {
          const ready = spawnSync2(path5.join(bins.dir, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port)]);
          if (ready.status === 0) return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      if (Date.now() >= deadline) throw new Error(`postgres did not start on ${port}:
${log}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };
  const exited = (c) => new Promise((r) => c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r()));
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    get pid() {
      return child?.pid;
    },
    async restart() {
      const c = child;
      c.kill("SIGINT");
      await exited(c);
      await start();
    },
    async crashAndRecover() {
      const c = child;
      c.kill("SIGKILL");
      await exited(c);
      await start();
    },
    async stop() {
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        c.kill("SIGINT");
        await Promise.race([exited(c), new Promise((r) => setTimeout(r, 1e4))]);
        if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      }
      fs5.rmSync(base, { recursive: true, force: true });
    }
  };
}

// ops/bench/soak.ts
import os4 from "node:os";
import path6 from "node:path";
var PASSWORD2 = "soak-password-1";
function rssMiB(pid) {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs6.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
function slope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den ? num / den : NaN;
}
var soakBench = {
  name: "soak",
  summary: "chat across 3 gateways and 2 hosts for --minutes while a gateway, a host and Postgres restart in turn: lost, duplicated, p99 and RSS per minute",
  flags: {
    minutes: { type: "string", help: "soak: how long to run (default 10)" },
    "fault-every": { type: "string", help: "soak: seconds between restarts (gateway, host, Postgres in turn; default 60)" },
    users: { type: "string", help: "soak: chat users (default 24; rooms of 6)" }
  },
  async run({ flags }) {
    const minutes = Number(flags.minutes ?? 10);
    const faultEvery = Number(flags["fault-every"] ?? 60);
    const users = Number(flags.users ?? 24);
    if (!(minutes > 0) || !(faultEvery > 0) || !Number.isInteger(users) || users < 6) throw new Error("--minutes and --fault-every must be positive, --users a whole number >= 6");
    const dir = fs6.mkdtempSync(path6.join(os4.tmpdir(), "troupe-soak-"));
    const config = { ...defaultConfig(), logLevel: "warn", scryptCost: 1024, partitions: 32 };
    const secrets = randomSecrets();
    applyStoredSecrets(config, secrets);
    Object.assign(process.env, secrets);
    const nats = await startNatsServer({ config, dir: path6.join(dir, "nats"), port: 0 });
    config.natsUrl = nats.url;
    let pg;
    const procs = [];
    const members = [];
    let running = true;
    try {
      pg = await startOwnPostgres();
      const db = await openDatabase({ databaseUrl: pg.url, poolSize: 2 });
      await migrate(db, pg.url);
      await db.close();
      const base = { NATS_URL: config.natsUrl, DATABASE_URL: pg.url, TROUPE_PARTITIONS: "32", TROUPE_SCRYPT_COST: "1024", TROUPE_LOG_LEVEL: "warn", TROUPE_REQUEST_TIMEOUT_MS: "5000" };
      for (const h of ["soak-h1", "soak-h2"]) procs.push({ name: h, args: ["host"], env: { ...base, TROUPE_NODE_ID: h } });
      const gwPorts = [];
      for (const g of ["soak-ga", "soak-gb", "soak-gc"]) {
        const ports = { http: await freePort(), tcp: await freePort() };
        gwPorts.push(ports);
        procs.push({
          name: g,
          args: ["gateway", "--http-port", String(ports.http), "--tcp-port", String(ports.tcp)],
          env: { ...base, TROUPE_NODE_ID: g, TROUPE_DRAIN_GRACE_MS: "5000", TROUPE_RATE_PER_SECOND: "200", TROUPE_RATE_BURST: "400" }
        });
      }
      const start = (p) => {
        p.child = spawnRole(p.args, p.env);
      };
      const exited = (c) => new Promise((r) => c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r()));
      for (const p of procs) start(p);
      for (const [i, ports] of gwPorts.entries()) await waitHttp2(`http://127.0.0.1:${ports.http}/healthz`, procs[2 + i]);
      process.stderr.write(`soak: ${users} users on 3 gateways, 2 hosts, a private Postgres; ${minutes} min, a restart every ${faultEvery} s
`);
      for (let i = 0; i < users; i++) {
        const g = gwPorts[i % 3];
        const url = i % 2 ? `ws://127.0.0.1:${g.http}/ws` : `tcp://127.0.0.1:${g.tcp}`;
        const c = await TroupeClient.connect(url, { failover: true, heartbeatMs: 1e4, timeoutMs: 1e4, maxReconnectDelayMs: 2e3, device: { type: "desktop" } });
        await c.register(`soak${i}`, PASSWORD2);
        const me = await c.login(`soak${i}`, PASSWORD2);
        members.push({ name: `soak${i}`, id: me.id, c, chat: new ChatSession(c, { resyncMs: 5e3 }), rooms: [] });
      }
      for (let r = 0; r < users / 6; r++) {
        const group = members.slice(r * 6, r * 6 + 6);
        const room = (await group[0].c.request("rooms.create", { name: `Soak ${r}`, members: group.slice(1).map((m) => m.id) })).room.id;
        for (const m of group) m.rooms.push(room);
      }
      const sentAt = /* @__PURE__ */ new Map();
      const recipients = /* @__PURE__ */ new Map();
      const received = /* @__PURE__ */ new Map();
      let duplicated = 0;
      let delivered = 0;
      let minuteLatencies = [];
      let minuteSent = 0;
      let minuteDelivered = 0;
      for (const m of members) {
        const seen = /* @__PURE__ */ new Set();
        m.chat.on("entry", (e) => {
          if (e.kind !== "text" || e.from === m.id) return;
          const key = `${e.room}#${e.seq}`;
          if (seen.has(key)) {
            duplicated++;
            return;
          }
          seen.add(key);
          received.set(key, (received.get(key) ?? 0) + 1);
          delivered++;
          minuteDelivered++;
          const t = sentAt.get(key) ?? Number(String(e.body).split("|")[0]);
          if (Number.isFinite(t)) minuteLatencies.push(Date.now() - t);
        });
        await m.chat.start();
      }
      const sender = async (m, k) => {
        await new Promise((r) => setTimeout(r, k * 97 % 2e3));
        for (let n = 0; running; n++) {
          const clientMsgId = `${m.name}-${n}`;
          const t = Date.now();
          for (; ; ) {
            try {
              const r = await m.chat.send({ room: m.rooms[0] }, clientMsgId, `${t}|${m.name} ${n}`, { timeoutMs: 1e4 });
              const key = `${r.room}#${r.seq}`;
              sentAt.set(key, t);
              recipients.set(key, 5);
              minuteSent++;
              break;
            } catch (e) {
              if (!(e instanceof TroupeError) || ["forbidden", "not_found", "bad_request"].includes(e.code)) throw e;
              if (!running) return;
              await new Promise((r) => setTimeout(r, 250));
            }
          }
          await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1e3));
        }
      };
      const senders = members.map((m, k) => sender(m, k));
      const faults = [];
      let faultRound = 0;
      const faultTimer = setInterval(() => {
        const kind = faultRound++ % 3;
        void (async () => {
          if (kind === 0) {
            const p = procs[2 + Math.floor(faultRound / 3) % 3];
            p.child.kill("SIGTERM");
            await exited(p.child);
            start(p);
            faults.push(`${p.name} restarted (SIGTERM)`);
          } else if (kind === 1) {
            const p = procs[Math.floor(faultRound / 3) % 2];
            p.child.kill("SIGKILL");
            await exited(p.child);
            start(p);
            faults.push(`${p.name} killed and restarted`);
          } else {
            await pg.restart();
            faults.push("Postgres restarted");
          }
        })().catch((e) => faults.push(`fault failed: ${e.message}`));
      }, faultEvery * 1e3);
      const rows = [];
      const rss = /* @__PURE__ */ new Map();
      const started = Date.now();
      console.log(`
${"min".padStart(4)} ${"sent".padStart(7)} ${"delivered".padStart(10)} ${"p99 ms".padStart(8)}  RSS MiB (${[...procs.map((p) => p.name), "postgres", "nats", "clients"].join(" / ")})  restarts`);
      for (let minute = 1; minute <= Math.ceil(minutes); minute++) {
        const until2 = started + Math.min(minutes, minute) * 6e4;
        while (Date.now() < until2) await new Promise((r) => setTimeout(r, 500));
        const mem = [...procs.map((p) => [p.name, rssMiB(p.child?.pid)]), ["postgres", rssMiB(pg.pid)], ["nats", rssMiB(nats.pid)], ["clients", process.memoryUsage().rss / 1048576]];
        for (const [name, v] of mem) rss.set(name, [...rss.get(name) ?? [], [minute, v]]);
        const { p99 } = percentiles(minuteLatencies);
        const row = [String(minute), String(minuteSent), String(minuteDelivered), Number.isFinite(p99) ? p99.toFixed(0) : "-", mem.map(([, v]) => v.toFixed(0)).join(" / "), faults.splice(0).join("; ")];
        rows.push(row);
        console.log(`${row[0].padStart(4)} ${row[1].padStart(7)} ${row[2].padStart(10)} ${row[3].padStart(8)}  ${row[4]}  ${row[5]}`);
        minuteLatencies = [];
        minuteSent = 0;
        minuteDelivered = 0;
      }
      clearInterval(faultTimer);
      running = false;
      await Promise.all(senders);
      const settle = Date.now() + 6e4;
      const missing = () => [...recipients].reduce((a, [k, n]) => a + Math.max(0, n - (received.get(k) ?? 0)), 0);
      while (missing() > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 500));
      const expected = [...recipients.values()].reduce((a, b) => a + b, 0);
      console.log(`
sent ${recipients.size} messages, ${expected} deliveries expected: delivered ${delivered}, lost ${missing()}, duplicated ${duplicated}`);
      console.log("RSS slope per process (MiB per minute, least squares over the run; a leak is a steady positive slope):");
      for (const [name, pts] of rss) console.log(`  ${name.padEnd(10)} ${slope(pts).toFixed(2).padStart(7)}   (${pts[0][1].toFixed(0)} -> ${pts[pts.length - 1][1].toFixed(0)} MiB)`);
      return { rows: [] };
    } finally {
      running = false;
      for (const m of members) {
        m.chat.stop();
        await m.c.close().catch(() => {
        });
      }
      for (const p of procs) p.child?.kill("SIGKILL");
      await pg?.stop();
      await nats.stop();
      fs6.rmSync(dir, { recursive: true, force: true });
    }
  }
};
async function waitHttp2(url, p, timeoutMs = 6e4) {
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
    }
    if (Date.now() > deadline) throw new Error(`${p.name} did not come up at ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ops/bench/web.ts
var BUDGET_GZIP = 150 * 1024;
var PASSWORD3 = "bench-password";
async function seed(client, target, count, tag) {
  let room = "";
  let next = 0;
  let done = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: 24 }, async () => {
    while (next < count) {
      const i = next++;
      const body = i % 7 === 0 ? `${tag} message ${i}: a longer one, to make rows of different heights \u2014 ${"lorem ipsum dolor sit amet ".repeat(1 + i % 5)}` : `${tag} message ${i}`;
      for (let attempt = 0; ; attempt++) {
        try {
          room = (await client.request("chat.send", { ...target, clientMsgId: `${tag}-${i}`, body }, { timeoutMs: 2e4 })).room;
          break;
        } catch (e) {
          if (attempt > 5) throw e;
        }
      }
      if (++done % 1e3 === 0) process.stderr.write(`  seeding ${tag}: ${done}/${count} (${Math.round(done / ((Date.now() - started) / 1e3))}/s)\r`);
    }
  }));
  process.stderr.write(" ".repeat(60) + "\r");
  return room;
}
async function protocolBaseline(wsUrl, name, room, total) {
  const t0 = performance.now();
  const c = await TroupeClient.connect(wsUrl, { reconnect: false, heartbeatMs: 0, device: { type: "bot" } });
  try {
    await c.login(name, PASSWORD3);
    let page = await c.request("chat.history", { room, limit: 50 });
    const first = performance.now() - t0;
    let have = page.messages.length;
    while (page.more && have < total) {
      page = await c.request("chat.history", { room, before: page.messages[0].seq, limit: 200 });
      have += page.messages.length;
    }
    return { first, all: performance.now() - t0 };
  } finally {
    await c.close();
  }
}
var LOAD_ALL = `(async () => {
  const el = document.querySelector('[data-testid="messages"]');
  const t0 = performance.now();
  while (!el.textContent.includes('This is the beginning of the conversation.')) {
    el.scrollTop = 0;
    await new Promise((r) => setTimeout(r, 16));
  }
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
})()`;
var SCROLL = (selector) => `(async () => {
  const el = document.querySelector(${JSON.stringify(selector)});
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  el.scrollTop = 0;
  await frame();
  let longTasks = 0;
  const po = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
  try { po.observe({ type: 'longtask' }); } catch { }
  const frames = [];
  let rowsInDom = 0;
  const step = Math.max(50, el.clientHeight / 2);
  while (el.scrollTop + el.clientHeight < el.scrollHeight - 2 && frames.length < 3000) {
    const t = performance.now();
    el.scrollTop += step;
    await frame();
    frames.push(performance.now() - t);
    rowsInDom = Math.max(rowsInDom, el.querySelectorAll('[data-testid="message"], .plain-row').length);
  }
  po.disconnect();
  return { frames, longTasks, rowsInDom };
})()`;
var STATIC_PAGE = (count) => `(() => {
  const t0 = performance.now();
  const box = document.createElement('div');
  box.style.cssText = 'height:760px;overflow-y:auto;font:15px system-ui,sans-serif';
  box.id = 'plain';
  for (let i = 0; i < ${count}; i++) {
    const row = document.createElement('div');
    row.className = 'plain-row';
    row.style.cssText = 'padding:4px 16px';
    const who = document.createElement('b');
    who.textContent = 'bob ';
    row.append(who, document.createTextNode(i % 7 === 0 ? 'message ' + i + ': a longer one ' + 'lorem ipsum dolor sit amet '.repeat(1 + (i % 5)) : 'message ' + i));
    box.append(row);
  }
  document.body.append(box);
  void box.scrollHeight;
  return performance.now() - t0;
})()`;
function loadAllHistory(page) {
  return page.evaluate(LOAD_ALL);
}
function scrollThrough(page, selector) {
  return page.evaluate(SCROLL(selector));
}
async function staticBaseline(page, n) {
  await page.goto("about:blank");
  const renderMs = await page.evaluate(STATIC_PAGE(n));
  await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
  return { renderMs, scroll: await scrollThrough(page, "#plain") };
}
function frameLine(label, s) {
  const p = percentiles(s.frames);
  const max = s.frames.length ? Math.max(...s.frames) : NaN;
  return `${label.padEnd(44)} ${String(s.frames.length).padStart(6)} ${p.p50.toFixed(1).padStart(8)} ${p.p99.toFixed(1).padStart(8)} ${max.toFixed(1).padStart(8)} ${String(s.longTasks).padStart(6)} ${String(s.rowsInDom).padStart(7)}`;
}
var webBench = {
  name: "web",
  summary: "the web client in Chromium: bundle size vs budget, first message after sign-in, 1,000 and 10,000 messages loaded and scrolled",
  flags: {
    messages: { type: "string", help: "web: messages in the conversation loaded and scrolled", default: "1000" },
    big: { type: "string", help: "web: messages in the large conversation (0 skips it)", default: "10000" }
  },
  async run({ flags }) {
    const count = Math.max(50, Number(flags.messages) || 1e3);
    const big = Math.max(0, Number(flags.big ?? 1e4) || 0);
    const { manifest } = await ensureWebBundle({ say: (m) => console.log(m) });
    const size = bundleSizes(manifest);
    console.log(`web client bundle (JS + CSS): ${formatBytes(size.bytes)} raw, ${formatBytes(size.gzip)} gzip, ${formatBytes(size.brotli)} brotli; budget ${formatBytes(BUDGET_GZIP)} gzip: ${(100 * size.gzip / BUDGET_GZIP).toFixed(0)} % used`);
    ensureChromium();
    const env = await benchEnv({ partitions: 16, rateBurst: 5e3, ratePerSecond: 5e3, maxInFlight: 64, httpPort: 0, tcpPort: 0, bind: "127.0.0.1" });
    const hostNc = await connectAs(env.config, "host", "bench-host");
    const host = await startHostRole(hostNc, env.database, env.config, "bench-host");
    const gwNc = await connectAs(env.config, "gateway", "bench-gw");
    const gateway = await startGatewayRole(gwNc, env.config, "bench-gw");
    const browser = await launchChromium();
    const clients = [];
    try {
      const wsUrl = `ws://127.0.0.1:${gateway.httpPort}/ws`;
      const web = `http://127.0.0.1:${gateway.httpPort}/`;
      const open = async (name) => {
        const c = await TroupeClient.connect(wsUrl, { reconnect: false, heartbeatMs: 0, device: { type: "cli" } });
        clients.push(c);
        await c.register(name, PASSWORD3);
        await c.login(name, PASSWORD3);
        return c;
      };
      const alice = await open("alice");
      const bob = await open("bob");
      console.log(`seeding ${count}${big ? ` and ${big}` : ""} messages through the gateway ...`);
      const direct = await seed(bob, { to: alice.user.id }, count, "direct");
      let bigRoom = "";
      if (big) {
        bigRoom = (await alice.request("rooms.create", { name: "Big", members: [bob.user.id] })).room.id;
        await seed(bob, { room: bigRoom }, big, "big");
      }
      const firsts = [];
      const baselineFirsts = [];
      for (let round = 0; round < 5; round++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${web}#/r/${direct}`);
        await page.getByLabel("Name").fill("alice");
        await page.getByLabel("Password").fill(PASSWORD3);
        const t0 = Date.now();
        await page.getByRole("button", { name: "Sign in" }).first().click();
        await page.locator('[data-testid="message"]').first().waitFor({ timeout: 3e4 });
        firsts.push(Date.now() - t0);
        await context.close();
        baselineFirsts.push((await protocolBaseline(wsUrl, "alice", direct, 0)).first);
      }
      const rows = [];
      const measureRoom = async (room, n) => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${web}#/r/${room}`);
        await page.getByLabel("Name").fill("alice");
        await page.getByLabel("Password").fill(PASSWORD3);
        await page.getByRole("button", { name: "Sign in" }).first().click();
        await page.locator('[data-testid="message"]').first().waitFor({ timeout: 3e4 });
        const loadMs = await loadAllHistory(page);
        const scroll = await scrollThrough(page, '[data-testid="messages"]');
        const base = await protocolBaseline(wsUrl, "alice", room, n);
        const plain = await staticBaseline(page, n);
        await context.close();
        return { loadMs, scroll, base, plain };
      };
      const small = await measureRoom(direct, count);
      const large = big ? await measureRoom(bigRoom, big) : null;
      const p = (v) => percentiles(v).p50;
      const ms2 = (v) => (v === null ? "-" : `${v.toFixed(0)} ms`).padStart(11);
      console.log(`
${"measurement".padEnd(50)} ${"web client".padStart(11)} ${"Node client".padStart(11)} ${"static page".padStart(11)}`);
      const line = (label, web2, node, plain) => console.log(`${label.padEnd(50)} ${ms2(web2)} ${ms2(node)} ${ms2(plain)}`);
      line("first message rendered after Sign in (p50 of 5)", p(firsts), p(baselineFirsts), null);
      line(`${count} messages loaded and rendered (scrolling up)`, small.loadMs, small.base.all - small.base.first, small.plain.renderMs);
      if (large) line(`${big} messages loaded and rendered (scrolling up)`, large.loadMs, large.base.all - large.base.first, large.plain.renderMs);
      console.log("(Node client: the same requests from a protocol client in Node, so what the system and network take;\n static page: the same number of plain rows put in a page at once, without a framework or windowing)");
      console.log(`
${"scrolling top to bottom, half a screen a step".padEnd(44)} ${"steps".padStart(6)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"max ms".padStart(8)} ${"long".padStart(6)} ${"in DOM".padStart(7)}`);
      rows.push(frameLine(`web client, ${count} messages`, small.scroll), frameLine(`static page, ${count} plain rows (baseline)`, small.plain.scroll));
      if (large) rows.push(frameLine(`web client, ${big} messages`, large.scroll), frameLine(`static page, ${big} plain rows (baseline)`, large.plain.scroll));
      for (const r of rows) console.log(r);
      console.log("\n(step: from setting scrollTop to the second animation frame after it; long: tasks over 50 ms; in DOM: most message rows in the document at once)");
      return { rows: [] };
    } finally {
      await browser.close().catch(() => {
      });
      for (const c of clients) await c.close().catch(() => {
      });
      await gateway.stop();
      await gwNc.close();
      await host.stop();
      await hostNc.close();
      await env.close();
    }
  }
};

// ops/bench/watch.ts
import fs8 from "node:fs";
import os5 from "node:os";

// ops/bench/watch-system.ts
var import_kv2 = __toESM(require_mod2(), 1);
import fs7 from "node:fs";
import path7 from "node:path";
var CLIP = path7.join(projectRoot, "test", "fixtures", "clip.mp4");
var CLIP_MS = 3e4;
var PASSWORD4 = "bench-watch-pw";
async function waitHttp3(url, proc, timeoutMs = 6e4) {
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) throw new Error(`${proc.name} exited before ${url} answered`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
    }
    if (Date.now() > deadline) throw new Error(`${proc.name} did not come up at ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
async function until(what, cond, timeoutMs = 6e4) {
  const deadline = Date.now() + timeoutMs;
  while (!await cond().catch(() => false)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
async function startWatchSystem(o) {
  await ensureWebBundle({ say: o.say });
  const adminToken = `bench-admin-${Math.random().toString(36).slice(2)}`;
  const env = await benchEnv({ partitions: 16 });
  const procs = [];
  const clients = [];
  let nc;
  let actors;
  const stop = async () => {
    actors?.close();
    await Promise.all(clients.map((c) => c.close().catch(() => {
    })));
    await nc?.close().catch(() => {
    });
    await stopAll(procs.map((p) => p.child).filter((c) => c.exitCode === null && c.signalCode === null));
    await env.close();
  };
  try {
    if (!env.databaseUrl) throw new Error("the watch benchmark runs hosts as processes and needs Postgres (TROUPE_BENCH_DATABASE_URL)");
    const base = {
      NATS_URL: env.config.natsUrl,
      DATABASE_URL: env.databaseUrl,
      TROUPE_PARTITIONS: "16",
      TROUPE_SCRYPT_COST: "1024",
      TROUPE_LEASE_TTL_MS: String(o.leaseTtlMs),
      TROUPE_STORAGE_MISSED_BEATS: "4",
      TROUPE_WATCH_NODE_VIEWERS: String(o.viewersPerNode),
      // the benchmark sends more control commands in a minute than a person would
      TROUPE_WATCH_CONTROL_BURST: "50",
      TROUPE_WATCH_CONTROL_PER_MINUTE: "600"
    };
    const hosts = [];
    const hostHealth = [];
    for (const name of ["bench-h1", "bench-h2"]) {
      const port = await freePort();
      hosts.push({ name, child: spawnRole(["host"], { ...base, TROUPE_NODE_ID: name, TROUPE_METRICS_PORT: String(port) }) });
      hostHealth.push(`http://127.0.0.1:${port}/healthz`);
    }
    procs.push(...hosts);
    const gateways = [];
    for (const name of ["bench-ga", "bench-gb"]) {
      const [http, tcp] = [await freePort(), await freePort()];
      procs.push({
        name,
        child: spawnRole(["gateway"], {
          ...base,
          TROUPE_NODE_ID: name,
          TROUPE_HTTP_PORT: String(http),
          TROUPE_TCP_PORT: String(tcp),
          TROUPE_BIND: "127.0.0.1",
          TROUPE_ADMIN_TOKEN: adminToken,
          // stopped at the end, when nobody is left to move to another gateway
          TROUPE_DRAIN_GRACE_MS: "1000"
        })
      });
      gateways.push({ name, http: `http://127.0.0.1:${http}`, ws: `ws://127.0.0.1:${http}/ws` });
    }
    const storage = [];
    const storageHealth = [];
    for (let i = 0; i < o.storageNodes; i++) {
      const port = await freePort();
      const dir = path7.join(env.dir, `storage-${i}`);
      fs7.mkdirSync(dir, { recursive: true });
      storage.push({ name: `bench-s${i + 1}`, child: spawnRole(["storage", "--group", "g1", "--data", dir, "--http", String(port)], { ...base, TROUPE_NODE_ID: `bench-s${i + 1}`, TROUPE_STORAGE_HEARTBEAT_MS: "500", TROUPE_STORAGE_SHUTDOWN_GRACE_MS: "500" }) });
      storageHealth.push(`http://127.0.0.1:${port}/healthz`);
    }
    procs.push(...storage);
    await Promise.all([
      ...hosts.map((h, i) => waitHttp3(hostHealth[i], h)),
      ...gateways.map((g, i) => waitHttp3(`${g.http}/healthz`, procs[hosts.length + i])),
      ...storage.map((s, i) => waitHttp3(storageHealth[i], s))
    ]);
    nc = await connectAs(env.config, "host", "bench-watch");
    actors = natsActorClient(nc, 16, "bench-watch");
    const groupView = () => actors.ask("group", "g1", { type: "view" });
    await until(`${o.storageNodes} active storage nodes`, async () => (await groupView()).members.filter((m) => m.state === "active").length >= o.storageNodes);
    const user = async (name, g = 0) => {
      const c = await TroupeClient.connect(gateways[g].ws, { reconnect: false, device: { type: "cli" }, timeoutMs: 3e4 });
      clients.push(c);
      const { id } = await c.register(name, PASSWORD4);
      await c.login(name, PASSWORD4);
      return { c, id };
    };
    const uploader = await user("bench-uploader");
    const bytes = fs7.readFileSync(CLIP);
    const grant = await uploader.c.request("files.upload", { size: bytes.length });
    const put = await fetch(`${grant.url}&name=clip.mp4`, { method: "PUT", body: new Uint8Array(bytes), headers: { "content-type": "video/mp4" } });
    if (put.status !== 201) throw new Error(`uploading the clip answered ${put.status}`);
    const up = await put.json();
    const pub = await fetch(`${gateways[0].http}/api/admin/library`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ file: up.fileId, title: "Bench clip", durationMs: CLIP_MS })
    });
    if (pub.status !== 200) throw new Error(`publishing the clip answered ${pub.status}: ${await pub.text()}`);
    await until("the clip on every storage node", async () => (await groupView()).members.filter((m) => m.state === "active" && m.appliedSeq >= up.binlogSeq).length >= o.storageNodes);
    const leases = await new import_kv2.Kvm(nc).open(buckets.leases);
    return {
      env,
      gateways,
      hosts,
      storage,
      movie: up.fileId,
      user,
      async hostOf(room) {
        const e = await leases.get(leaseKey(partitionOf("watch", room, 16)));
        if (!e || e.operation !== "PUT") throw new Error(`nobody holds the partition of room ${room}`);
        return JSON.parse(e.string()).host;
      },
      async kill(host) {
        const p = hosts.find((h) => h.name === host);
        if (!p) throw new Error(`no host process ${host}`);
        const gone = new Promise((r) => p.child.exitCode !== null || p.child.signalCode !== null ? r(null) : p.child.once("exit", r));
        p.child.kill("SIGKILL");
        await gone;
      },
      stop
    };
  } catch (e) {
    await stop().catch(() => {
    });
    throw e;
  }
}

// ops/bench/watch-pages.ts
var SAMPLER = `(() => {
  if (window.__wb) return;
  const wb = window.__wb = { f: [], k: [], e: [], r: [], p: [] };
  const origin = performance.timeOrigin;
  const now = () => origin + performance.now();
  // when each watch.timeline push reached the page (a listener before the app's own; it reads, never alters)
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (ev) => {
        if (typeof ev.data !== 'string' || !ev.data.includes('"watch.timeline"')) return;
        try {
          const m = JSON.parse(ev.data);
          if (m.op === 'watch.timeline' && m.timeline) wb.p.push([now(), m.timeline.epoch, m.timeline.state, m.timeline.at, m.cause || '']);
        } catch { }
      });
    }
  };
  let video = null;
  const rows = new Map();
  const attach = (v) => {
    video = v;
    const onFrame = (t, md) => {
      if (video !== v) return;
      wb.f.push([origin + (md.expectedDisplayTime || t), md.mediaTime * 1000, v.playbackRate, v.paused ? 1 : 0]);
      v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
    for (const type of ['pause', 'play', 'waiting', 'playing', 'seeking', 'seeked']) {
      v.addEventListener(type, () => { if (video === v) wb.e.push([now(), type, v.currentTime * 1000]); });
    }
  };
  let n = 0;
  setInterval(() => {
    const v = document.querySelector('video[data-testid="watch-video"]');
    if (v && v !== video) attach(v);
    if (video) wb.k.push([now(), video.currentTime * 1000, video.playbackRate, video.paused ? 1 : 0, video.seeking ? 1 : 0]);
    if (++n % 5) return;
    document.querySelectorAll('[data-testid="watch-viewer"]').forEach((row, i) => {
      const key = row.getAttribute('data-viewer') || row.getAttribute('data-name') || String(i);
      const drift = row.getAttribute('data-drift') || '';
      const status = row.getAttribute('data-status') || '';
      if (rows.get(key) === drift + '|' + status) return;
      rows.set(key, drift + '|' + status);
      wb.r.push([now(), key, drift, status]);
    });
  }, 50);
})()`;
var DRAIN = `(() => {
  const wb = window.__wb;
  if (!wb) return null;
  const out = { f: wb.f, k: wb.k, e: wb.e, r: wb.r, p: wb.p };
  wb.f = []; wb.k = []; wb.e = []; wb.r = []; wb.p = [];
  return out;
})()`;
async function recordIn(context) {
  await context.addInitScript(SAMPLER);
}
async function signIn(browser, o) {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  context.setDefaultTimeout(o.timeoutMs ?? 3e4);
  await recordIn(context);
  const page = await context.newPage();
  const wp = { name: o.name, gateway: o.gateway, context, page, trace: { name: o.name, frames: [], ticks: [], events: [] }, reported: [], pushes: [], problems: [], joinClicks: 0 };
  page.on("pageerror", (e) => wp.problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/^Failed to load resource|WebSocket connection to .* failed/.test(m.text())) wp.problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${o.url}/#${o.route}`);
  await page.getByLabel("Name").fill(o.name);
  await page.getByLabel("Password").fill(o.password);
  await page.getByRole("button", { name: "Sign in" }).first().click();
  if (o.route.startsWith("/w/")) await page.locator('video[data-testid="watch-video"]').waitFor({ state: "attached" });
  else await page.getByTestId("me").filter({ hasText: o.name }).waitFor();
  return wp;
}
async function openRoom(p, url, room) {
  await p.page.goto(`${url}/#/w/${room}`);
  await p.page.locator('video[data-testid="watch-video"]').waitFor({ state: "attached" });
}
async function drainPage(p) {
  const d = await p.page.evaluate(DRAIN).catch(() => null);
  if (d) {
    for (const [t, media, rate, paused] of d.f) p.trace.frames.push({ t, media, rate, paused: paused === 1 });
    for (const [t, media, rate, paused, seeking] of d.k) p.trace.ticks.push({ t, media, rate, paused: paused === 1, seeking: seeking === 1 });
    for (const [t, type, media] of d.e) p.trace.events.push({ t, type, media });
    for (const [t, viewer, drift, status] of d.r) p.reported.push({ t, viewer, drift: drift === "" ? null : Number(drift), status });
    for (const [t, epoch, state, at2, cause] of d.p) p.pushes.push({ t, epoch, state, at: at2, cause });
  }
  const join = p.page.locator('[data-testid="watch-join"]');
  if (await join.isVisible().catch(() => false)) {
    await join.click({ timeout: 2e3 }).then(() => p.joinClicks++, () => {
    });
  }
}
async function clockOffset(p) {
  let best = { offset: NaN, rtt: Infinity };
  for (let i = 0; i < 5; i++) {
    const before = performance.timeOrigin + performance.now();
    const there = await p.page.evaluate("performance.timeOrigin + performance.now()");
    const after = performance.timeOrigin + performance.now();
    if (after - before < best.rtt) best = { offset: there - (before + after) / 2, rtt: after - before };
  }
  return best;
}
async function throttlePage(p, t) {
  if (!p.cdp) {
    p.cdp = await p.context.newCDPSession(p.page);
    await p.cdp.send("Network.enable");
  }
  const bytes = t ? t.kbps * 1e3 / 8 : -1;
  await p.cdp.send("Network.emulateNetworkConditions", { offline: false, latency: t?.latencyMs ?? 0, downloadThroughput: bytes, uploadThroughput: bytes });
}
async function reloadPage(p) {
  await drainPage(p);
  await p.page.reload();
  await p.page.locator('video[data-testid="watch-video"]').waitFor({ state: "attached" });
}
async function closePage(p) {
  await drainPage(p).catch(() => {
  });
  await p.cdp?.detach().catch(() => {
  });
  await p.context.close().catch(() => {
  });
}

// ops/bench/watch-analysis.ts
var FRAME_GAP_MS = 250;
var TICK_GAP_MS = 200;
var JUMP_MS = 40;
function lastAtOrBefore(xs, at2) {
  let lo = 0;
  let hi = xs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = lo + hi >> 1;
    if (xs[mid].t <= at2) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
function positionAt(tr, at2) {
  const k = lastAtOrBefore(tr.ticks, at2);
  const tick = k >= 0 ? tr.ticks[k] : void 0;
  if (tick && at2 - tick.t <= TICK_GAP_MS && tick.paused) return { media: tick.media, playing: false };
  let i = lastAtOrBefore(tr.frames, at2);
  while (i >= 0 && tr.frames[i].paused) i--;
  if (i < 0) return null;
  const a = tr.frames[i];
  if (at2 - a.t > FRAME_GAP_MS) return null;
  const b = tr.frames[i + 1];
  if (b && !b.paused && b.t > a.t && b.t - a.t <= FRAME_GAP_MS && Math.abs(b.media - a.media - a.rate * (b.t - a.t)) <= JUMP_MS) {
    return { media: a.media + (b.media - a.media) * (at2 - a.t) / (b.t - a.t), playing: true };
  }
  return { media: a.media + a.rate * (at2 - a.t), playing: true };
}
function pct(sorted, q) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
function summarize(values) {
  const v = [...values].sort((a, b) => a - b);
  return { n: v.length, p50: pct(v, 0.5), p95: pct(v, 0.95), p99: pct(v, 0.99), max: v.length ? v[v.length - 1] : NaN, mean: v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN };
}
function driftStats(traces, from, to, opts = {}) {
  const step = opts.stepMs ?? 50;
  const pairs = [];
  const spreads = [];
  const signed = traces.map(() => []);
  let grid = 0;
  for (let at2 = from; at2 <= to; at2 += step) {
    grid++;
    const ps = traces.map((tr) => positionAt(tr, at2));
    if (ps.some((p) => !p || !p.playing)) continue;
    const m = ps.map((p) => p.media);
    for (let i = 0; i < m.length; i++) for (let j = i + 1; j < m.length; j++) pairs.push(Math.abs(m[i] - m[j]));
    spreads.push(Math.max(...m) - Math.min(...m));
    if (opts.target) {
      const want = opts.target(at2);
      m.forEach((x, i) => signed[i].push(x - want));
    }
  }
  return {
    coverage: grid ? spreads.length / grid : 0,
    pairwise: summarize(pairs),
    spread: summarize(spreads),
    vsTimeline: opts.target ? traces.map((tr, i) => ({ name: tr.name, signed: summarize(signed[i]), abs: summarize(signed[i].map(Math.abs)) })) : []
  };
}
function convergeTime(traces, t0, tEnd, o) {
  const step = o.stepMs ?? 20;
  let since = null;
  for (let at2 = t0; at2 <= tEnd; at2 += step) {
    if (together(traces, at2, o)) {
      since ??= at2;
      if (at2 - since >= o.holdMs) return since - t0;
    } else since = null;
  }
  return null;
}
function together(traces, at2, o) {
  const ps = traces.map((tr) => positionAt(tr, at2));
  if (ps.some((p) => !p || p.playing !== o.playing)) return false;
  const m = ps.map((p) => p.media);
  if (o.expect) {
    const want = o.expect(at2);
    if (m.some((x) => Math.abs(x - want) > (o.expectTolMs ?? 1e3))) return false;
  }
  if (o.focus !== void 0) return m.every((x) => Math.abs(x - m[o.focus]) <= o.tolMs);
  return Math.max(...m) - Math.min(...m) <= o.tolMs;
}
function halts(tr, from, to, opts = {}) {
  const min = opts.minMs ?? 150;
  const raw = [];
  const ticks = tr.ticks.filter((x) => x.t >= from && x.t <= to);
  for (let i = 1; i < ticks.length; i++) {
    const a = ticks[i - 1];
    const b = ticks[i];
    const stuck = b.media - a.media < 0.25 * a.rate * (b.t - a.t);
    if (b.paused || stuck) raw.push({ start: a.t, end: b.t, paused: b.paused });
  }
  const evs = tr.events.filter((e) => e.t <= to);
  for (const [open, close] of [["pause", "play"], ["waiting", "playing"]]) {
    for (let i = 0; i < evs.length; i++) {
      if (evs[i].type !== open) continue;
      const end = evs.slice(i + 1).find((e) => e.type === close)?.t ?? to;
      if (end < from) continue;
      raw.push({ start: Math.max(from, evs[i].t), end: Math.min(to, end), paused: open === "pause" });
    }
  }
  raw.sort((a, b) => a.start - b.start);
  const merged = [];
  for (const r of raw) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end + 1) {
      last.end = Math.max(last.end, r.end);
      last.paused ||= r.paused;
    } else merged.push({ ...r });
  }
  return merged.filter((r) => r.paused || r.end - r.start >= min);
}
var CATCH_UP_MS = 1e3;
function jumps(tr, from, to) {
  const fs9 = tr.frames.filter((f) => !f.paused && f.t >= from && f.t <= to);
  let max = 0;
  let visible = 0;
  let owed = 0;
  let owedAt = -Infinity;
  for (let i = 1; i < fs9.length; i++) {
    const a = fs9[i - 1];
    const b = fs9[i];
    const dm = b.media - a.media;
    const ahead = dm - a.rate * (b.t - a.t);
    if (b.t - owedAt > CATCH_UP_MS) owed = 0;
    let j = 0;
    if (dm < 0) {
      j = -dm;
      owed = 0;
    } else if (ahead < 0) {
      owed += -ahead;
      owedAt = b.t;
    } else {
      j = Math.max(0, ahead - owed);
      owed = Math.max(0, owed - ahead);
    }
    max = Math.max(max, j);
    if (j > JUMP_MS) visible++;
  }
  return { max, visible };
}
function reportedDrift(rs, from, to) {
  const seen = /* @__PURE__ */ new Map();
  const out = [];
  for (const r of rs) {
    const again = seen.get(r.viewer) === r.drift;
    seen.set(r.viewer, r.drift);
    if (again || r.t < from || r.t > to || r.drift === null || !Number.isFinite(r.drift)) continue;
    out.push(Math.abs(r.drift));
  }
  return summarize(out);
}
function statusesOf(rs, viewer, from, to) {
  const out = [];
  for (const r of rs) if (r.viewer === viewer && r.t >= from && r.t <= to && r.status !== out[out.length - 1]) out.push(r.status);
  return out;
}
function startLags(pages, epoch) {
  const start = pages.flatMap((p) => p.pushes).filter((x) => x.epoch > epoch && x.state === "playing").sort((a, b) => a.epoch - b.epoch || a.t - b.t)[0];
  if (!start) return null;
  const lags = pages.map((p) => {
    const got = p.pushes.find((x) => x.epoch === start.epoch);
    const play = p.trace.events.find((e) => e.type === "play" && e.t >= start.at - 1e3 && e.t <= start.at + 1e4);
    return { push: got ? got.t - start.at : null, play: play ? play.t - start.at : null };
  });
  return { at: start.at, lags };
}

// ops/bench/watch-report.ts
var ANCHORS = "Syncplay 1.5 s, CyTube 2 s, OpenTogetherTube 1 s, Jellyfin 60\u2013400 ms";
var ms = (v) => v === null || v === void 0 || !Number.isFinite(v) ? "-" : `${v.toFixed(Math.abs(v) < 10 ? 1 : 0)} ms`;
var never = (xs) => xs.filter((x) => x === null).length;
function lines(f) {
  const seeks = summarize(f.seeks.filter((x) => x !== null));
  const drift = f.steady.drift;
  const out = [
    { label: "pairwise drift, steady play (frames, truth)", figure: `p50 ${ms(drift.pairwise.p50)}, p99 ${ms(drift.pairwise.p99)}, max ${ms(drift.pairwise.max)}`, goal: "p99 \u2264 40 ms", ok: drift.pairwise.p99 <= 40 },
    { label: "  largest minus smallest page, same times", figure: `p50 ${ms(drift.spread.p50)}, p99 ${ms(drift.spread.p99)}`, goal: "", ok: null },
    { label: "  drift the pages reported (data-drift)", figure: f.steady.reported.n ? `p50 ${ms(f.steady.reported.p50)}, p99 ${ms(f.steady.reported.p99)} (${f.steady.reported.n} reports)` : "none shown", goal: "", ok: null },
    ...drift.vsTimeline.map((v) => ({ label: `  ${v.name} shown vs timeline (signed)`, figure: `mean ${ms(v.signed.mean)}, p99 |${ms(v.abs.p99)}|`, goal: "", ok: null })),
    { label: "  jumps / halts in steady play", figure: `max jump ${ms(f.steady.maxJump)}, ${f.steady.halts} halts`, goal: "", ok: null },
    { label: "load: everyone within 40 ms", figure: ms(f.start), goal: "", ok: null },
    { label: `after a seek: everyone within 40 ms (${f.seeks.length})`, figure: `p50 ${ms(seeks.p50)}, p95 ${ms(seeks.p95)}, max ${ms(seeks.max)}${never(f.seeks) ? `, ${never(f.seeks)} never` : ""}`, goal: "p95 \u2264 1500 ms", ok: never(f.seeks) === 0 && seeks.p95 <= 1500 },
    { label: "  seek: the start the room set, after the command", figure: `p50 ${ms(f.starts.toStart.p50)}, max ${ms(f.starts.toStart.max)} (${f.starts.n} seeks)`, goal: "", ok: null },
    { label: "  its push at the last page, after it (< 0: before)", figure: `p50 ${ms(f.starts.pushLate.p50)}, max ${ms(f.starts.pushLate.max)}`, goal: "", ok: null },
    { label: "  the last page's play(), after it", figure: `p50 ${ms(f.starts.playLate.p50)}, max ${ms(f.starts.playLate.max)}`, goal: "", ok: null },
    { label: "  everyone within 40 ms, after it", figure: `p50 ${ms(f.starts.settle.p50)}, max ${ms(f.starts.settle.max)}`, goal: "", ok: null },
    { label: "after a pause: paused within 40 ms", figure: ms(f.pause), goal: "", ok: null },
    { label: "after a resume: everyone within 40 ms", figure: ms(f.resume), goal: "", ok: null },
    { label: "a joiner within 40 ms of everyone", figure: ms(f.joiner.time), goal: "\u2264 3000 ms", ok: f.joiner.time !== null && f.joiner.time <= 3e3 },
    { label: "  the others while it joins: halts, drift p99", figure: `${f.joiner.othersHalts} halts, ${ms(f.joiner.othersDrift.p99)}`, goal: "0 halts", ok: f.joiner.othersHalts === 0 },
    { label: `one member throttled (${f.throttle.kbps} kbit/s, ${f.throttle.latencyMs} ms)`, figure: `others: ${f.throttle.othersHalts} halts, drift p99 ${ms(f.throttle.othersDrift.p99)}`, goal: "0 halts", ok: f.throttle.othersHalts === 0 },
    { label: "  the throttled member: halts, back within 40 ms", figure: `${f.throttle.ownHalts} halts, ${ms(f.throttle.back)} after its reload`, goal: "", ok: null },
    { label: "  its row on the others' pages", figure: f.throttle.shownAs.join(" \u2192 ") || "-", goal: "", ok: null },
    { label: `host ${f.kill.host} (the room's) SIGKILLed mid-play`, figure: `max jump ${ms(f.kill.maxJump)}, ${f.kill.visibleJumps} visible, ${f.kill.halts} halts`, goal: "no jump > 40 ms", ok: f.kill.visibleJumps === 0 && f.kill.halts === 0 },
    { label: "  drift after the kill; the timeline back", figure: `p99 ${ms(f.kill.driftAfter.p99)}; answers after ${ms(f.kill.takeoverMs)}${f.kill.epochKept === false ? ", epoch changed" : ""}`, goal: "", ok: null }
  ];
  return out;
}
function printWatchFigures(f) {
  console.log(`
watch: ${f.pages} Chromium pages on 2 gateways, 2 host processes, ${f.storageNodes} storage node(s); clip 30 s 320x180 H.264 15 fps`);
  console.log(`(${f.machine.cores} cores, load average ${f.machine.loadBefore.toFixed(1)} before, ${f.machine.loadAfter.toFixed(1)} after; page clocks vs this process within ${ms(Math.abs(f.clock.offset))} \xB1 ${ms(f.clock.rtt / 2)})`);
  console.log(`(truth: the frames each page showed, interpolated at common times; "within 40 ms" must hold ${f.holdMs} ms)
`);
  const ls = lines(f);
  const w = Math.max(...ls.map((l) => l.label.length)) + 2;
  const fw = Math.max(...ls.map((l) => l.figure.length)) + 2;
  console.log(`${"measurement".padEnd(w)}${"figure".padEnd(fw)}${"goal".padEnd(18)}verdict`);
  for (const l of ls) console.log(`${l.label.padEnd(w)}${l.figure.padEnd(fw)}${l.goal.padEnd(18)}${l.ok === null ? "" : l.ok ? "meets" : "MISSES"}`);
  console.log(`
anchors' tolerances: ${ANCHORS}. A halt: a page paused, waited for data or stood still \u2265 150 ms while the room played.`);
}
function watchRows(f) {
  const row = (label, s, seconds, errors = 0) => ({ label, ops: s.n, seconds, perSecond: seconds > 0 ? s.n / seconds : 0, p50: s.p50, p99: s.p99, errors });
  const events = (label, xs) => row(label, summarize(xs.filter((x) => x !== null)), 0, never(xs));
  return [
    row("watch: pairwise drift, steady play", f.steady.drift.pairwise, f.steady.ms / 1e3),
    row("watch: drift the pages reported", f.steady.reported, f.steady.ms / 1e3),
    events("watch: seek to everyone within 40 ms", f.seeks),
    events("watch: pause to paused within 40 ms", [f.pause]),
    events("watch: resume to everyone within 40 ms", [f.resume]),
    events("watch: joiner within 40 ms", [f.joiner.time]),
    row("watch: others' drift, one throttled", f.throttle.othersDrift, f.throttle.ms / 1e3, f.throttle.othersHalts),
    row("watch: drift after the host kill", f.kill.driftAfter, f.kill.ms / 1e3, f.kill.visibleJumps + f.kill.halts)
  ];
}

// ops/bench/watch.ts
var TOL_MS = 40;
var HOLD_MS = 500;
var LEASE_TTL_MS = 4e3;
var SEEK_TO = [4e3, 1e4, 6e3, 14e3, 8e3, 12e3, 5e3, 11e3];
var RESTART_AT = 1e3;
var sleep = (ms2) => new Promise((r) => setTimeout(r, ms2));
var marks = [];
var say = (m) => {
  marks.push({ t: Date.now(), what: m });
  process.stderr.write(`watch: ${m}
`);
};
var at = (tl) => (t) => targetPosition({ ...tl, durationMs: tl.media?.durationMs ?? 0 }, t);
var watchBench = {
  name: "watch",
  summary: "Chromium pages watching one room: drift between them (truth and reported), seek/pause/resume/join times, a throttled member, the room's host SIGKILLed",
  flags: {
    pages: { type: "string", help: "watch: Chromium pages watching the room, spread over two gateways", default: "4" },
    seeks: { type: "string", help: "watch: seeks measured (besides those between phases)", default: "5" },
    "throttle-kbps": { type: "string", help: "watch: the throttled member's bandwidth, kbit/s", default: "200" },
    "throttle-latency": { type: "string", help: "watch: the throttled member's added latency, ms", default: "300" }
  },
  async run({ seconds, flags }) {
    const n = Number(flags.pages ?? 4);
    const seekCount = Number(flags.seeks ?? 5);
    const throttle = { kbps: Number(flags["throttle-kbps"] ?? 200), latencyMs: Number(flags["throttle-latency"] ?? 300) };
    if (!Number.isInteger(n) || n < 2 || !Number.isInteger(seekCount) || seekCount < 1 || !(throttle.kbps > 0) || !(throttle.latencyMs >= 0)) {
      throw new Error("--pages must be a whole number >= 2, --seeks >= 1, --throttle-kbps positive, --throttle-latency >= 0");
    }
    const windowMs = Math.min(seconds, 15) * 1e3;
    ensureChromium((m) => say(m));
    const started = Date.now();
    const loadBefore = os5.loadavg()[0];
    say(`starting nats-server, Postgres database, 2 hosts, 2 gateways, 2 storage nodes ...`);
    let sys;
    let browser;
    const pages = [];
    let joiner;
    const closed = [];
    let polling = false;
    let poller;
    let drainer;
    const polls = [];
    const dumpTo = process.env.TROUPE_BENCH_WATCH_DUMP;
    try {
      sys = await startWatchSystem({ storageNodes: 2, viewersPerNode: Math.ceil(n / 2), leaseTtlMs: LEASE_TTL_MS, say });
      const s = sys;
      const director = await s.user("bench-director");
      const viewers = [];
      for (let i = 0; i < n; i++) viewers.push({ name: `bench-viewer${i + 1}`, id: (await s.user(`bench-viewer${i + 1}`, i % 2)).id });
      const joinerId = (await s.user("bench-joiner", n % 2)).id;
      const room = (await director.c.request("rooms.create", { name: "Bench movie night", members: [...viewers.map((v) => v.id), joinerId] })).room.id;
      const session = new WatchSession(director.c, room, { refreshMs: 0 });
      await session.state();
      say(`system up in ${((Date.now() - started) / 1e3).toFixed(1)} s; room ${room}; opening ${n} pages`);
      browser = await launchChromium();
      for (let i = 0; i < n; i++) {
        const p = await signIn(browser, { name: viewers[i].name, password: PASSWORD4, gateway: i % 2, url: s.gateways[i % 2].http, route: `/w/${room}` }).catch((e) => {
          throw new Error(`page ${viewers[i].name} did not show the watch view (video[data-testid="watch-video"]): ${e.message}`);
        });
        pages.push(p);
      }
      const clocks = await Promise.all(pages.map(clockOffset));
      const clock = clocks.reduce((a, b) => Math.abs(b.offset) > Math.abs(a.offset) ? b : a);
      polling = true;
      let asking = 0;
      let seen = null;
      poller = setInterval(() => {
        if (!polling || asking >= 12) return;
        asking++;
        const sent = Date.now();
        director.c.request("watch.state", { room }, { timeoutMs: 15e3 }).then((r) => {
          polls.push({ sent, t: Date.now(), tl: r.timeline });
          if (!seen || r.timeline.epoch >= seen.epoch) seen = r.timeline;
        }, () => {
        }).finally(() => asking--);
      }, 250);
      const current = () => {
        const mine = session.timeline;
        return seen && seen.epoch > mine.epoch ? seen : mine;
      };
      let draining = null;
      const all = () => [...pages, ...joiner ? [joiner] : []];
      const drain = () => draining ??= Promise.all(all().map(drainPage)).then(() => void (draining = null));
      drainer = setInterval(() => void drain(), 1e3);
      const traces = (ps = pages) => ps.map((p) => p.trace);
      const together2 = async (t02, o) => {
        const deadline = t02 + o.timeoutMs + o.holdMs;
        for (; ; ) {
          await drain();
          const now = Date.now();
          const tl = current();
          const r = convergeTime(traces(o.set), t02, now, { tolMs: TOL_MS, holdMs: o.holdMs, playing: o.playing, expect: at(tl), expectTolMs: 1e3, focus: o.focus });
          if (r !== null || now > deadline || tl.state === "ended") return r;
          await sleep(400);
        }
      };
      const seeks = [];
      const starts = [];
      const seek = async (to) => {
        const t02 = Date.now();
        let tl = await session.seek(to);
        if (tl.state === "paused" || tl.state === "ended") tl = await session.play();
        const r = await together2(t02, { playing: true, holdMs: HOLD_MS, timeoutMs: 8e3 });
        seeks.push(r);
        starts.push({ what: "seek", t0: t02, epoch: tl.epoch, after: r });
        say(`seek to ${to / 1e3} s: everyone within ${TOL_MS} ms after ${r === null ? "never (8 s)" : `${r.toFixed(0)} ms`}`);
      };
      const runway = async (ms2) => {
        if (at(current())(Date.now()) + ms2 > CLIP_MS - 2e3) await seek(RESTART_AT);
      };
      const left = () => CLIP_MS - 2e3 - at(current())(Date.now());
      say("load: the owner picks the clip");
      let t0 = Date.now();
      const loaded = await session.load({ library: s.movie });
      const start = await together2(t0, { playing: true, holdMs: HOLD_MS, timeoutMs: 2e4 });
      starts.push({ what: "load", t0, epoch: loaded.epoch, after: start });
      say(`load: everyone within ${TOL_MS} ms after ${start === null ? "never (20 s)" : `${start.toFixed(0)} ms`}`);
      await runway(windowMs + 1e3);
      say(`steady play for ${seconds} s`);
      const s0 = Date.now();
      await sleep(windowMs);
      const s1 = Date.now();
      await drain();
      const steadyTl = current();
      const steady = {
        ms: s1 - s0,
        drift: driftStats(traces(), s0, s1, { target: at(steadyTl) }),
        reported: reportedDrift(pages[0].reported, s0, s1),
        maxJump: Math.max(...pages.map((p) => jumps(p.trace, s0, s1).max)),
        halts: pages.reduce((a, p) => a + halts(p.trace, s0, s1).length, 0)
      };
      say(`steady: pairwise p99 ${steady.drift.pairwise.p99.toFixed(1)} ms over ${(steady.drift.coverage * 100).toFixed(0)} % of the time`);
      for (let i = 0; i < seekCount; i++) await seek(SEEK_TO[i % SEEK_TO.length]);
      await runway(12e3);
      t0 = Date.now();
      await session.pause();
      const pause = await together2(t0, { playing: false, holdMs: HOLD_MS, timeoutMs: 6e3 });
      say(`pause: paused within ${TOL_MS} ms after ${pause === null ? "never" : `${pause.toFixed(0)} ms`}`);
      await sleep(1e3);
      t0 = Date.now();
      const resumed = await session.play();
      const resume = await together2(t0, { playing: true, holdMs: HOLD_MS, timeoutMs: 8e3 });
      starts.push({ what: "resume", t0, epoch: resumed.epoch, after: resume });
      say(`resume: everyone within ${TOL_MS} ms after ${resume === null ? "never" : `${resume.toFixed(0)} ms`}`);
      const jg = n % 2;
      joiner = await signIn(browser, { name: "bench-joiner", password: PASSWORD4, gateway: jg, url: s.gateways[jg].http, route: "/" });
      await seek(RESTART_AT);
      say("join: a page opens the room mid-play");
      t0 = Date.now();
      await openRoom(joiner, s.gateways[jg].http, room);
      const joined = await together2(t0, { playing: true, holdMs: HOLD_MS, timeoutMs: 1e4, set: [...pages, joiner], focus: n });
      await sleep(Math.max(0, t0 + windowMs - Date.now()));
      let t1 = Date.now();
      await drain();
      const joinerFig = {
        time: joined,
        othersHalts: pages.reduce((a, p) => a + halts(p.trace, t0, t1).length, 0),
        othersDrift: driftStats(traces(), t0, t1).pairwise
      };
      say(`join: the joiner within ${TOL_MS} ms after ${joined === null ? "never (10 s)" : `${joined.toFixed(0)} ms`}; the others halted ${joinerFig.othersHalts} times`);
      await closePage(joiner);
      closed.push(joiner);
      joiner = void 0;
      await seek(RESTART_AT);
      const victim = pages[n - 1];
      const others = pages.slice(0, n - 1);
      say(`throttle: ${victim.name} to ${throttle.kbps} kbit/s, ${throttle.latencyMs} ms`);
      t0 = Date.now();
      await throttlePage(victim, throttle);
      await sleep(windowMs / 2);
      say(`throttle: ${victim.name} reloads over the slow link`);
      const reloadAt = Date.now();
      await reloadPage(victim);
      const back = await together2(reloadAt, { playing: true, holdMs: HOLD_MS, timeoutMs: Math.min(2e4, left() - HOLD_MS), focus: n - 1 });
      await sleep(Math.max(0, t0 + windowMs - Date.now()));
      t1 = Date.now();
      await throttlePage(victim, null);
      await drain();
      const throttleFig = {
        ...throttle,
        ms: t1 - t0,
        othersDrift: driftStats(traces(others), t0, t1).pairwise,
        othersHalts: others.reduce((a, p) => a + halts(p.trace, t0, t1).length, 0),
        ownHalts: halts(victim.trace, t0, t1).length,
        back,
        // what the others were shown of it (its row on another page)
        shownAs: statusesOf(pages[0].reported, victim.name, t0, t1)
      };
      say(`throttle: the others halted ${throttleFig.othersHalts} times; ${victim.name} back within ${TOL_MS} ms ${back === null ? "never" : `${back.toFixed(0)} ms after its reload`}`);
      const killWindow = Math.max(windowMs, LEASE_TTL_MS + 5e3);
      await seek(RESTART_AT);
      await sleep(1e3);
      const host = await s.hostOf(room);
      const epochBefore = current().epoch;
      say(`kill: SIGKILL ${host} (it runs the room's watch actor)`);
      const tk = Date.now();
      await s.kill(host);
      await sleep(killWindow);
      const tEnd = Date.now();
      await drain();
      const answered = polls.filter((p) => p.sent > tk).sort((a, b) => a.t - b.t)[0];
      const kill = {
        host,
        ms: tEnd - tk,
        takeoverMs: answered ? answered.t - tk : null,
        epochKept: answered ? answered.tl.epoch === epochBefore : null,
        maxJump: Math.max(...pages.map((p) => jumps(p.trace, tk, tEnd).max)),
        visibleJumps: pages.reduce((a, p) => a + jumps(p.trace, tk, tEnd).visible, 0),
        halts: pages.reduce((a, p) => a + halts(p.trace, tk, tEnd).length, 0),
        driftAfter: driftStats(traces(), tk, tEnd).pairwise
      };
      say(`kill: max jump ${kill.maxJump.toFixed(0)} ms, ${kill.halts} halts; the timeline answers again after ${kill.takeoverMs ?? "-"} ms`);
      const spent = starts.map((x) => ({ x, s: startLags(pages, x.epoch) })).filter((y) => y.s && y.x.what === "seek");
      const worst = (v) => Math.max(...v.filter((z) => z !== null));
      const startsFig = {
        n: spent.length,
        toStart: summarize(spent.map((y) => y.s.at - y.x.t0)),
        pushLate: summarize(spent.map((y) => worst(y.s.lags.map((l) => l.push))).filter(Number.isFinite)),
        playLate: summarize(spent.map((y) => worst(y.s.lags.map((l) => l.play))).filter(Number.isFinite)),
        settle: summarize(spent.filter((y) => y.x.after !== null).map((y) => y.x.t0 + y.x.after - y.s.at))
      };
      const figures = { pages: n, storageNodes: s.storage.length, clock, holdMs: HOLD_MS, machine: { cores: os5.cpus().length, loadBefore, loadAfter: os5.loadavg()[0] }, start, steady, seeks, starts: startsFig, pause, resume, joiner: joinerFig, throttle: throttleFig, kill };
      printWatchFigures(figures);
      const problems = pages.flatMap((p) => p.problems.map((x) => `${p.name}: ${x}`));
      const clicks = pages.reduce((a, p) => a + p.joinClicks, 0);
      if (clicks) console.log(`the autoplay fallback button was clicked ${clicks} times`);
      if (problems.length) console.log(`page errors (${problems.length}):
  ${problems.slice(0, 10).join("\n  ")}`);
      console.log(`(ran ${((Date.now() - started) / 1e3).toFixed(0)} s)`);
      return { rows: watchRows(figures) };
    } finally {
      polling = false;
      if (drainer) clearInterval(drainer);
      if (poller) clearInterval(poller);
      if (dumpTo) {
        for (const p of pages) await drainPage(p).catch(() => {
        });
        fs8.writeFileSync(dumpTo, JSON.stringify({ marks, polls, pages: [...pages, ...closed].map((p) => ({ name: p.name, gateway: p.gateway, trace: p.trace, reported: p.reported, pushes: p.pushes, problems: p.problems })) }));
        process.stderr.write(`watch: recordings written to ${dumpTo}
`);
      }
      for (const p of [...pages, ...joiner ? [joiner] : []]) await closePage(p);
      await browser?.close().catch(() => {
      });
      await sys?.stop();
    }
  }
};

// ops/bench/mod.ts
var benchmarks = [actorsBench, chatBench, storageBench, webBench, watchBench, soakBench];

// ops/commands/bench.ts
var bench_default = command({
  name: "bench",
  summary: "run a benchmark: " + benchmarks.map((b) => b.name).join(", "),
  usage: "troupe bench <name> [--seconds S] [--concurrency C]   (npm run bench -- <name>)",
  description: `
Each benchmark starts what it needs (its own nats-server, a fresh Postgres database when one is
reachable at TROUPE_BENCH_DATABASE_URL or postgres://127.0.0.1:5432/postgres, host processes),
measures, and prints its figures beside a baseline measured in the same run, with the ratios.

${benchmarks.map((b) => `  ${b.name.padEnd(10)} ${b.summary}`).join("\n")}`,
  groups: [],
  flags: {
    seconds: { type: "string", help: "seconds per measurement", default: "8" },
    concurrency: { type: "string", help: "operations in flight", default: "64" },
    ...Object.assign({}, ...benchmarks.map((b) => b.flags ?? {}))
  },
  async run({ flags, positionals }) {
    const name = positionals[0];
    const b = benchmarks.find((x) => x.name === name);
    if (!b) {
      console.error(`troupe bench: ${name ? `no benchmark "${name}"` : "which benchmark?"}; choose one of: ${benchmarks.map((x) => x.name).join(", ")}`);
      return 2;
    }
    const seconds = Number(flags.seconds);
    const concurrency = Number(flags.concurrency);
    if (!(seconds > 0) || !Number.isInteger(concurrency) || concurrency < 1) throw new Error("--seconds must be positive and --concurrency a whole number >= 1");
    await b.run({ seconds, concurrency, flags });
    return 0;
  }
});
export {
  bench_default as default
};
