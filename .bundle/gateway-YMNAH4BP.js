import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  drainingOnStop,
  startGatewayRole
} from "./chunk-XYQ34O77.js";
import "./chunk-XZMVVC4Q.js";
import {
  ensureWebBundle
} from "./chunk-R2TDF4GX.js";
import "./chunk-FCC3TXGQ.js";
import "./chunk-JDHSYC6X.js";
import "./chunk-S47W34VH.js";
import {
  Lifecycle,
  command,
  connectAs,
  defaultNodeId,
  logger
} from "./chunk-DBBPO6IK.js";

// ops/commands/gateway.ts
var gateway_default = command({
  name: "gateway",
  summary: "run the gateway role only (TCP, WebSocket, HTTP edge)",
  usage: "troupe gateway [settings]",
  description: `
Runs one gateway against an existing NATS (NATS_URL, or our nats-server on the NATS port). Run
several on different ports; /api/gateways on any of them lists all, least-loaded first.
A gateway holds no database connection: hosts must be running for logins to work.
It listens on --bind: by default 127.0.0.1 when --public-host is a loopback address, else 0.0.0.0.

SIGTERM or Ctrl-C drains it: it refuses new connections (TCP refused, WebSocket upgrades 503),
leaves /api/gateways, pushes gateway.draining to every client (the other live gateways, and when
it will close them) and closes what is left after --drain-grace-ms; then it exits. Restart
gateways one at a time this way and no client is stranded. A second signal exits at once.`,
  groups: ["common", "nats", "gateway"],
  serves: () => ({ gateway: true }),
  async run({ config }) {
    const nodeId = config.nodeId || defaultNodeId();
    await ensureWebBundle({ say: (m) => logger("gateway").info(m) });
    const life = new Lifecycle();
    const nc = await connectAs(config, "gateway", nodeId);
    await life.add({ stop: () => nc.drain() });
    const gateway = await startGatewayRole(nc, config, nodeId);
    await life.add(drainingOnStop(gateway, config));
    console.log(`gateway ${nodeId}: tcp://${config.publicHost}:${gateway.tcpPort}  ws://${config.publicHost}:${gateway.httpPort}/ws  web client http://${config.publicHost}:${gateway.httpPort}`);
    return life.wait();
  }
});
export {
  gateway_default as default
};
