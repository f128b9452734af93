// Operators' tools against a running system: troupe partitions, inspect, replay (print and audit).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { projectRoot, connectAs } from '../lib/mod.ts';
import { natsActorClient } from '../actors/runtime/mod.ts';
import { startSystem } from './helpers/system.ts';

const sys = await startSystem();

function troupe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'ops', 'main.ts'), ...args], {
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
  await sys.db.database.db.execute((await import('drizzle-orm')).sql`update actor_state set state = jsonb_set(state, '{context,total}', '0') where kind = 'counter' and id = 't3'`);
  const tampered = await troupe(['replay', '--audit', '--filter', 'act.counter.>']);
  assert.is(tampered.code, 1);
  assert.match(tampered.stdout, /MISMATCH counter\.t3/);
  client.close();
  await nc.close();
});

test.after(() => sys.stop());
test.run();
