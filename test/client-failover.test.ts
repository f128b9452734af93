// Which gateway a failing-over client tries next (protocol/client/gateways.ts), as pure rules.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { failoverOrder, gatewayUrl, spread, viaOf, type Gateway } from '../protocol/client/gateways.ts';

const gw = (id: string, port: number): Gateway => ({ id, load: 0, tcp: `127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port + 1000}/ws`, http: `http://127.0.0.1:${port + 1000}` });
const [a, b, c] = [gw('a', 7001), gw('b', 7002), gw('c', 7003)];

test('a gateway URL per transport; the transport of a URL', () => {
  assert.is(gatewayUrl(a, 'tcp'), 'tcp://127.0.0.1:7001');
  assert.is(gatewayUrl(a, 'ws'), 'ws://127.0.0.1:8001/ws');
  assert.is(viaOf('ws://x/ws'), 'ws');
  assert.is(viaOf('wss://x/ws'), 'ws');
  assert.is(viaOf('tcp://x:1'), 'tcp');
  assert.is(viaOf('http://x:8080'), 'tcp', 'an http endpoint hands out TCP by default');
  assert.is(viaOf('http://x:8080', 'ws'), 'ws');
});

test('after a drop: the other live gateways least-loaded first, then the URL first given, then the failed one', () => {
  assert.equal(failoverOrder([b, a, c], 'tcp', 'tcp://127.0.0.1:7001', 'tcp://127.0.0.1:7001'), ['tcp://127.0.0.1:7002', 'tcp://127.0.0.1:7003', 'tcp://127.0.0.1:7001']);
  assert.equal(failoverOrder([a, b], 'ws', 'ws://127.0.0.1:8001/ws', 'ws://127.0.0.1:8002/ws'), ['ws://127.0.0.1:8001/ws', 'ws://127.0.0.1:8002/ws']);
  // an http endpoint is not a gateway: the caller asks it for a fresh list instead
  assert.equal(failoverOrder([a], 'tcp', 'http://127.0.0.1:8080', 'tcp://127.0.0.1:7001'), ['tcp://127.0.0.1:7001']);
  assert.equal(failoverOrder([], 'tcp', 'tcp://127.0.0.1:7001'), ['tcp://127.0.0.1:7001'], 'nothing known: the URL first given');
  assert.equal(failoverOrder([a, a, b], 'tcp', 'tcp://127.0.0.1:7002'), ['tcp://127.0.0.1:7001', 'tcp://127.0.0.1:7002'], 'no URL twice');
});

test('moves are spread over the window a draining gateway gives', () => {
  assert.is(spread(0), 0);
  assert.is(spread(1000, () => 0), 0);
  assert.is(spread(1000, () => 0.999), 999);
  const seen = new Set(Array.from({ length: 200 }, () => Math.floor(spread(5000) / 1000)));
  assert.ok(seen.size >= 4, 'spread over the window, not bunched');
});

test.run();
