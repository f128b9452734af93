// Postgres faults under a steady chat load, with real processes: a `troupe host` and a `troupe
// gateway` on a private Postgres server (its own data dir and port, so restarting it touches no
// other test), and senders that resend with the same clientMsgId until they get an answer.
// Postgres is restarted, then its postmaster is SIGKILLed. Every acknowledged message must be
// stored exactly once, the room's sequence must stay gapless, and the senders must go on by
// themselves once the database is back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import postgres from 'postgres';
import { TroupeClient } from '../protocol/client/mod.ts';
import { TroupeError } from '../protocol/mod.ts';
import { openDatabase, migrate } from '../schema/mod.ts';
import { testConfig, startTestNats } from './helpers/env.ts';
import { spawnRole, type RoleProcess } from './helpers/procs.ts';
import { freePort } from './helpers/ports.ts';
import { startOwnPostgres, type OwnPostgres } from '../ops/own-postgres.ts';

const SENDERS = 4;

test('Postgres restarted and its postmaster SIGKILLed under load: acknowledged messages stored once, gapless, senders recover', async () => {
  const config = testConfig({ partitions: 8 });
  const nats = await startTestNats(config);
  let pg: OwnPostgres | undefined;
  const procs: RoleProcess[] = [];
  const clients: TroupeClient[] = [];
  let running = true;
  try {
    pg = await startOwnPostgres();
    const db = await openDatabase({ databaseUrl: pg.url, poolSize: 2 });
    await migrate(db, pg.url);
    await db.close();
    const tcp = await freePort();
    const env = {
      NATS_URL: config.natsUrl, DATABASE_URL: pg.url, TROUPE_PARTITIONS: '8', TROUPE_SCRYPT_COST: '1024',
      TROUPE_REQUEST_TIMEOUT_MS: '3000', TROUPE_LOG_LEVEL: 'warn',
    };
    const host = spawnRole('host', ['host'], { ...env, TROUPE_NODE_ID: 'pg-h1', TROUPE_LOG_LEVEL: process.env.FAULT_PG_LOG ?? 'info' });
    procs.push(host);
    await host.waitFor(/host role started/, 60_000);
    const gw = spawnRole('gateway', ['gateway', '--tcp-port', String(tcp), '--http-port', String(await freePort())], { ...env, TROUPE_NODE_ID: 'pg-gw' });
    procs.push(gw);
    await gw.waitFor(/gateway pg-gw: tcp/, 60_000);

    const url = `tcp://127.0.0.1:${tcp}`;
    const ids: number[] = [];
    for (let i = 0; i < SENDERS; i++) {
      const c = await TroupeClient.connect(url, { reconnect: true, heartbeatMs: 0, timeoutMs: 5000 });
      clients.push(c);
      await c.register(`pgs${i}`, 'password-123');
      ids.push((await c.login(`pgs${i}`, 'password-123')).id);
    }
    const room = (await clients[0].request('rooms.create', { name: 'Load', members: ids.slice(1) })).room.id;

    // each sender: one message at a time, resent with its clientMsgId until answered
    const acked = new Map<string, number>();
    const ackTimes: number[][] = ids.map(() => []);
    let longestStall = 0;
    const sender = async (i: number) => {
      for (let n = 0; running; n++) {
        const clientMsgId = `s${i}-${n}`;
        const started = Date.now();
        for (;;) {
          try {
            const r = await clients[i].request('chat.send', { room, clientMsgId, body: `message ${n} from ${i}` });
            acked.set(clientMsgId, r.seq);
            ackTimes[i].push(Date.now());
            longestStall = Math.max(longestStall, Date.now() - started);
            break;
          } catch (e) {
            // timeouts, unavailable, internal while the database is away: resend; anything else is a bug
            if (!(e instanceof TroupeError) || ['bad_request', 'forbidden', 'not_found'].includes(e.code)) throw e;
            if (!running) return;
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      }
    };
    const senders = ids.map((_, i) => sender(i));
    const waitAcks = async (more: number) => {
      const target = acked.size + more;
      const deadline = Date.now() + 120_000;
      while (acked.size < target) {
        if (Date.now() > deadline) throw new Error(`senders did not recover: ${acked.size} of ${target} acknowledged; host says:\n${host.output.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitAcks(24);
    let t = Date.now();
    await pg.restart();
    const restartMs = Date.now() - t;
    await waitAcks(24);
    t = Date.now();
    await pg.crashAndRecover();
    const crashMs = Date.now() - t;
    const afterCrash = Date.now();
    await waitAcks(24);
    running = false;
    await Promise.all(senders);
    for (const [i, times] of ackTimes.entries()) assert.ok(times.some((t) => t > afterCrash), `sender ${i} went on after the crash by itself`);

    const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ seq: number; client_msg_id: string | null }[]>`select seq, client_msg_id from messages where room_id = ${room} order by seq`;
      const seqs = rows.map((r) => Number(r.seq));
      assert.equal(seqs, Array.from({ length: seqs.length }, (_, k) => k + 1), 'the room\'s sequence is gapless');
      const byId = new Map<string, number[]>();
      for (const r of rows) if (r.client_msg_id) byId.set(r.client_msg_id, [...(byId.get(r.client_msg_id) ?? []), Number(r.seq)]);
      for (const [id, seq] of acked) assert.equal(byId.get(id), [seq], `${id} stored once, at the seq it was acknowledged with`);
      for (const [id, stored] of byId) assert.is(stored.length, 1, `${id} stored ${stored.length} times`);
    } finally {
      await sql.end({ timeout: 2 });
    }
    // the host saw the database go away (the faults were real, not too quick to notice)
    assert.ok(host.logs().some((l) => (l.level as number) >= 40), 'the host logged the database failures');
    console.log(`  ${acked.size} messages acknowledged across a restart (${restartMs} ms down) and a postmaster SIGKILL (${crashMs} ms to recover); longest stall a sender saw: ${longestStall} ms`);
  } finally {
    running = false;
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    for (const p of procs) p.signal('SIGTERM');
    await Promise.all(procs.map((p) => Promise.race([p.exited, new Promise((r) => setTimeout(r, 10_000))])));
    for (const p of procs) p.signal('SIGKILL');
    await pg?.stop();
    await nats.stop();
  }
});

test.run();
