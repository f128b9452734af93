// The gateway's phases (gateway/drain.ts) on a simulated clock: what it says to do when it is told
// to drain, as its connections go, when the grace period runs out, and when stopped outright.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createActor, SimulatedClock } from 'xstate';
import { gatewayPhases, type DrainEffect } from '../gateway/drain.ts';

function start(graceMs = 10_000) {
  const clock = new SimulatedClock();
  const actor = createActor(gatewayPhases, { input: { graceMs }, clock });
  const effects: DrainEffect[] = [];
  actor.on('*', (e) => effects.push(e));
  actor.start();
  return { actor, clock, effects, phase: () => actor.getSnapshot().value };
}

test('a drain with clients: stop accepting, tell them (spread over half the grace), close the rest when it runs out', () => {
  const g = start(10_000);
  g.actor.send({ type: 'drain', reason: 'shutdown', connections: 3 });
  assert.is(g.phase(), 'draining');
  assert.equal(g.effects, [{ type: 'stopAccepting' }, { type: 'announce', reason: 'shutdown', closeInMs: 10_000, retryAfterMs: 5000 }]);
  g.actor.send({ type: 'connections', count: 1 });
  g.clock.increment(9_999);
  assert.is(g.phase(), 'draining');
  g.clock.increment(1);
  assert.is(g.phase(), 'stopped');
  assert.is(g.actor.getSnapshot().status, 'done');
  assert.equal(g.effects.slice(2), [{ type: 'stopAccepting' }, { type: 'closeAll' }]);
});

test('when the last client has moved the drain ends early', () => {
  const g = start();
  g.actor.send({ type: 'drain', reason: 'shutdown', connections: 2 });
  g.actor.send({ type: 'connections', count: 1 });
  assert.is(g.phase(), 'draining');
  g.actor.send({ type: 'connections', count: 0 });
  assert.is(g.phase(), 'stopped');
});

test('nobody connected: a drain stops at once; a stop cuts a drain short; stop while serving closes everything', () => {
  const empty = start();
  empty.actor.send({ type: 'drain', reason: 'shutdown', connections: 0 });
  assert.is(empty.phase(), 'stopped');
  assert.not.ok(empty.effects.some((e) => e.type === 'announce'), 'nobody to tell');
  const cut = start();
  cut.actor.send({ type: 'drain', reason: 'shutdown', connections: 5 });
  cut.actor.send({ type: 'stop' });
  assert.is(cut.phase(), 'stopped');
  assert.equal(cut.effects.at(-1), { type: 'closeAll' });
  const now = start();
  now.actor.send({ type: 'connections', count: 4 });
  now.actor.send({ type: 'stop' });
  assert.equal(now.effects, [{ type: 'stopAccepting' }, { type: 'closeAll' }]);
});

test.run();
