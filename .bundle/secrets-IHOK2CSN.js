import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  ConfigError,
  command,
  generatedSecrets,
  loadSecrets,
  projectRoot,
  readSecretsFile,
  rotateSecrets,
  secretsPath
} from "./chunk-DBBPO6IK.js";

// ops/commands/secrets.ts
import path from "node:path";
var secrets_default = command({
  name: "secrets",
  summary: "where the generated secrets are kept; print them as variables; rotate them",
  usage: "troupe secrets [show | env | rotate [NAME...]] [settings]",
  description: `
Troupe generates its shared secrets on first start (the NATS password of each role, the cluster
route password, and TROUPE_STORAGE_SECRET, which signs file tickets) and keeps them in
<data-dir>/secrets.env, mode 600. A variable of the same name in the environment wins.

  show      (default) the file and, for each secret, where the value in force comes from
  env       prints "export NAME=value" lines, for another machine's environment or the nats CLI:
              eval "$(npm run -s troupe -- secrets env)"; nats --user ops --password "$TROUPE_NATS_OPS_PASSWORD" ...
  rotate    gives the named secrets (default: all) new values. Stop every troupe process first and
            start them again after: a running nats-server keeps the old passwords, and processes on
            other machines need the new values (secrets env). After rotating TROUPE_STORAGE_SECRET,
            file tickets and read links issued before are refused (clients ask for new ones);
            logins are not affected (sessions are random tokens kept in the database).`,
  groups: ["common"],
  async run({ config, positionals }) {
    const file = secretsPath(config);
    const shown = path.relative(projectRoot, file) || file;
    const [action = "show", ...names] = positionals;
    const known = generatedSecrets();
    if (action === "show") {
      const stored = readSecretsFile(file);
      console.log(stored ? `${shown} (mode 600)` : `${shown} does not exist yet: the first troupe up, host, gateway, storage or nats creates it`);
      for (const s of known) {
        const from = process.env[s.env] ? "environment (wins over the file)" : stored?.[s.env] ? "file" : "not generated yet";
        console.log(`  ${s.env.padEnd(30)} ${from}`);
      }
      return 0;
    }
    if (action === "env") {
      const { values, generated } = await loadSecrets(file);
      if (generated.length) process.stderr.write(`generated ${generated.join(", ")} into ${shown}
`);
      for (const s of known) console.log(`export ${s.env}=${process.env[s.env] || values[s.env]}`);
      return 0;
    }
    if (action === "rotate") {
      const rotated = await rotateSecrets(file, names);
      console.log(`new values for ${rotated.join(", ")} in ${shown}.`);
      const overridden = rotated.filter((n) => process.env[n]);
      if (overridden.length) console.log(`note: ${overridden.join(", ")} also set in this environment, which wins over the file; change them there too.`);
      console.log([
        "Now restart every troupe process (a running nats-server keeps the old passwords until it restarts);",
        "processes on other machines need the new values: troupe secrets env.",
        ...rotated.includes("TROUPE_STORAGE_SECRET") ? ["File tickets and read links issued before are refused from now on; logins are not affected."] : []
      ].join("\n"));
      return 0;
    }
    throw new ConfigError(`unknown action "${action}": use show, env or rotate`);
  }
});
export {
  secrets_default as default
};
