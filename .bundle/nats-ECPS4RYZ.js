import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  checkNatsConf,
  startNatsCluster,
  startNatsServer
} from "./chunk-W2IQBQPS.js";
import {
  Lifecycle,
  command,
  resolveDataPath
} from "./chunk-DBBPO6IK.js";

// ops/commands/nats.ts
var nats_default = command({
  name: "nats",
  summary: "run our nats-server from nats.conf (or the local three-node cluster), or check the config",
  usage: "troupe nats [--cluster | --check] [settings]",
  description: `
Runs nats-server from nats.conf in the foreground with the configured secrets (generated into
<data-dir>/secrets.env unless set), on the NATS port and --nats-bind (127.0.0.1) with data under
the data dir. --cluster starts the three nodes of nats/cluster-*.conf instead
(then run roles with NATS_URL=nats://127.0.0.1:4341,nats://127.0.0.1:4342,nats://127.0.0.1:4343
and TROUPE_STREAM_REPLICAS=3). --check runs nats-server -t on the rendered config.`,
  groups: ["common", "nats"],
  serves: (config) => ({ natsServer: !config.natsUrl }),
  flags: {
    cluster: { type: "boolean", help: "start the local three-node cluster" },
    check: { type: "boolean", help: "validate the configuration and exit" }
  },
  async run({ config, flags }) {
    if (flags.check) {
      const r = checkNatsConf(config, resolveDataPath(config, "nats"));
      console.log(r.output);
      return r.ok ? 0 : 1;
    }
    if (flags.cluster) {
      const life2 = new Lifecycle();
      const nodes = await startNatsCluster(config, resolveDataPath(config, "nats-cluster"));
      for (const n of nodes) await life2.add(n);
      console.log(`cluster up: NATS_URL=${nodes.map((n) => n.url).join(",")}`);
      return life2.wait();
    }
    const life = new Lifecycle();
    const server = await life.add(await startNatsServer({ config, dir: resolveDataPath(config, "nats"), port: config.natsPort, monitorPort: config.natsMonitorPort || void 0 }));
    console.log(`nats-server running: ${server.url} (pid ${server.pid})`);
    return life.wait();
  }
});
export {
  nats_default as default
};
