// Operators' tools against a running system: troupe partitions, inspect, replay (print and audit).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { projectRoot, connectAs } from '../lib/mod.ts';
import { natsActorClient } from '../actors/runtime/mod.ts';
import { startSystem } from './helpers/system.ts';
import { troupeArgv } from '../ops/bundles.mjs';

const sys = await startSystem();

function troupe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, troupeArgv(args), {
      env: { ...process.env, NATS_URL: sys.config.natsUrl, TROUPE_PARTITIONS: String(sys.config.partitions), TROUPE_LOG_LEVEL: 'warn' }, timeout: 60_000,
    }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

test('traffic, then partitions, inspect and replay show it; the audit matches the stored state', async () => {
  const nc = await connectAs(sys.config, 'gateway', 'tools');
  const client = natsActorClient(nc, sys.config.partitions);
  for (let i = 0; i < 40; i++) await client.ask('counter', `t${i % 5}`, { type: 'add', n: i }, { key: `tools-${i}` });
  await client.ask('counter', 't0', { type: 'forward', to: 't1', n: 5 });
  const c = await sys.client({ device: { type: 'desktop' } });
  await c.register('tooluser', 'password1');
  await c.login('tooluser', 'password1');
  await c.close();
  await new Promise((r) => setTimeout(r, 500));

  const parts = await troupe(['partitions']);
  assert.is(parts.code, 0, parts.stderr);
  assert.match(parts.stdout, /16\/16 partitions held by 1 host/);

  const insp = await troupe(['inspect', 'counter', 't2']);
  assert.is(insp.code, 0, insp.stderr);
  const shown = JSON.parse(insp.stdout);
  assert.is(shown.state.context.total, [2, 7, 12, 17, 22, 27, 32, 37].reduce((a, b) => a + b, 0));
  assert.is(shown.version, 8);
  assert.is(shown.holder.host, 'test-host-0');

  const printed = await troupe(['replay', '--filter', 'act.counter.>']);
  assert.is(printed.code, 0, printed.stderr);
  assert.ok(printed.stdout.trim().split('\n').length >= 42, 'every counter message printed');
  assert.match(printed.stdout, /act\.counter\.\d+\.t1\ttools-1\t\{"type":"add","n":1\}/);

  const audit = await troupe(['replay', '--audit']);
  assert.is(audit.code, 0, audit.stdout + audit.stderr);
  assert.match(audit.stdout, /audit: \d+ actors replayed from \d+ messages; (\d+) match the stored state, 0 differ/);

  // tamper with one stored state: the audit must say so
  const { sql } = await import('drizzle-orm');
  const before = await sys.db.database.run([{ sql: `select state::text as state from actor_state where kind = 'counter' and id = 't3'`, params: [] }]);
  await sys.db.database.db.execute(sql`update actor_state set state = jsonb_set(state, '{context,total}', '0') where kind = 'counter' and id = 't3'`);
  const tampered = await troupe(['replay', '--audit', '--filter', 'act.counter.>']);
  assert.is(tampered.code, 1);
  assert.match(tampered.stdout, /MISMATCH counter\.t3/);
  // put it back: the next test audits the same counters
  await sys.db.database.db.execute(sql`update actor_state set state = ${String(before[0][0].state)}::jsonb where kind = 'counter' and id = 't3'`);
  client.close();
  await nc.close();
});

test('an audit on a live system compares like with like: traffic during the audit is no difference', async () => {
  const nc = await connectAs(sys.config, 'gateway', 'live');
  const client = natsActorClient(nc, sys.config.partitions);
  let running = true;
  let sent = 0;
  // heartbeat-like traffic to the same actors the audit replays, all through the audit
  const traffic = (async () => {
    while (running) {
      await client.ask('counter', `live${sent % 3}`, { type: 'add', n: 1 }, { key: `live-${sent}` });
      sent++;
    }
  })();
  try {
    while (sent < 20) await new Promise((r) => setTimeout(r, 20));
    const audit = await troupe(['replay', '--audit', '--filter', 'act.counter.>']);
    assert.is(audit.code, 0, audit.stdout + audit.stderr);
    assert.match(audit.stdout, /, 0 differ/);
    // the progress says what was read, not the first sequence it saw
    assert.not.match(audit.stderr, /up to seq 1 of/);
    const read = /(\d+) messages read \(up to seq (\d+)\)/.exec(audit.stderr);
    assert.ok(read && Number(read[1]) > 20, audit.stderr);
    assert.ok(sent > 30, `traffic kept flowing during the audit (${sent} asks)`);
  } finally {
    running = false;
    await traffic;
    client.close();
    await nc.close();
  }
});

test('--audit takes --filter only', async () => {
  const r = await troupe(['replay', '--audit', '--to-seq', '5']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /--audit .* takes --filter only/);
});

test.after(() => sys.stop());
test.run();
