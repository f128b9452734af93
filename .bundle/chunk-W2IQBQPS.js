import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  ConfigError,
  localAddressOf,
  logger,
  projectRoot,
  shownPath
} from "./chunk-DBBPO6IK.js";

// ops/nats-server.ts
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
var log = logger("nats-server");
function findNatsServer() {
  for (const p of ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"]) if (fs.existsSync(p)) return p;
  const r = spawnSync("sh", ["-c", "command -v nats-server"], { encoding: "utf8" });
  const found = r.stdout.trim();
  return found || null;
}
var SECRET_VARS = {
  TROUPE_NATS_GATEWAY_PASSWORD: "natsGatewayPassword",
  TROUPE_NATS_HOST_PASSWORD: "natsHostPassword",
  TROUPE_NATS_STORAGE_PASSWORD: "natsStoragePassword",
  TROUPE_NATS_OPS_PASSWORD: "natsOpsPassword",
  TROUPE_NATS_SYS_PASSWORD: "natsSysPassword",
  TROUPE_NATS_ROUTE_PASSWORD: "natsRoutePassword"
};
function defineSecrets(text, config, source) {
  const defs = [];
  for (const [name, key] of Object.entries(SECRET_VARS)) {
    if (!new RegExp(`\\$${name}\\b`).test(text)) continue;
    const value = String(config[key]);
    if (!value) throw new ConfigError(`${name} is not set: the nats-server needs it (troupe commands generate it into <data-dir>/secrets.env)`);
    defs.push(`${name}: ${JSON.stringify(value)}`);
  }
  return `# written by troupe from ${source}, with its secrets; mode 600
${defs.join("\n")}

${text}`;
}
function renderNatsConf(config, source = path.join(projectRoot, "nats.conf")) {
  return defineSecrets(fs.readFileSync(source, "utf8"), config, shownPath(source));
}
function withRouteCredentials(text, config) {
  const cred = `route:${encodeURIComponent(config.natsRoutePassword)}@`;
  return text.replace(/nats-route:\/\/(?![^"@]*@)/g, `nats-route://${cred}`);
}
async function startNatsServer(opts) {
  const bin = findNatsServer();
  if (!bin) throw new Error("nats-server is not installed. On Debian: apt-get install nats-server (npm start does this when run as root), or set NATS_URL to an existing server.");
  fs.mkdirSync(opts.dir, { recursive: true });
  const confPath = path.join(opts.dir, "nats.conf");
  let conf = renderNatsConf(opts.config).replace(/store_dir:\s*".*"/, `store_dir: ${JSON.stringify(path.join(opts.dir, "jetstream-data"))}`);
  if (opts.extra) conf += `
${opts.extra}
`;
  fs.writeFileSync(confPath, conf, { mode: 384 });
  fs.chmodSync(confPath, 384);
  let mainConf = confPath;
  if (opts.confFile) {
    let node = fs.readFileSync(opts.confFile, "utf8").replace(/include\s+"\.\.\/nats\.conf"/, `include "nats.conf"`);
    const cp = opts.clusterPorts;
    if (cp) {
      node = node.replace(/^port: \d+$/m, `port: ${cp.client}`).replace(/(cluster \{[^}]*?port: )\d+/s, `$1${cp.route}`).replace(/routes: \[[^\]]*\]/, `routes: [ ${cp.peers.map((p) => `"nats-route://127.0.0.1:${p}"`).join(", ")} ]`);
    }
    node = withRouteCredentials(node, opts.config).replace(/(cluster \{[^}]*?host: )"[^"]*"/s, `$1${JSON.stringify(opts.config.natsBind)}`).replace(/store_dir:\s*".*"/, `store_dir: ${JSON.stringify(path.join(opts.dir, "jetstream-data"))}`);
    mainConf = path.join(opts.dir, path.basename(opts.confFile));
    fs.writeFileSync(mainConf, defineSecrets(node, opts.config, shownPath(opts.confFile)), { mode: 384 });
  }
  const args = ["-c", mainConf, "-a", opts.config.natsBind];
  if (!opts.confFile) args.push("-p", opts.port === 0 ? "-1" : String(opts.port));
  if (opts.monitorPort) args.push("-m", String(opts.monitorPort));
  const logPath = path.join(opts.dir, "nats-server.log");
  const logFd = fs.openSync(logPath, "a");
  const setpriv = process.platform === "linux" && fs.existsSync("/usr/bin/setpriv");
  const child = setpriv ? spawn("/usr/bin/setpriv", ["--pdeathsig", "TERM", bin, ...args], { stdio: ["ignore", "ignore", "pipe"], cwd: opts.dir, detached: true }) : spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"], cwd: opts.dir, detached: true });
  let stderr = "";
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start within 15 s; see ${logPath}`)), 15e3);
    child.stderr.on("data", (chunk) => {
      fs.writeSync(logFd, chunk);
      if (stderr.length < 64 * 1024) stderr += chunk.toString();
      const m = /Listening for client connections on [^\s]*:(\d+)/.exec(stderr);
      if (m && /Server is ready/.test(stderr)) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code} while starting: ${stderr.split("\n").filter((l) => /\[(ERR|FTL)\]|error/i.test(l)).join(" | ") || "see " + logPath}`));
    });
  });
  child.stderr.removeAllListeners("data");
  child.stderr.on("data", (chunk) => fs.writeSync(logFd, chunk));
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  log.info({ port, natsPid: child.pid, dir: opts.dir }, "nats-server started");
  return {
    port,
    url: `nats://${localAddressOf(opts.config.natsBind)}:${port}`,
    pid: child.pid,
    child,
    async stop() {
      process.off("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 1e4);
      await exited;
      clearTimeout(timer);
      fs.closeSync(logFd);
    }
  };
}
async function startNatsCluster(config, dir, ports) {
  const nodes = [];
  try {
    for (const n of [1, 2, 3]) {
      const clusterPorts = ports && { client: ports.client[n - 1], route: ports.route[n - 1], peers: ports.route.filter((_, i) => i !== n - 1) };
      nodes.push(await startNatsServer({ config, dir: path.join(dir, String(n)), port: 0, confFile: path.join(projectRoot, "nats", `cluster-${n}.conf`), clusterPorts }));
    }
  } catch (e) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw e;
  }
  return nodes;
}
function checkNatsConf(config, dir) {
  const bin = findNatsServer();
  if (!bin) return { ok: false, output: "nats-server is not installed" };
  fs.mkdirSync(dir, { recursive: true });
  const confPath = path.join(dir, "nats.check.conf");
  fs.writeFileSync(confPath, renderNatsConf(config), { mode: 384 });
  const r = spawnSync(bin, ["-t", "-c", confPath], { encoding: "utf8" });
  fs.rmSync(confPath, { force: true });
  return { ok: r.status === 0, output: (r.stdout + r.stderr).trim() };
}

export {
  startNatsServer,
  startNatsCluster,
  checkNatsConf
};
