import fs from 'node:fs';
import path from 'node:path';
import { command } from '../command.ts';
import { projectRoot } from '../../lib/mod.ts';
import { renderProtocolReadme } from '../../protocol/docs.ts';

export default command({
  name: 'docs',
  summary: 'regenerate protocol/README.md from the wire schemas (--check: fail if stale)',
  usage: 'troupe docs [--check]',
  description: 'The protocol reference is generated from the TypeBox schemas in protocol/, the same ones that type and validate every frame.',
  groups: [],
  flags: { check: { type: 'boolean', help: 'exit 1 if protocol/README.md differs from the schemas' } },
  async run({ flags }) {
    const file = path.join(projectRoot, 'protocol', 'README.md');
    const text = renderProtocolReadme();
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (flags.check) {
      if (current !== text) {
        console.error('protocol/README.md is stale: run npm run troupe -- docs');
        return 1;
      }
      console.log('protocol/README.md is current');
      return 0;
    }
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(projectRoot, file)}`);
  },
});
