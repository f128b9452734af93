// The terminal client as a user runs it: register and log in over TCP and over WebSocket.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../lib/mod.ts';
import { startSystem } from './helpers/system.ts';
import { tempDir } from './helpers/env.ts';

const sys = await startSystem();
const home = tempDir('troupe-cli-');

function troupe(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(projectRoot, 'ops', 'bootstrap.mjs'), ...args], { env: { ...process.env, TROUPE_CLIENT_HOME: home, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('register and log in over TCP, then whoami over WebSocket with the saved session', async () => {
  const reg = await troupe(['client', 'register', 'carol', '--url', sys.tcpUrl()], { TROUPE_PASSWORD: 'carol-secret' });
  assert.is(reg.code, 0, reg.stderr);
  assert.match(reg.stdout, /registered carol \(id \d+\)/);
  const login = await troupe(['client', 'login', 'carol', '--url', sys.tcpUrl(), '--password', 'carol-secret']);
  assert.is(login.code, 0, login.stderr);
  assert.match(login.stdout, /logged in as carol/);
  const who = await troupe(['client', 'whoami', '--url', sys.wsUrl()]);
  assert.is(who.code, 0, who.stderr);
  assert.match(who.stdout, /^carol \(id \d+\)/);
  const out = await troupe(['client', 'logout', '--url', sys.wsUrl()]);
  assert.is(out.code, 0, out.stderr);
  const again = await troupe(['client', 'whoami', '--url', sys.wsUrl()]);
  assert.is.not(again.code, 0);
});

test('log in through the least-loaded gateway endpoint (http://)', async () => {
  const r = await troupe(['client', 'login', 'carol', '--url', `http://127.0.0.1:${sys.gateways[0].httpPort}`], { TROUPE_PASSWORD: 'carol-secret' });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /over tcp:\/\/127\.0\.0\.1:\d+/);
});

test('errors are clear, on stderr, with a non-zero exit', async () => {
  const wrong = await troupe(['client', 'login', 'carol', '--url', sys.tcpUrl()], { TROUPE_PASSWORD: 'nope-nope' });
  assert.is(wrong.code, 1);
  assert.match(wrong.stderr, /bad_credentials/);
  const badFlag = await troupe(['client', 'login', '--bogus']);
  assert.is(badFlag.code, 2);
  assert.match(badFlag.stderr, /Unknown option '--bogus'/);
  const help = await troupe(['client', '--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /register <name>/);
});

test.after(() => sys.stop());
test.run();
