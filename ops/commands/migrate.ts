import { command } from '../command.ts';
import { openConfiguredDatabase } from '../roles.ts';

export default command({
  name: 'migrate',
  summary: 'apply database migrations (schema/migrations) and exit',
  usage: 'troupe migrate [settings]',
  description: `
Applies pending migrations to DATABASE_URL (or the PGlite database under the data dir). Hosts
and \`up\` do this on start; this command is for deploy pipelines. New migrations are generated
from schema/tables.ts with: npx drizzle-kit generate --config schema/drizzle.config.ts`,
  groups: ['common', 'db'],
  async run({ config }) {
    const database = await openConfiguredDatabase(config);
    console.log(`migrations applied (${database.driver}: ${database.where})`);
    await database.close();
  },
});
