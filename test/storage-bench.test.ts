// `npm run bench -- storage` stays runnable: a tiny run prints every figure, the nginx baseline
// (when nginx is installed) and the ratios, with progress on stderr and nothing else on stdout.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { projectRoot } from '../lib/mod.ts';
import { findNginx } from '../ops/bench/nginx.ts';
import { tempDir } from './helpers/env.ts';

test('a small storage benchmark run', async () => {
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [path.join(projectRoot, 'ops', 'bootstrap.mjs'), 'bench', 'storage', '--big-mib', '2', '--small-count', '16', '--seconds', '1'], {
      env: { ...process.env, TROUPE_DATA_DIR: tempDir('troupe-bench-'), TROUPE_LOG_LEVEL: 'warn' }, timeout: 120_000,
    }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
  assert.is(r.code, 0, r.stderr);
  const rows = ['upload 1 MiB files, 1 stream', 'upload 1 MiB files, 16 streams', 'upload 2.0 MiB files, 16 streams', 'ranged download 1 MiB files, 16 streams', 'ranged download 2.0 MiB files (16 MiB ranges), 1 stream', '4 KiB uploads, 16 streams'];
  for (const row of rows) assert.match(r.stdout, new RegExp(`^${row.replace(/[().]/g, '\\$&')} +\\d+\\.?\\d* (MiB|uploads)/s`, 'm'), row);
  assert.ok(r.stdout.split('\n').every((l) => !l.startsWith('{')), 'no log lines among the figures');
  assert.match(r.stderr, /checking the stored bytes by sha-256/);
  assert.match(r.stdout, /4 KiB upload latency: troupe p50 [\d.]+ ms, p99 [\d.]+ ms/);
  assert.match(r.stdout, /^4 KiB uploads, 16 streams +\d+ uploads\/s +(\d+ uploads\/s|-) +\d+ uploads\/s /m, 'the 4 KiB row has its durable floor');
  assert.match(r.stdout, /durable floor of a 4 KiB upload: \d+ µs CPU/);
  if (findNginx()) assert.match(r.stdout, /Closing note: ratio = troupe \/ nginx/);
  else assert.match(r.stdout, /No baseline: .*apt-get install nginx/);
});

test.run();
