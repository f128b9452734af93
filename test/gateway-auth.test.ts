// Accounts and sessions through a running gateway, over TCP and WebSocket.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'drizzle-orm';
import { TroupeError } from '../protocol/mod.ts';
import { startSystem } from './helpers/system.ts';
import { NodeRegistration, openKv } from '../lib/mod.ts';
import { buckets } from '../protocol/mod.ts';
import { code } from './helpers/outcome.ts';

const sys = await startSystem();

for (const via of ['tcp', 'ws'] as const) {
  test(`register, log in, resume and log out over ${via}`, async () => {
    const c = await sys.client({ via });
    const name = `user_${via}`;
    const user = await c.register(name, 'correct horse');
    assert.ok(user.id > 0);
    assert.is(await code(c.register(name.toUpperCase(), 'another one')), 'name_taken', 'names are unique regardless of case');
    assert.is(await code(c.login(name, 'wrong password')), 'bad_credentials');
    assert.is(await code(c.login('nobody_here', 'whatever1')), 'bad_credentials');
    assert.is(await code(c.request('auth.logout', {})), 'unauthenticated');
    const me = await c.login(name, 'correct horse');
    assert.equal(me, user);
    assert.is(await code(c.login(name, 'correct horse')), 'already_authenticated');
    const token = c.token!;

    const d = await sys.client({ via: via === 'tcp' ? 'ws' : 'tcp' });
    assert.equal(await d.resume(token), user, 'the token resumes on another connection and transport');
    await d.logout();
    assert.is(await code(d.request('auth.logout', {})), 'unauthenticated', 'logged out connection stays open, logged out');
    assert.is(await code(d.resume(token)), 'session_expired', 'a revoked token no longer resumes');
    const pong = await d.request('ping', { t: 5 });
    assert.is(pong.t, 5);
  });
}

test('passwords are stored as scrypt hashes, tokens only as sha-256', async () => {
  const c = await sys.client();
  await c.register('hashcheck', 'plain text pw');
  await c.login('hashcheck', 'plain text pw');
  const rows = (await sys.db.database.db.execute(sql`select u.password_hash, s.token_hash from users u join sessions s on s.user_id = u.id where u.name = 'hashcheck'`)) as unknown;
  const row = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows)[0] as { password_hash: string; token_hash: string };
  assert.match(row.password_hash, /^scrypt\$\d+\$8\$1\$/);
  assert.not.ok(row.password_hash.includes('plain text pw'));
  assert.is(row.token_hash.length, 64);
  assert.is.not(row.token_hash, c.token);
});

test('an expired session does not resume', async () => {
  const c = await sys.client();
  await c.register('expiring', 'password1');
  await c.login('expiring', 'password1');
  await sys.db.database.db.execute(sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${c.user!.id}`);
  const d = await sys.client();
  assert.is(await code(d.resume(c.token!)), 'session_expired');
});

test('bad fields are refused with the field named', async () => {
  const c = await sys.client();
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['auth.register', { name: 'ab', password: 'password1' }, /name/],
    ['auth.register', { name: 'bad name!', password: 'password1' }, /name/],
    ['auth.register', { name: 'goodname', password: 'short' }, /password/],
    ['auth.register', { name: 'goodname', password: 'password1', admin: true }, /admin|propert/i],
    ['auth.login', { name: 'goodname', password: 42 }, /password/],
  ];
  for (const [op, fields, re] of cases) {
    try {
      await c.request(op as 'auth.register', fields as never);
      assert.unreachable(op);
    } catch (e) {
      assert.is((e as TroupeError).code, 'bad_request', JSON.stringify(fields));
      assert.match((e as Error).message, re);
    }
  }
});

test('/api/gateways lists the live gateway with its addresses', async () => {
  const res = await fetch(`http://127.0.0.1:${sys.gateways[0].httpPort}/api/gateways`);
  const { gateways } = (await res.json()) as { gateways: { id: string; tcp: string; ws: string }[] };
  assert.is(gateways.length, 1);
  assert.is(gateways[0].tcp, `127.0.0.1:${sys.gateways[0].tcpPort}`);
});

test('a gateway still starting (registered, not yet listening) is not offered to clients', async () => {
  const kv = await openKv(sys.hostNc, buckets.nodes);
  // what a starting gateway has in the registry: its entry, no addresses yet; then one listening
  const starting = new NodeRegistration(kv, 'gateway', 'gw-starting', () => ({ load: 0, connections: 0 }));
  const other = new NodeRegistration(kv, 'gateway', 'gw-other', () => ({ load: 0, connections: 0, tcp: '127.0.0.1:1', ws: 'ws://127.0.0.1:1/ws', http: 'http://127.0.0.1:1' }));
  await starting.start();
  await other.start();
  try {
    const gw = sys.gateways[0];
    // the registry's entries reach the gateway in order: once it offers gw-other it has seen both
    let ids: string[] = [];
    for (const until = Date.now() + 10_000; !ids.includes('gw-other'); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > until) throw new Error(`the gateway never offered gw-other (${ids})`);
      ids = ((await (await fetch(`http://127.0.0.1:${gw.httpPort}/api/gateways`)).json()) as { gateways: { id: string }[] }).gateways.map((g) => g.id);
    }
    assert.is(ids.length, 2, `${ids}`);
    assert.not.ok(ids.includes('gw-starting'));
    const page = await fetch(`http://127.0.0.1:${gw.httpPort}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    await page.arrayBuffer();
    assert.ok(csp.includes('ws://127.0.0.1:1'), csp);
  } finally {
    await other.stop();
    await starting.stop();
  }
});

test.after(() => sys.stop());
test.run();
