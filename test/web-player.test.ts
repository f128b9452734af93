// The web client's watch-together logic without a browser: the player statechart (which phase the
// <video> is in: loading a source, following the room, held back by the autoplay policy, finding
// another media server) and the formatting of positions and drift.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createActor } from 'xstate';
import { playerMachine, formatDuration, formatDrift, type PlayerEvent } from '../gateway/web/app/state/mod.ts';

function run(...events: PlayerEvent[]) {
  const a = createActor(playerMachine).start();
  for (const e of events) a.send(e);
  const s = a.getSnapshot();
  a.stop();
  return { phase: s.value, ctx: s.context };
}

const SOURCE: PlayerEvent = { type: 'SOURCE', node: 'g1-a', file: 'g1-1-x' };

test('a source loads, then the player follows the room', () => {
  assert.is(run().phase, 'empty');
  assert.is(run(SOURCE).phase, 'loading');
  const r = run(SOURCE, { type: 'LOADED' });
  assert.is(r.phase, 'following');
  assert.is(r.ctx.node, 'g1-a');
  assert.is(r.ctx.file, 'g1-1-x');
});

test('the autoplay policy holds the player until the user clicks to join', () => {
  assert.is(run(SOURCE, { type: 'LOADED' }, { type: 'BLOCKED' }).phase, 'blocked');
  assert.is(run(SOURCE, { type: 'LOADED' }, { type: 'BLOCKED' }, { type: 'GESTURE' }).phase, 'following');
  // a gesture means nothing before the player was blocked
  assert.is(run(SOURCE, { type: 'GESTURE' }).phase, 'loading');
});

test('a read error leads to another source; failures in a row are counted until one plays', () => {
  const failed = run(SOURCE, { type: 'LOADED' }, { type: 'FAILED', problem: 'read error 2' });
  assert.is(failed.phase, 'recovering');
  assert.is(failed.ctx.failures, 1);
  assert.is(failed.ctx.problem, 'read error 2');
  assert.is(failed.ctx.node, 'g1-a', 'the failed node is remembered (to be avoided)');
  const twice = run(SOURCE, { type: 'FAILED', problem: 'x' }, { ...SOURCE, node: 'g1-b' }, { type: 'FAILED', problem: 'y' });
  assert.is(twice.ctx.failures, 2);
  const healed = run(SOURCE, { type: 'FAILED', problem: 'x' }, { ...SOURCE, node: 'g1-b' }, { type: 'LOADED' });
  assert.is(healed.phase, 'following');
  assert.is(healed.ctx.failures, 0);
  assert.is(healed.ctx.node, 'g1-b');
});

test('no media server holds the movie: unavailable, then retried', () => {
  const none = run(SOURCE, { type: 'NO_SOURCE', problem: 'no active node holds the movie' });
  assert.is(none.phase, 'unavailable');
  assert.is(none.ctx.problem, 'no active node holds the movie');
  assert.is(run(SOURCE, { type: 'NO_SOURCE', problem: 'x' }, { type: 'RETRY' }).phase, 'recovering');
});

test('unloading the movie empties the player from any phase', () => {
  for (const events of [[SOURCE], [SOURCE, { type: 'LOADED' }], [SOURCE, { type: 'LOADED' }, { type: 'BLOCKED' }], [SOURCE, { type: 'FAILED', problem: 'x' }]] as PlayerEvent[][]) {
    const r = run(...events, { type: 'UNLOAD' });
    assert.is(r.phase, 'empty');
    assert.is(r.ctx.file, '');
  }
});

test('positions and drift read as people write them', () => {
  assert.is(formatDuration(0), '0:00');
  assert.is(formatDuration(61_999), '1:01');
  assert.is(formatDuration(3_600_000 + 5_000), '1:00:05');
  assert.is(formatDuration(-5), '0:00');
  assert.is(formatDrift(12.4), '+12 ms');
  assert.is(formatDrift(-340), '−340 ms');
  assert.is(formatDrift(0.2), '0 ms');
});

test.run();
