import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  drainingOnStop,
  openConfiguredDatabase,
  startGatewayRole,
  startHostRole,
  startStorageRole,
  storageDataDir
} from "./chunk-XYQ34O77.js";
import "./chunk-XZMVVC4Q.js";
import {
  ensureWebBundle
} from "./chunk-R2TDF4GX.js";
import "./chunk-FCC3TXGQ.js";
import "./chunk-JDHSYC6X.js";
import "./chunk-S47W34VH.js";
import {
  startNatsServer
} from "./chunk-W2IQBQPS.js";
import {
  Lifecycle,
  __toESM,
  command,
  connectAs,
  defaultNodeId,
  localAddressOf,
  logger,
  require_transport_node,
  resolveDataPath,
  rolePassword,
  secretsPath,
  shownPath
} from "./chunk-DBBPO6IK.js";

// ops/natsup.ts
var import_transport_node = __toESM(require_transport_node(), 1);
import net from "node:net";
var log = logger("nats");
function portOpen(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: host.replace(/^\[|\]$/g, ""), port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
async function ensureNats(config) {
  if (config.natsUrl) return null;
  const port = config.natsPort;
  const host = localAddressOf(config.natsBind);
  if (await portOpen(host, port)) {
    const url = `nats://${host}:${port}`;
    try {
      const nc = await (0, import_transport_node.connect)({ servers: url, user: "ops", pass: rolePassword(config, "ops"), maxReconnectAttempts: 0, timeout: 3e3 });
      await nc.close();
      log.info({ port }, "a nats-server that accepts our credentials is already running; using it");
      config.natsUrl = url;
      return null;
    } catch (e) {
      throw new Error(`port ${port} is taken by something that does not accept our NATS credentials (${e.message}): another program, or a nats-server started with other secrets (after \`troupe secrets rotate\`, stop it first). Set TROUPE_NATS_PORT to a free port or NATS_URL to an existing cluster`);
    }
  }
  const handle = await startNatsServer({ config, dir: resolveDataPath(config, "nats"), port, monitorPort: config.natsMonitorPort || void 0 });
  config.natsUrl = handle.url;
  return handle;
}

// ops/commands/up.ts
var up_default = command({
  name: "up",
  summary: "start the whole system in one process (nats-server, database, host, gateway, a storage node)",
  usage: "troupe up [settings]   (npm start)",
  description: `
Starts everything on one machine: our own nats-server from nats.conf (unless NATS_URL is set or
one of ours already runs on the NATS port), the database (PGlite under the data dir unless
DATABASE_URL is set) with migrations applied, the host role (actors and services), the gateway
role (TCP, WebSocket, HTTP) and one storage node (group --group, default g1; bytes under
<data-dir>/storage/<group>; HTTP on --http). Prints where to connect. More storage nodes join with
\`troupe storage\` (they need a shared Postgres).

Safe by default:
  - Secrets. On first start it generates a random password for each NATS user (gateway, host,
    storage, ops, sys, and route for clusters) and the storage secret that signs file tickets,
    and keeps them in <data-dir>/secrets.env (data/secrets.env; mode 600). Later starts reuse
    them; a variable of the same name (TROUPE_NATS_HOST_PASSWORD, TROUPE_STORAGE_SECRET, ...) wins.
    \`troupe secrets\` shows where each comes from, \`troupe secrets env\` prints them for other
    machines or the nats CLI. To rotate: stop everything, run \`troupe secrets rotate\` (or delete
    the file), start again; file tickets and read links issued before are then refused (clients
    ask for new ones), logins stay valid.
  - Addresses. Its nats-server listens on 127.0.0.1 (--nats-bind). The gateway and the storage node
    listen on 127.0.0.1 while --public-host is a loopback address (the default), on every interface
    once it names this machine for others (--bind and --storage-bind set them exactly).
  - It refuses to start when a published development default secret, or one shorter than 16
    characters, would be reachable beyond loopback, and says how to fix it.

Ctrl-C or SIGTERM stops it all cleanly: the gateway drains first (clients are told to move and
closed after --drain-grace-ms); a second Ctrl-C stops at once.`,
  groups: ["common", "nats", "db", "gateway", "host", "storage", "tickets"],
  serves: (config) => ({ natsServer: !config.natsUrl, gateway: true, storage: true }),
  async run({ config }) {
    const log2 = logger("up");
    const nodeId = config.nodeId || defaultNodeId();
    await ensureWebBundle({ say: (m) => log2.info(m) });
    const life = new Lifecycle();
    const natsServer = await ensureNats(config);
    if (natsServer) await life.add(natsServer);
    const database = await openConfiguredDatabase(config);
    await life.add({ stop: () => database.close() });
    const hostNc = await connectAs(config, "host", nodeId);
    await life.add({ stop: () => hostNc.drain() });
    await life.add(await startHostRole(hostNc, database, config, nodeId));
    const gwNc = await connectAs(config, "gateway", nodeId);
    await life.add({ stop: () => gwNc.drain() });
    const gateway = await startGatewayRole(gwNc, config, nodeId);
    await life.add(drainingOnStop(gateway, config));
    const storageConfig = { ...config, group: config.group || "g1" };
    const storageNc = await connectAs(config, "storage", `${nodeId}-storage`);
    await life.add({ stop: () => storageNc.drain() });
    const storage = await life.add(await startStorageRole(storageNc, database, storageConfig));
    const host = config.publicHost;
    const rel = shownPath;
    console.log([
      "",
      "Troupe is up.",
      `  TCP clients       tcp://${host}:${gateway.tcpPort}`,
      `  WebSocket         ws://${host}:${gateway.httpPort}/ws`,
      `  Web client        http://${host}:${gateway.httpPort}   (open it in a browser)`,
      `  HTTP API          http://${host}:${gateway.httpPort}   (/healthz, /metrics, /api/gateways)`,
      `  NATS              ${config.natsUrl}${natsServer ? `   (our nats-server, data in ${rel(resolveDataPath(config, "nats"))})` : ""}`,
      `  Database          ${database.driver === "pglite" ? `PGlite in ${rel(database.where)}` : database.where}`,
      `  Storage           ${storage.url}   (node ${storage.nodeId} of group ${storage.group}, data in ${rel(storageDataDir(storageConfig))})`,
      `  Secrets           ${rel(secretsPath(config))}   (generated on first start; troupe secrets --help)`,
      "",
      `Open http://${host}:${gateway.httpPort} in a browser, or from a terminal:`,
      "  npm run troupe -- client register alice",
      "  npm run troupe -- client login alice",
      "  npm run troupe -- files upload README.md",
      "  npm run troupe -- files ls",
      "",
      "Ctrl-C stops everything.",
      ""
    ].join("\n"));
    log2.debug({ nodeId }, "up");
    return life.wait();
  }
});
export {
  up_default as default
};
