// RepeatGate: a failure retried every few hundred ms is logged once, then once per window with the
// count held back, and at once again after a success.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RepeatGate } from '../lib/mod.ts';

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
