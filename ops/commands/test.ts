import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { command } from '../command.ts';
import { projectRoot } from '../../lib/mod.ts';
import { ensureWebBundle } from '../../gateway/web/mod.ts';
import { ensureChromium } from '../chromium.ts';
import { ensureBundle, bundledPath } from '../bundles.mjs';

interface Result {
  name: string;
  ok: boolean;
  ms: number;
  output: string;
}

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p));
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

const EXIT_GRACE_MS = 20_000;

function run(name: string, cmd: string, args: string[], timeoutMs: number): Promise<Result> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: projectRoot, env: { ...process.env, TROUPE_LOG_LEVEL: process.env.TROUPE_LOG_LEVEL ?? 'warn' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let lingered = false;
    let exitGrace: NodeJS.Timeout | undefined;
    const add = (b: Buffer) => {
      if (output.length < 2_000_000) output += b.toString();
      // uvu has printed its summary: a file that then does not exit holds a leaked handle; it is
      // cut short and failed here rather than costing the whole per-file timeout
      if (!exitGrace && /Duration:\s+[\d.]+m?s/.test(output)) {
        exitGrace = setTimeout(() => {
          lingered = true;
          output += `\n[test runner] ${name} printed its results but did not exit within ${EXIT_GRACE_MS} ms (a leaked handle); killed\n`;
          try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
        }, EXIT_GRACE_MS);
      }
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    const timer = setTimeout(() => {
      output += `\n[test runner] ${name} timed out after ${timeoutMs} ms; killed\n`;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(exitGrace);
      // whatever the file started (nats-server, host processes) goes with it
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      resolve({ name, ok: code === 0 && !lingered, ms: Date.now() - started, output });
    });
  });
}

export default command({
  name: 'test',
  summary: 'run the test suite (typecheck, unit, simulation, integration)',
  usage: 'troupe test [filter...]   (npm test, npm test -- gateway)',
  description: `
Builds the web client if it is missing or stale, installs Debian's chromium for the browser tests
when it is missing (apt-get, as root), type-checks the project, then runs every test/**/*.test.ts
in its own process (uvu), a few at a time. Integration tests start their own nats-server from
nats.conf on free ports and use the Postgres at TROUPE_TEST_DATABASE_URL (default
postgres://127.0.0.1:5432/postgres; a fresh database per test file, dropped afterwards), or
in-memory PGlite when no Postgres answers.
A filter runs only files whose path contains it.`,
  groups: [],
  flags: {
    jobs: { type: 'string', help: 'test files run at once', default: process.env.TROUPE_TEST_JOBS ?? '2' },
    timeout: { type: 'string', help: 'seconds one file may take', default: '300' },
    verbose: { type: 'boolean', help: 'print the output of passing files too' },
  },
  async run({ flags, positionals }) {
    const started = Date.now();
    const jobs = Math.max(1, Number(flags.jobs) || 2);
    const timeoutMs = Math.max(10, Number(flags.timeout) || 300) * 1000;
    const files = findTests(path.join(projectRoot, 'test')).filter((f) => positionals.length === 0 || positionals.some((p) => f.includes(p)));
    // the gateways in the tests serve the web client, and the browser tests drive it in Chromium
    await ensureWebBundle({ say: (m) => console.log(m) });
    if (files.some((f) => /(^|\/)web-/.test(path.basename(f)))) ensureChromium();
    const results: Result[] = [];
    const report = (r: Result) => {
      results.push(r);
      console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(44)} ${(r.ms / 1000).toFixed(1)} s`);
      if (!r.ok || flags.verbose) console.log(r.output.split('\n').map((l) => '    ' + l).join('\n'));
    };
    const tsc = path.join(projectRoot, 'node_modules', '.bin', 'tsc');
    const typecheck = positionals.length === 0 ? run('typecheck (tsc --noEmit)', tsc, ['--noEmit', '-p', projectRoot], 300_000) : null;
    // test files run from their esbuild bundle too (ops/bundles.mjs: a sixth of tsx's start-up
    // CPU); TROUPE_FROM_SOURCE=1 runs the sources under tsx
    const fromSource = process.env.TROUPE_FROM_SOURCE === '1';
    if (!fromSource) await ensureBundle('test', (m) => console.log(m));
    const queue = files.map((f) => path.relative(projectRoot, f));
    const argv = (f: string) => (fromSource ? ['--import', 'tsx', f] : ['--enable-source-maps', bundledPath('test', f)]);
    const worker = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) report(await run(f, process.execPath, argv(f), timeoutMs));
    };
    await Promise.all(Array.from({ length: jobs }, worker));
    if (typecheck) report(await typecheck);
    const failed = results.filter((r) => !r.ok);
    console.log(`\n${results.length - failed.length} passed, ${failed.length} failed, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const f of failed) console.log(`  failed: ${f.name}`);
    return failed.length ? 1 : 0;
  },
});
