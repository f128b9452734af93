import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../lib/mod.ts';
import { renderProtocolReadme } from '../protocol/docs.ts';
import { ops, messages, GroupMessage, TrackerMessage } from '../protocol/mod.ts';

test('protocol/README.md is generated from the current schemas (npm run troupe -- docs)', () => {
  const current = fs.readFileSync(path.join(projectRoot, 'protocol', 'README.md'), 'utf8');
  assert.ok(current === renderProtocolReadme(), 'protocol/README.md is stale: run npm run troupe -- docs');
});

test('every op is documented with its fields', () => {
  const text = renderProtocolReadme();
  for (const name of Object.keys(ops)) assert.ok(text.includes(`### \`${name}\``), name);
});

test('each actor message documented by name shows the body of that message, and every message of a kind is documented', () => {
  for (const [name, spec] of Object.entries(messages)) {
    const m = /^act\.([a-z]+)\.([A-Za-z]+)$/.exec(name);
    if (!m) continue;
    const type = (spec.body as { properties?: { type?: { const?: unknown } } }).properties?.type?.const;
    assert.is(type, m[2], `${name} documents the body of "${String(type)}"`);
  }
  for (const [kind, union] of Object.entries({ group: GroupMessage, tracker: TrackerMessage })) {
    for (const v of union.anyOf) {
      const type = (v.properties as { type: { const: string } }).type.const;
      assert.ok(Object.hasOwn(messages, `act.${kind}.${type}`), `act.${kind}.${type} has no entry in the reference`);
    }
  }
});

test.run();
