// Logs: JSON lines for machines, readable lines on a terminal (TROUPE_LOG_FORMAT decides, auto by
// default); RepeatGate: a failure retried every few hundred ms is logged once, then once per
// window with the count held back, and at once again after a success.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { RepeatGate, projectRoot } from '../lib/mod.ts';

/** A process whose logger is made at import (as modules do), then reconfigured as a command does. */
function logOutput(format: string | undefined, opts: { tty?: boolean } = {}): string {
  const code = `
    import { logger, configureLogging } from ${JSON.stringify(path.join(projectRoot, 'lib', 'log.ts'))};
    const early = logger('early-module');
    configureLogging('info', ${JSON.stringify(format ?? 'auto')});
    early.info({ port: 4333 }, 'listening');
    early.debug('detail nobody asked for');
    logger('late').warn('careful');`;
  const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', code];
  const env = { ...process.env, TROUPE_LOG_FORMAT: '', TROUPE_LOG_LEVEL: '' };
  // script(1) gives the child a terminal
  const r = opts.tty
    ? spawnSync('script', ['-qec', node.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), '/dev/null'], { cwd: projectRoot, encoding: 'utf8', env })
    : spawnSync(node[0], node.slice(1), { cwd: projectRoot, encoding: 'utf8', env });
  assert.is(r.status, 0, r.stderr);
  return r.stdout.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '');
}

test('JSON lines when stdout is not a terminal or when asked; readable lines on a terminal or when asked', () => {
  for (const format of [undefined, 'json']) {
    const lines = logOutput(format).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.map((l) => [l.component, l.msg, l.level]), [['early-module', 'listening', 30], ['late', 'careful', 40]]);
    assert.is(lines[0].port, 4333);
  }
  const pretty = logOutput('pretty');
  assert.match(pretty, /^\[\d\d:\d\d:\d\d\] INFO: early-module: listening \{"port":4333\}$/m);
  assert.match(pretty, /^\[\d\d:\d\d:\d\d\] WARN: late: careful$/m);
  assert.not.match(pretty, /detail nobody asked for|"pid"/);
  assert.match(logOutput(undefined, { tty: true }), /^\[\d\d:\d\d:\d\d\] INFO: early-module: listening \{"port":4333\}$/m, 'auto on a terminal');
  assert.match(logOutput('json', { tty: true }), /^\{"level":30,/m, 'json on a terminal when asked');
});

test('a repeating failure is logged first, then once per window with what was held back', () => {
  let now = 0;
  const gate = new RepeatGate(10_000, () => now);
  const logged: number[] = [];
  for (let i = 0; i < 50; i++) {
    gate.fail('renew.1', (held) => logged.push(held));
    now += 400;
  }
  // 50 failures 400 ms apart (0 to 19.6 s): logged at 0 s and at 10 s, with the 24 in between
  assert.equal(logged, [0, 24]);
  gate.fail('renew.2', (held) => logged.push(held));
  assert.equal(logged, [0, 24, 0], 'keys are independent');
  gate.ok('renew.1');
  gate.fail('renew.1', (held) => logged.push(held));
  assert.equal(logged, [0, 24, 0, 0], 'a success re-arms the key');
});

test.run();
