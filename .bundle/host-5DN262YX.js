import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  openConfiguredDatabase,
  startHostRole
} from "./chunk-XYQ34O77.js";
import "./chunk-XZMVVC4Q.js";
import "./chunk-R2TDF4GX.js";
import "./chunk-FCC3TXGQ.js";
import "./chunk-JDHSYC6X.js";
import "./chunk-S47W34VH.js";
import {
  Lifecycle,
  command,
  connectAs,
  defaultNodeId,
  logger,
  metricsText
} from "./chunk-DBBPO6IK.js";

// ops/commands/host.ts
import http from "node:http";
var host_default = command({
  name: "host",
  summary: "run the host role only (actors and services)",
  usage: "troupe host [settings]",
  description: `
Runs one host against an existing NATS and database: it creates the streams and KV buckets if
needed, runs the stateless services (auth) in their queue groups and, with the actor runtime,
claims partitions. With --metrics-port it serves /metrics and /healthz.
Several hosts need a shared Postgres (DATABASE_URL); PGlite is for a single process.`,
  groups: ["common", "nats", "db", "host", "tickets"],
  serves: () => ({}),
  async run({ config }) {
    const nodeId = config.nodeId || defaultNodeId();
    const life = new Lifecycle();
    const database = await openConfiguredDatabase(config);
    await life.add({ stop: () => database.close() });
    const nc = await connectAs(config, "host", nodeId);
    await life.add({ stop: () => nc.drain() });
    await life.add(await startHostRole(nc, database, config, nodeId));
    if (config.metricsPort) {
      const server = http.createServer(async (req, res) => {
        if (req.url === "/metrics") {
          const { contentType, body } = await metricsText();
          res.writeHead(200, { "content-type": contentType }).end(body);
        } else if (req.url === "/healthz") {
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: !nc.isClosed(), id: nodeId }));
        } else res.writeHead(404).end();
      });
      await new Promise((r) => server.listen(config.metricsPort, r));
      await life.add({ stop: () => new Promise((r) => server.close(() => r())) });
    }
    logger("host").info({ nodeId }, "host running");
    return life.wait();
  }
});
export {
  host_default as default
};
