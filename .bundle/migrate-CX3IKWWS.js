import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  openConfiguredDatabase
} from "./chunk-XYQ34O77.js";
import "./chunk-XZMVVC4Q.js";
import "./chunk-R2TDF4GX.js";
import "./chunk-FCC3TXGQ.js";
import "./chunk-JDHSYC6X.js";
import "./chunk-S47W34VH.js";
import {
  command
} from "./chunk-DBBPO6IK.js";

// ops/commands/migrate.ts
var migrate_default = command({
  name: "migrate",
  summary: "apply database migrations (schema/migrations) and exit",
  usage: "troupe migrate [settings]",
  description: `
Applies pending migrations to DATABASE_URL (or the PGlite database under the data dir). Hosts
and \`up\` do this on start; this command is for deploy pipelines. New migrations are generated
from schema/tables.ts with: npx drizzle-kit generate --config schema/drizzle.config.ts`,
  groups: ["common", "db"],
  async run({ config }) {
    const database = await openConfiguredDatabase(config);
    console.log(`migrations applied (${database.driver}: ${database.where})`);
    await database.close();
  }
});
export {
  migrate_default as default
};
