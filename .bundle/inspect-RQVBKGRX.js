import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import "./chunk-JDHSYC6X.js";
import {
  leaseKey
} from "./chunk-S47W34VH.js";
import {
  __toESM,
  buckets,
  callService,
  command,
  connectAs,
  require_mod2 as require_mod
} from "./chunk-DBBPO6IK.js";

// ops/commands/inspect.ts
var import_kv = __toESM(require_mod(), 1);
var inspect_default = command({
  name: "inspect",
  summary: "an actor's stored state, version, epoch and current holder",
  usage: "troupe inspect <kind> <id> [settings]",
  description: `
Prints what Postgres holds for the actor (machine state, version = messages applied, the epoch it
was last written under, its earliest deadline) and which host holds its partition's lease now.`,
  groups: ["common", "nats"],
  async run({ config, positionals }) {
    const [kind, id] = positionals;
    if (!kind || !id) throw new Error("usage: troupe inspect <kind> <id>");
    const nc = await connectAs(config, "ops", "inspect", { maxReconnectAttempts: 0 });
    try {
      const r = await callService(nc, "svc.actors.inspect", { kind, id }, 5e3);
      const lease = await (await new import_kv.Kvm(nc).open(buckets.leases)).get(leaseKey(r.partition));
      const holder = lease && lease.operation === "PUT" ? { host: JSON.parse(lease.string()).host, revision: lease.revision } : null;
      console.log(JSON.stringify({ kind, id, ...r, holder }, null, 2));
      return r.found ? 0 : 1;
    } finally {
      await nc.close();
    }
  }
});
export {
  inspect_default as default
};
