// npm run bench -- soak --minutes N: chat traffic for N minutes across three gateway and two host
// processes on a private Postgres server, while a gateway (SIGTERM: a drain), a host (SIGKILL)
// and Postgres (a fast restart) are restarted in turn, one per --fault-every seconds. Clients fail
// over between gateways and resend with their clientMsgId until answered. Each minute it prints
// what was sent and delivered, the p99 delivery latency and the RSS of every process; at the end,
// what was lost (must be 0) and duplicated (must be 0), and the RSS slope of each process (a leak
// shows as a steady slope).
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { TroupeClient, ChatSession, type ChatEntry } from '../../protocol/client/mod.ts';
import { TroupeError } from '../../protocol/mod.ts';
import { openDatabase, migrate } from '../../schema/mod.ts';
import { startNatsServer } from '../nats-server.ts';
import { startOwnPostgres, type OwnPostgres } from '../own-postgres.ts';
import { defaultConfig, randomSecrets, applyStoredSecrets, type Config } from '../../lib/mod.ts';
import { spawnRole, percentiles } from './harness.ts';
import { freePortOf } from './ports.ts';
import type { Benchmark } from './mod.ts';
import os from 'node:os';
import path from 'node:path';

const PASSWORD = 'soak-password-1';

/** Resident memory of a process in MiB (0 when it is gone). */
function rssMiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den ? num / den : NaN;
}

interface Proc {
  name: string;
  args: string[];
  env: Record<string, string>;
  child?: ChildProcess;
}

interface Member {
  name: string;
  id: number;
  c: TroupeClient;
  chat: ChatSession;
  rooms: string[];
}

export const soakBench: Benchmark = {
  name: 'soak',
  summary: 'chat across 3 gateways and 2 hosts for --minutes while a gateway, a host and Postgres restart in turn: lost, duplicated, p99 and RSS per minute',
  flags: {
    minutes: { type: 'string', help: 'soak: how long to run (default 10)' },
    'fault-every': { type: 'string', help: 'soak: seconds between restarts (gateway, host, Postgres in turn; default 60)' },
    users: { type: 'string', help: 'soak: chat users (default 24; rooms of 6)' },
  },
  async run({ flags }) {
    const minutes = Number(flags.minutes ?? 10);
    const faultEvery = Number(flags['fault-every'] ?? 60);
    const users = Number(flags.users ?? 24);
    if (!(minutes > 0) || !(faultEvery > 0) || !Number.isInteger(users) || users < 6) throw new Error('--minutes and --fault-every must be positive, --users a whole number >= 6');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-soak-'));
    const config = { ...defaultConfig(), logLevel: 'warn', scryptCost: 1024, partitions: 32 } as Config;
    const secrets = randomSecrets();
    applyStoredSecrets(config, secrets);
    Object.assign(process.env, secrets);
    const nats = await startNatsServer({ config, dir: path.join(dir, 'nats'), port: 0 });
    config.natsUrl = nats.url;
    let pg: OwnPostgres | undefined;
    const procs: Proc[] = [];
    const members: Member[] = [];
    let running = true;
    try {
      pg = await startOwnPostgres();
      const db = await openDatabase({ databaseUrl: pg.url, poolSize: 2 });
      await migrate(db, pg.url);
      await db.close();
      const base = { NATS_URL: config.natsUrl, DATABASE_URL: pg.url, TROUPE_PARTITIONS: '32', TROUPE_SCRYPT_COST: '1024', TROUPE_LOG_LEVEL: 'warn', TROUPE_REQUEST_TIMEOUT_MS: '5000' };
      for (const h of ['soak-h1', 'soak-h2']) procs.push({ name: h, args: ['host'], env: { ...base, TROUPE_NODE_ID: h } });
      const gwPorts: { http: number; tcp: number }[] = [];
      for (const g of ['soak-ga', 'soak-gb', 'soak-gc']) {
        const ports = { http: await freePortOf(), tcp: await freePortOf() };
        gwPorts.push(ports);
        procs.push({
          name: g, args: ['gateway', '--http-port', String(ports.http), '--tcp-port', String(ports.tcp)],
          env: { ...base, TROUPE_NODE_ID: g, TROUPE_DRAIN_GRACE_MS: '5000', TROUPE_RATE_PER_SECOND: '200', TROUPE_RATE_BURST: '400' },
        });
      }
      const start = (p: Proc) => {
        p.child = spawnRole(p.args, p.env);
      };
      const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
      for (const p of procs) start(p);
      for (const [i, ports] of gwPorts.entries()) await waitHttp(`http://127.0.0.1:${ports.http}/healthz`, procs[2 + i]);

      // users in rooms of six, spread over the gateways and both transports, with failover
      process.stderr.write(`soak: ${users} users on 3 gateways, 2 hosts, a private Postgres; ${minutes} min, a restart every ${faultEvery} s\n`);
      for (let i = 0; i < users; i++) {
        const g = gwPorts[i % 3];
        const url = i % 2 ? `ws://127.0.0.1:${g.http}/ws` : `tcp://127.0.0.1:${g.tcp}`;
        const c = await TroupeClient.connect(url, { failover: true, heartbeatMs: 10_000, timeoutMs: 10_000, maxReconnectDelayMs: 2000, device: { type: 'desktop' } });
        await c.register(`soak${i}`, PASSWORD);
        const me = await c.login(`soak${i}`, PASSWORD);
        members.push({ name: `soak${i}`, id: me.id, c, chat: new ChatSession(c, { resyncMs: 5000 }), rooms: [] });
      }
      for (let r = 0; r < users / 6; r++) {
        const group = members.slice(r * 6, r * 6 + 6);
        const room = (await group[0].c.request('rooms.create', { name: `Soak ${r}`, members: group.slice(1).map((m) => m.id) })).room.id;
        for (const m of group) m.rooms.push(room);
      }

      // what each member must receive, and what it did: (room, seq) -> send time, and counts
      const sentAt = new Map<string, number>();
      const recipients = new Map<string, number>();
      const received = new Map<string, number>();
      let duplicated = 0;
      let delivered = 0;
      let minuteLatencies: number[] = [];
      let minuteSent = 0;
      let minuteDelivered = 0;
      for (const m of members) {
        const seen = new Set<string>();
        m.chat.on('entry', (e: ChatEntry) => {
          if (e.kind !== 'text' || e.from === m.id) return;
          const key = `${e.room}#${e.seq}`;
          if (seen.has(key)) {
            duplicated++;
            return;
          }
          seen.add(key);
          received.set(key, (received.get(key) ?? 0) + 1);
          delivered++;
          minuteDelivered++;
          const t = sentAt.get(key) ?? Number(String(e.body).split('|')[0]);
          if (Number.isFinite(t)) minuteLatencies.push(Date.now() - t);
        });
        await m.chat.start();
      }

      // each member sends one message every ~2 s into its room, resending until answered
      const sender = async (m: Member, k: number) => {
        await new Promise((r) => setTimeout(r, (k * 97) % 2000));
        for (let n = 0; running; n++) {
          const clientMsgId = `${m.name}-${n}`;
          const t = Date.now();
          for (;;) {
            try {
              const r = await m.chat.send({ room: m.rooms[0] }, clientMsgId, `${t}|${m.name} ${n}`, { timeoutMs: 10_000 });
              const key = `${r.room}#${r.seq}`;
              sentAt.set(key, t);
              recipients.set(key, 5);
              minuteSent++;
              break;
            } catch (e) {
              if (!(e instanceof TroupeError) || ['forbidden', 'not_found', 'bad_request'].includes(e.code)) throw e;
              if (!running) return;
              await new Promise((r) => setTimeout(r, 250));
            }
          }
          await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1000));
        }
      };
      const senders = members.map((m, k) => sender(m, k));

      // restarts: a gateway (drain), a host (SIGKILL), Postgres, in turn
      const faults: string[] = [];
      let faultRound = 0;
      const faultTimer = setInterval(() => {
        const kind = faultRound++ % 3;
        void (async () => {
          if (kind === 0) {
            const p = procs[2 + (Math.floor(faultRound / 3) % 3)];
            p.child!.kill('SIGTERM');
            await exited(p.child!);
            start(p);
            faults.push(`${p.name} restarted (SIGTERM)`);
          } else if (kind === 1) {
            const p = procs[Math.floor(faultRound / 3) % 2];
            p.child!.kill('SIGKILL');
            await exited(p.child!);
            start(p);
            faults.push(`${p.name} killed and restarted`);
          } else {
            await pg!.restart();
            faults.push('Postgres restarted');
          }
        })().catch((e) => faults.push(`fault failed: ${(e as Error).message}`));
      }, faultEvery * 1000);

      const rows: string[][] = [];
      const rss = new Map<string, [number, number][]>();
      const started = Date.now();
      console.log(`\n${'min'.padStart(4)} ${'sent'.padStart(7)} ${'delivered'.padStart(10)} ${'p99 ms'.padStart(8)}  RSS MiB (${[...procs.map((p) => p.name), 'postgres', 'nats', 'clients'].join(' / ')})  restarts`);
      for (let minute = 1; minute <= Math.ceil(minutes); minute++) {
        const until = started + Math.min(minutes, minute) * 60_000;
        while (Date.now() < until) await new Promise((r) => setTimeout(r, 500));
        const mem: [string, number][] = [...procs.map((p) => [p.name, rssMiB(p.child?.pid)] as [string, number]), ['postgres', rssMiB(pg.pid)], ['nats', rssMiB(nats.pid)], ['clients', process.memoryUsage().rss / 1048576]];
        for (const [name, v] of mem) rss.set(name, [...(rss.get(name) ?? []), [minute, v]]);
        const { p99 } = percentiles(minuteLatencies);
        const row = [String(minute), String(minuteSent), String(minuteDelivered), Number.isFinite(p99) ? p99.toFixed(0) : '-', mem.map(([, v]) => v.toFixed(0)).join(' / '), faults.splice(0).join('; ')];
        rows.push(row);
        console.log(`${row[0].padStart(4)} ${row[1].padStart(7)} ${row[2].padStart(10)} ${row[3].padStart(8)}  ${row[4]}  ${row[5]}`);
        minuteLatencies = [];
        minuteSent = 0;
        minuteDelivered = 0;
      }
      clearInterval(faultTimer);
      running = false;
      await Promise.all(senders);
      // let everything land (a restart may still be settling), then count
      const settle = Date.now() + 60_000;
      const missing = () => [...recipients].reduce((a, [k, n]) => a + Math.max(0, n - (received.get(k) ?? 0)), 0);
      while (missing() > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 500));
      const expected = [...recipients.values()].reduce((a, b) => a + b, 0);
      console.log(`\nsent ${recipients.size} messages, ${expected} deliveries expected: delivered ${delivered}, lost ${missing()}, duplicated ${duplicated}`);
      console.log('RSS slope per process (MiB per minute, least squares over the run; a leak is a steady positive slope):');
      for (const [name, pts] of rss) console.log(`  ${name.padEnd(10)} ${slope(pts).toFixed(2).padStart(7)}   (${pts[0][1].toFixed(0)} -> ${pts[pts.length - 1][1].toFixed(0)} MiB)`);
      return { rows: [] };
    } finally {
      running = false;
      for (const m of members) {
        m.chat.stop();
        await m.c.close().catch(() => {});
      }
      for (const p of procs) p.child?.kill('SIGKILL');
      await pg?.stop();
      await nats.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function waitHttp(url: string, p: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${p.name} did not come up at ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

