import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../lib/mod.ts';
import { renderProtocolReadme } from '../protocol/docs.ts';
import { ops } from '../protocol/mod.ts';

test('protocol/README.md is generated from the current schemas (npm run troupe -- docs)', () => {
  const current = fs.readFileSync(path.join(projectRoot, 'protocol', 'README.md'), 'utf8');
  assert.ok(current === renderProtocolReadme(), 'protocol/README.md is stale: run npm run troupe -- docs');
});

test('every op is documented with its fields', () => {
  const text = renderProtocolReadme();
  for (const name of Object.keys(ops)) assert.ok(text.includes(`### \`${name}\``), name);
});

test.run();
