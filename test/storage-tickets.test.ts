// File tickets and peer signatures: what passes, and every way a ticket must fail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac } from 'node:crypto';
import { Tickets, PeerAuth } from '../storage/mod.ts';
import { TroupeError } from '../protocol/mod.ts';

const FILE = 'g1-2s-abcdefghij23';
const OTHER = 'g1-2t-abcdefghij23';
let now = 1_800_000_000_000;
const clock = () => now;
const tickets = new Tickets('secret-1', clock);

function fails(fn: () => unknown, code: string, re?: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, TroupeError);
    assert.is((e as TroupeError).code, code, (e as Error).message);
    if (re) assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('a read ticket verifies for its file and op and carries the user', () => {
  const t = tickets.fileTicket('read', FILE, 42, 300);
  assert.match(t, /^t1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.is(encodeURIComponent(t), t, 'usable in a query string as is');
  const p = tickets.verify(t, { op: 'read', file: FILE });
  assert.equal(p, { op: 'read', file: FILE, user: 42, exp: now / 1000 + 300 });
});

test('an upload ticket verifies for its group and carries the pending-upload token', () => {
  const t = tickets.uploadTicket('g1', 7, 60, 'pending-123');
  const p = tickets.verify(t, { op: 'upload', group: 'g1' });
  assert.equal(p, { op: 'upload', group: 'g1', upload: 'pending-123', user: 7, exp: now / 1000 + 60 });
  fails(() => tickets.verify(t, { op: 'upload', group: 'g2' }), 'forbidden', /group g1/);
});

test('expiry: valid until exp, refused from exp on', () => {
  const t = tickets.fileTicket('read', FILE, 42, 10);
  now += 9_999;
  tickets.verify(t, { op: 'read', file: FILE });
  now += 1;
  fails(() => tickets.verify(t, { op: 'read', file: FILE }), 'ticket_expired');
  now -= 10_000;
});

test('a ticket verified before is remembered, and still checked for expiry, op and target on every use', () => {
  const t = tickets.uploadTicket('g1', 9, 30, 'pending-cached');
  for (let i = 0; i < 3; i++) assert.is(tickets.verify(t, { op: 'upload', group: 'g1' }).user, 9);
  fails(() => tickets.verify(t, { op: 'upload', group: 'g2' }), 'forbidden', /group g1/);
  fails(() => tickets.verify(t, { op: 'read', file: FILE }), 'forbidden', /upload, not read/);
  // a spelling that differs in its last character is not the remembered token
  const last = t[t.length - 1];
  fails(() => tickets.verify(t.slice(0, -1) + (last === 'A' ? 'B' : 'A'), { op: 'upload', group: 'g1' }), 'bad_ticket');
  const saved = now;
  now += 30_000;
  fails(() => tickets.verify(t, { op: 'upload', group: 'g1' }), 'ticket_expired');
  fails(() => tickets.verify(t, { op: 'upload', group: 'g1' }), 'ticket_expired');
  now = saved;
});

test('wrong op or wrong file: forbidden; the user is checked by the node against the owner', () => {
  const read = tickets.fileTicket('read', FILE, 42, 300);
  fails(() => tickets.verify(read, { op: 'delete', file: FILE }), 'forbidden', /for read, not delete/);
  fails(() => tickets.verify(read, { op: 'upload', group: 'g1' }), 'forbidden');
  fails(() => tickets.verify(read, { op: 'read', file: OTHER }), 'forbidden', /another file/);
  const del = tickets.fileTicket('delete', FILE, 42, 300);
  fails(() => tickets.verify(del, { op: 'read', file: FILE }), 'forbidden');
  const up = tickets.uploadTicket('g1', 42, 300);
  fails(() => tickets.verify(up, { op: 'read', file: FILE }), 'forbidden');
});

test('tampering: any changed byte, another secret, a re-signed payload without the key', () => {
  const t = tickets.fileTicket('read', FILE, 42, 300);
  const [v, payload, mac] = t.split('.');
  // change the user inside the payload, keep the mac
  const forged = Buffer.from(JSON.stringify({ op: 'read', file: FILE, user: 1, exp: now / 1000 + 300 })).toString('base64url');
  fails(() => tickets.verify(`${v}.${forged}.${mac}`, { op: 'read', file: FILE }), 'bad_ticket', /signature/);
  // flip each character of the payload and of the mac in turn
  for (const part of [1, 2]) {
    const pieces = [v, payload, mac];
    for (let i = 0; i < pieces[part].length; i++) {
      const c = pieces[part][i];
      const swapped = [...pieces];
      swapped[part] = pieces[part].slice(0, i) + (c === 'A' ? 'B' : 'A') + pieces[part].slice(i + 1);
      assert.throws(() => tickets.verify(swapped.join('.'), { op: 'read', file: FILE }), (e: unknown) => (e as TroupeError).code === 'bad_ticket', `part ${part} char ${i}`);
    }
  }
  // the last mac character carries two padding bits: other spellings of the same bytes are refused too
  const last = mac[mac.length - 1];
  const idx = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(last);
  for (const pad of [1, 2, 3]) {
    const alias = mac.slice(0, -1) + 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[(idx & ~3) | ((idx + pad) & 3)];
    assert.equal(Buffer.from(alias, 'base64url'), Buffer.from(mac, 'base64url'), 'same bytes');
    fails(() => tickets.verify(`${v}.${payload}.${alias}`, { op: 'read', file: FILE }), 'bad_ticket');
  }
  // a ticket signed with another secret, and one signed with the raw secret instead of the derived key
  fails(() => tickets.verify(new Tickets('secret-2', clock).fileTicket('read', FILE, 42, 300), { op: 'read', file: FILE }), 'bad_ticket');
  const rawMac = createHmac('sha256', 'secret-1').update(`t1.${payload}`).digest('base64url');
  fails(() => tickets.verify(`t1.${payload}.${rawMac}`, { op: 'read', file: FILE }), 'bad_ticket');
  // a signed but invalid payload (only possible with the key) is still refused
  const key = createHmac('sha256', 'secret-1').update('troupe file tickets').digest();
  const badBody = Buffer.from(JSON.stringify({ op: 'read', file: '../x', user: 42, exp: now / 1000 + 300 })).toString('base64url');
  fails(() => tickets.verify(`t1.${badBody}.${createHmac('sha256', key).update(`t1.${badBody}`).digest('base64url')}`, { op: 'read', file: '../x' }), 'bad_ticket', /invalid/);
});

test('malformed tickets: bad_ticket, never an exception of another kind', () => {
  const t = tickets.fileTicket('read', FILE, 42, 300);
  for (const bad of [undefined, null, '', 't1', 't1..', `t2${t.slice(2)}`, t + '.x', t.replace(/\./g, ','), `${t}=`, 'x'.repeat(5000), `t1.${'A'.repeat(2000)}.${'A'.repeat(43)}`, 't1.e30.AAAA']) {
    fails(() => tickets.verify(bad as string, { op: 'read', file: FILE }), 'bad_ticket');
  }
});

test('signing refuses payloads that would not verify', () => {
  assert.throws(() => tickets.sign({ op: 'read', file: 'nope', user: 1, exp: 1 }));
  assert.throws(() => tickets.sign({ op: 'read', file: FILE, user: 0, exp: 1 }));
});

test('peer signatures: verify, bind method and path, expire, and are not tickets', () => {
  const peers = new PeerAuth('secret-1', clock);
  const h = peers.sign('GET', `/internal/files/${FILE}`, 'g1-host-abc123');
  assert.is(peers.verify(h, 'GET', `/internal/files/${FILE}`), 'g1-host-abc123');
  fails(() => peers.verify(h, 'HEAD', `/internal/files/${FILE}`), 'bad_ticket');
  fails(() => peers.verify(h, 'GET', `/internal/files/${OTHER}`), 'bad_ticket');
  fails(() => peers.verify(h.replace('g1-host-abc123', 'g1-host-evil00'), 'GET', `/internal/files/${FILE}`), 'bad_ticket');
  fails(() => new PeerAuth('secret-2', clock).verify(h, 'GET', `/internal/files/${FILE}`), 'bad_ticket');
  fails(() => peers.verify(undefined, 'GET', '/x'), 'bad_ticket', /required/);
  fails(() => peers.verify(`Bearer ${tickets.fileTicket('read', FILE, 1, 60)}`, 'GET', `/internal/files/${FILE}`), 'bad_ticket');
  now += 61_000;
  fails(() => peers.verify(h, 'GET', `/internal/files/${FILE}`), 'bad_ticket', /stale/);
  now -= 61_000;
});

test.run();
