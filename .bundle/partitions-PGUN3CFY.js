import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  NatsLeases
} from "./chunk-JDHSYC6X.js";
import "./chunk-S47W34VH.js";
import {
  __toESM,
  buckets,
  callService,
  command,
  connectAs,
  require_mod,
  require_mod2,
  streams
} from "./chunk-DBBPO6IK.js";

// ops/commands/partitions.ts
var import_jetstream = __toESM(require_mod(), 1);
var import_kv = __toESM(require_mod2(), 1);
var partitions_default = command({
  name: "partitions",
  summary: "who holds which actor partition, with epochs and lag",
  usage: "troupe partitions [--json] [settings]",
  description: `
One row per partition: the lease holder and lease revision (KV leases), the fencing epoch and last
applied stream sequence recorded in Postgres (through svc.actors.partitions on any host), and the
partition consumer's backlog (messages not yet delivered, and delivered but not acknowledged).`,
  groups: ["common", "nats"],
  flags: { json: { type: "boolean", help: "print JSON instead of a table" } },
  async run({ config, flags }) {
    const nc = await connectAs(config, "ops", "partitions", { maxReconnectAttempts: 0 });
    try {
      const leases = await new NatsLeases(await new import_kv.Kvm(nc).open(buckets.leases)).list();
      const holders = /* @__PURE__ */ new Map();
      for (const l of leases) holders.set(Number(l.key.split(".")[1]), { host: JSON.parse(l.value).host, revision: l.revision });
      const fences = new Map((await callService(nc, "svc.actors.partitions", {}, 5e3)).partitions.map((r) => [r.p, r]));
      const jsm = await (0, import_jetstream.jetstreamManager)(nc);
      const lag = /* @__PURE__ */ new Map();
      for await (const c of jsm.consumers.list(streams.actors)) {
        const m = /^p(\d+)-e\d+$/.exec(c.name);
        if (m) lag.set(Number(m[1]), { pending: c.num_pending, unacked: c.num_ack_pending, consumer: c.name });
      }
      const count = Number((await (await new import_kv.Kvm(nc).open(buckets.config)).get("partitions"))?.string() ?? 0);
      const rows = Array.from({ length: count }, (_, p) => ({
        p,
        holder: holders.get(p)?.host ?? "-",
        lease: holders.get(p)?.revision ?? null,
        epoch: fences.get(p)?.epoch ?? null,
        applied: fences.get(p)?.appliedSeq ?? 0,
        pending: lag.get(p)?.pending ?? null,
        unacked: lag.get(p)?.unacked ?? null,
        consumer: lag.get(p)?.consumer ?? "-"
      }));
      if (flags.json) console.log(JSON.stringify(rows, null, 2));
      else {
        console.log(["p".padStart(4), "holder".padEnd(24), "lease".padStart(7), "epoch".padStart(7), "applied".padStart(9), "pending".padStart(8), "unacked".padStart(8), " consumer"].join(" "));
        for (const r of rows) console.log([String(r.p).padStart(4), r.holder.padEnd(24), String(r.lease ?? "-").padStart(7), String(r.epoch ?? "-").padStart(7), String(r.applied).padStart(9), String(r.pending ?? "-").padStart(8), String(r.unacked ?? "-").padStart(8), " " + r.consumer].join(" "));
        const held = rows.filter((r) => r.holder !== "-").length;
        console.log(`
${held}/${count} partitions held by ${new Set(rows.map((r) => r.holder).filter((h) => h !== "-")).size} host(s); ${rows.reduce((n, r) => n + (r.pending ?? 0), 0)} messages waiting`);
      }
    } finally {
      await nc.close();
    }
  }
});
export {
  partitions_default as default
};
