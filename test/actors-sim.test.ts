// Deterministic simulation of the actor runtime: a fixed set of seeds must pass every invariant,
// a seed must replay exactly, and known bugs planted in the store must be caught.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runSeed } from '../actors/runtime/sim/mod.ts';

test('a fixed set of seeds passes every invariant under injected faults', async () => {
  const failures: string[] = [];
  let commits = 0;
  let fenced = 0;
  let rejudged = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const r = await runSeed(seed);
    commits += r.stats.commits;
    fenced += r.stats.fenced;
    rejudged += r.stats.rejudged;
    if (!r.ok) failures.push(`seed ${r.seed}: ${r.violations.join('; ')}`);
  }
  assert.equal(failures, []);
  assert.ok(commits > 4000, `${commits} commands applied`);
  assert.ok(fenced > 0, 'stale owners were fenced out at least once');
  assert.ok(rejudged > 0, 'a refused command was judged afresh and applied at least once');
});

test('a seed replays exactly', async () => {
  const a = await runSeed(7);
  const b = await runSeed(7);
  assert.is(a.digest, b.digest);
  assert.equal(a.stats, b.stats);
  const c = await runSeed(8);
  assert.is.not(a.digest, c.digest);
});

// The fence and the idempotency inbox each stop a stale owner from applying twice, so the fence
// is shown to matter with both removed (a stale host then writes versions another host wrote).
const planted = [
  { name: 'no fence, no inbox check', bugs: { noFence: true, noDedupe: true }, expect: /versions not gapless|ran it at once|applied 2 times/ },
  { name: 'no idempotency inbox', bugs: { noDedupe: true }, expect: /applied 2 times/ },
  { name: 'outbox entries dropped', bugs: { noOutbox: true }, expect: /totals add up/ },
  { name: 'refusals kept as final', bugs: { refusalsFinal: true }, expect: /was answered conflict when asked again/ },
];
for (const p of planted) {
  test(`a planted bug (${p.name}) is caught by the invariants`, async () => {
    let caught: string[] | undefined;
    for (let seed = 1; seed <= 40 && !caught; seed++) {
      const r = await runSeed(seed, { bugs: p.bugs });
      if (!r.ok) caught = r.violations;
    }
    assert.ok(caught, `${p.name} went unnoticed in 40 seeds`);
    assert.ok(caught!.some((v) => p.expect.test(v)), caught!.join('; '));
  });
}

test.run();
