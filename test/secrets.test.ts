// Safe by default: generated secrets (lib/secrets.ts), their precedence (lib/config.ts), listen
// addresses that follow the advertised host, and the refusal to expose a weak secret beyond
// loopback (lib/exposure.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import {
  parseConfig, helpText, generatedSecrets, applyStoredSecrets, loadSecrets, rotateSecrets, readSecretsFile, secretsPath, randomSecrets,
  exposureProblems, isLoopback, listenAddressFor, optionGroups, projectRoot, connectAs, ConfigError, KNOWN_DEV_SECRETS, type Config,
} from '../lib/mod.ts';
import { renderNatsConf, findNatsServer } from '../ops/nats-server.ts';
import { tempDir, testConfig, startTestNats } from './helpers/env.ts';
import { troupeArgv } from '../ops/bundles.mjs';

const SECRET_VARS = ['TROUPE_NATS_GATEWAY_PASSWORD', 'TROUPE_NATS_HOST_PASSWORD', 'TROUPE_NATS_STORAGE_PASSWORD', 'TROUPE_NATS_OPS_PASSWORD', 'TROUPE_NATS_SYS_PASSWORD', 'TROUPE_NATS_ROUTE_PASSWORD', 'TROUPE_STORAGE_SECRET'];
const ALL = Object.keys(optionGroups) as (keyof typeof optionGroups)[];
/** The environment of a process that set none of the secrets. */
const clean = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !SECRET_VARS.includes(k)));

test('every shared secret is generated, none has a known default, help says where they are kept', () => {
  assert.equal(generatedSecrets().map((s) => s.env).sort(), [...SECRET_VARS].sort());
  const config = parseConfig(ALL, [], {}, {}).config as Config;
  for (const { key } of generatedSecrets()) assert.is((config as unknown as Record<string, string>)[key], '', key);
  assert.is(config.adminToken, '', 'the admin API is off unless a token is set');
  const help = helpText('troupe up', 'x', ['nats', 'tickets']);
  assert.match(help, /TROUPE_NATS_HOST_PASSWORD, default generated on first start, kept in <data-dir>\/secrets.env/);
  for (const v of Object.values(KNOWN_DEV_SECRETS)) assert.not.ok(help.includes(v));
});

test('first use creates the file (mode 600, every secret, random); later uses reuse it', async () => {
  const dir = tempDir('troupe-secrets-');
  try {
    const file = secretsPath({ dataDir: path.join(dir, 'data') });
    const first = await loadSecrets(file);
    assert.equal(first.generated.sort(), [...SECRET_VARS].sort());
    assert.is(fs.statSync(file).mode & 0o777, 0o600);
    for (const v of SECRET_VARS) assert.match(first.values[v], /^[a-z][a-z0-9]{51}$/);
    assert.is(new Set(Object.values(first.values)).size, SECRET_VARS.length, 'each secret is its own');
    const again = await loadSecrets(file);
    assert.equal(again.generated, []);
    assert.equal(again.values, first.values);
    assert.equal(fs.readdirSync(path.dirname(file)).sort(), ['secrets.env'], 'no temporary or lock file is left');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a flag or variable wins over the file', () => {
  const stored = randomSecrets();
  const fromEnv = parseConfig(['nats', 'tickets'], [], {}, { TROUPE_NATS_HOST_PASSWORD: 'from-the-environment-0123' }).config;
  applyStoredSecrets(fromEnv, stored);
  assert.is(fromEnv.natsHostPassword, 'from-the-environment-0123');
  assert.is(fromEnv.natsGatewayPassword, stored.TROUPE_NATS_GATEWAY_PASSWORD);
  assert.is(fromEnv.storageSecret, stored.TROUPE_STORAGE_SECRET);
  const fromFlag = parseConfig(['tickets'], ['--storage-secret', 'from-a-flag-0123456789'], {}, { TROUPE_STORAGE_SECRET: 'from-the-environment-0123' }).config;
  applyStoredSecrets(fromFlag, stored);
  assert.is(fromFlag.storageSecret, 'from-a-flag-0123456789');
  assert.throws(() => parseConfig(['tickets'], [], {}, { TROUPE_STORAGE_SECRET: 'two words' }), /TROUPE_STORAGE_SECRET: a secret may not contain spaces/);
});

test('processes started at once agree on one set of secrets', async () => {
  const dir = tempDir('troupe-secrets-');
  try {
    const file = path.join(dir, 'secrets.env');
    const code = `import { loadSecrets } from ${JSON.stringify(path.join(projectRoot, 'lib', 'secrets.ts'))}; console.log(JSON.stringify((await loadSecrets(${JSON.stringify(file)})).values));`;
    const outs = await Promise.all([1, 2, 3, 4].map(() => new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (b) => (out += b));
      child.once('exit', (c) => (c === 0 ? resolve(out.trim()) : reject(new Error(`exit ${c}`))));
    })));
    assert.is(new Set(outs).size, 1, outs.join('\n'));
    assert.equal(JSON.parse(outs[0]), readSecretsFile(file));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a file others can read, or a line that is not NAME=value, is refused with the fix', async () => {
  const dir = tempDir('troupe-secrets-');
  try {
    const file = path.join(dir, 'secrets.env');
    await loadSecrets(file);
    fs.chmodSync(file, 0o644);
    assert.throws(() => readSecretsFile(file), (e: unknown) => e instanceof ConfigError && /can be read by other users \(mode 644\); make it private: chmod 600/.test((e as Error).message));
    fs.chmodSync(file, 0o600);
    fs.appendFileSync(file, 'TROUPE_STORAGE_SECRET = spaced out\n');
    assert.throws(() => readSecretsFile(file), /secrets.env:\d+: expected NAME=value/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a secret missing from an older file is added; the others are kept', async () => {
  const dir = tempDir('troupe-secrets-');
  try {
    const file = path.join(dir, 'secrets.env');
    fs.writeFileSync(file, '# older\nTROUPE_NATS_HOST_PASSWORD=kept-from-before-0123456789\n', { mode: 0o600 });
    const { values, generated } = await loadSecrets(file);
    assert.is(values.TROUPE_NATS_HOST_PASSWORD, 'kept-from-before-0123456789');
    assert.equal(generated.sort(), SECRET_VARS.filter((v) => v !== 'TROUPE_NATS_HOST_PASSWORD').sort());
    assert.equal(readSecretsFile(file), values);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('rotate gives new values to the named secrets (or all) and keeps the file private', async () => {
  const dir = tempDir('troupe-secrets-');
  try {
    const file = path.join(dir, 'secrets.env');
    const before = (await loadSecrets(file)).values;
    assert.equal(await rotateSecrets(file, ['TROUPE_STORAGE_SECRET']), ['TROUPE_STORAGE_SECRET']);
    const after = readSecretsFile(file)!;
    assert.is.not(after.TROUPE_STORAGE_SECRET, before.TROUPE_STORAGE_SECRET);
    for (const v of SECRET_VARS.filter((x) => x !== 'TROUPE_STORAGE_SECRET')) assert.is(after[v], before[v]);
    await rotateSecrets(file);
    const all = readSecretsFile(file)!;
    for (const v of SECRET_VARS) assert.is.not(all[v], after[v]);
    assert.is(fs.statSync(file).mode & 0o777, 0o600);
    let refused = false;
    await rotateSecrets(file, ['TROUPE_NO_SUCH']).catch((e) => (refused = /not a generated secret/.test(e.message)));
    assert.ok(refused);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('listen addresses follow the advertised host unless set', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.ok(isLoopback(h), h);
  for (const h of ['0.0.0.0', '::', '10.0.0.5', 'chat.example.org', '']) assert.not.ok(isLoopback(h), h);
  assert.is(listenAddressFor('localhost'), '127.0.0.1');
  assert.is(listenAddressFor('chat.example.org'), '0.0.0.0');
  const up = ['common', 'nats', 'gateway', 'storage'] as const;
  const byDefault = parseConfig(up, [], {}, {}).config;
  assert.is(byDefault.bind, '127.0.0.1');
  assert.is(byDefault.storageBind, '127.0.0.1', 'troupe up\'s storage node is where its gateway is');
  assert.is(byDefault.natsBind, '127.0.0.1');
  const published = parseConfig(up, [], {}, { TROUPE_PUBLIC_HOST: 'chat.example.org' }).config;
  assert.is(published.bind, '0.0.0.0');
  assert.is(published.storageBind, '0.0.0.0');
  assert.is(published.natsBind, '127.0.0.1', 'NATS stays on loopback: only troupe processes use it');
  assert.is(parseConfig(up, ['--bind', '10.0.0.5'], {}, { TROUPE_PUBLIC_HOST: 'chat.example.org' }).config.bind, '10.0.0.5');
  const storageOnly = ['common', 'storage'] as const;
  assert.is(parseConfig(storageOnly, [], {}, {}).config.storageBind, '127.0.0.1');
  assert.is(parseConfig(storageOnly, [], {}, { TROUPE_STORAGE_PUBLIC_URL: 'http://files.example.org:8090' }).config.storageBind, '0.0.0.0');
  assert.throws(() => parseConfig(storageOnly, ['--storage-public-url', 'not a url'], {}, {}), /--storage-public-url: not a URL/);
});

/** The parsed config of every group with these variables and the generated (random) secrets. */
function configWith(env: Record<string, string>): Config {
  const config = parseConfig(ALL, [], {}, env).config as Config;
  applyStoredSecrets(config, randomSecrets());
  return config;
}

test('a development default or short secret on a listener beyond loopback is refused, saying how to fix it', () => {
  const file = 'data/secrets.env';
  const devHost = { TROUPE_NATS_HOST_PASSWORD: 'dev-host-secret' };
  // the nats-server we start
  const open = exposureProblems(configWith({ ...devHost, TROUPE_NATS_BIND: '0.0.0.0' }), { natsServer: true }, file);
  assert.is(open.length, 1);
  assert.match(open[0], /^TROUPE_NATS_HOST_PASSWORD is the published development default "dev-host-secret", and the nats-server we start listens on 0\.0\.0\.0/);
  assert.match(open[0], /Fix: unset TROUPE_NATS_HOST_PASSWORD to use the secret generated in data\/secrets\.env, or set it to a long random value \(openssl rand -hex 32\), or listen on loopback only \(TROUPE_NATS_BIND=127\.0\.0\.1\)/);
  assert.equal(exposureProblems(configWith(devHost), { natsServer: true }, file), [], 'on loopback a development secret harms no one');
  assert.equal(exposureProblems(configWith({ TROUPE_NATS_BIND: '0.0.0.0' }), { natsServer: true }, file), [], 'generated secrets may be exposed');
  assert.match(exposureProblems(configWith({ TROUPE_NATS_OPS_PASSWORD: 'abc', TROUPE_NATS_BIND: '0.0.0.0' }), { natsServer: true }, file)[0], /TROUPE_NATS_OPS_PASSWORD is only 3 characters long/);
  assert.match(exposureProblems(configWith({ TROUPE_NATS_ROUTE_PASSWORD: 'short', TROUPE_NATS_BIND: '0.0.0.0' }), { natsServer: true }, file)[0], /could join the cluster as a route/);
  // a NATS on another machine
  const remote = exposureProblems(configWith({ ...devHost, NATS_URL: 'nats://10.0.0.5:4222,nats://127.0.0.1:4222', TROUPE_NATS_SYS_PASSWORD: 'dev-sys-secret' }), {}, file);
  assert.is(remote.length, 1, 'the sys password is only the server\'s business');
  assert.match(remote[0], /NATS_URL names 10\.0\.0\.5, beyond this machine: anyone who reaches that server could log in as "host"/);
  assert.equal(exposureProblems(configWith({ ...devHost, NATS_URL: 'nats://localhost:4222' }), {}, file), []);
  // storage
  const devStorage = { TROUPE_STORAGE_SECRET: 'dev-storage-ticket-secret' };
  assert.match(exposureProblems(configWith({ ...devStorage, TROUPE_STORAGE_BIND: '0.0.0.0' }), { storage: true }, file)[0], /TROUPE_STORAGE_SECRET is the published development default .*storage node listens on 0\.0\.0\.0 .*forge tickets.*TROUPE_STORAGE_BIND=127\.0\.0\.1/);
  assert.equal(exposureProblems(configWith(devStorage), { storage: true }, file), []);
  assert.match(exposureProblems(configWith({ ...devStorage, NATS_URL: 'nats://nats.internal:4222' }), {}, file)[0], /hosts and storage nodes span machines/);
  // admin API
  assert.match(exposureProblems(configWith({ TROUPE_ADMIN_TOKEN: 'letmein', TROUPE_BIND: '0.0.0.0' }), { gateway: true }, file)[0], /TROUPE_ADMIN_TOKEN is only 7 characters long, and the gateway listens on 0\.0\.0\.0.*unset it to turn the admin API off/);
  assert.equal(exposureProblems(configWith({ TROUPE_ADMIN_TOKEN: 'letmein' }), { gateway: true }, file), []);
  assert.equal(exposureProblems(configWith({ TROUPE_BIND: '0.0.0.0' }), { gateway: true }, file), [], 'no token: no admin API');
});

test('a command refuses to start with the problems listed, before it starts anything', () => {
  const dataDir = tempDir('troupe-secrets-');
  try {
    const r = spawnSync(process.execPath, troupeArgv(['nats', '--nats-bind', '0.0.0.0', '--nats-port', '1']), {
      cwd: projectRoot, encoding: 'utf8', timeout: 30_000,
      env: { ...clean(), TROUPE_DATA_DIR: dataDir, TROUPE_NATS_HOST_PASSWORD: 'dev-host-secret', TROUPE_NATS_STORAGE_PASSWORD: 'dev-storage-secret' },
    });
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, /troupe nats: refusing to start:\n {2}- TROUPE_NATS_HOST_PASSWORD is the published development default[^\n]*\n {2}- TROUPE_NATS_STORAGE_PASSWORD/);
    assert.match(r.stderr, /secrets\.env/);
    assert.not.ok(fs.existsSync(path.join(dataDir, 'nats')), 'nothing was started');
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('nats.conf holds no password: by hand it needs them from the environment; troupe defines them quoted', async () => {
  const text = fs.readFileSync(path.join(projectRoot, 'nats.conf'), 'utf8');
  for (const v of Object.values(KNOWN_DEV_SECRETS)) assert.not.ok(text.includes(v), v);
  const bare = spawnSync(findNatsServer()!, ['-t', '-c', 'nats.conf'], { cwd: projectRoot, encoding: 'utf8', env: clean() });
  assert.is.not(bare.status, 0);
  assert.match(bare.stdout + bare.stderr, /TROUPE_NATS_\w+_PASSWORD/);
  const config = testConfig({ natsOpsPassword: 'any"thing\\goes$HERE#{}' });
  const rendered = renderNatsConf(config);
  assert.match(rendered, /^TROUPE_NATS_OPS_PASSWORD: "any\\"thing\\\\goes\$HERE#\{\}"$/m);
  assert.not.match(rendered, /TROUPE_NATS_ROUTE_PASSWORD:/, 'only what the file references is defined');
  assert.throws(() => renderNatsConf({ ...config, natsHostPassword: '' }), /TROUPE_NATS_HOST_PASSWORD is not set/);
  // the odd characters survive the trip into nats-server
  const nats = await startTestNats(config);
  try {
    const nc = await connectAs(config, 'ops', 'secrets-test', { maxReconnectAttempts: 0 });
    await nc.close();
  } finally {
    await nats.stop();
  }
});

test.run();
