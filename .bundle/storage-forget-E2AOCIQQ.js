import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  natsActorClient,
  readPartitionCount
} from "./chunk-JDHSYC6X.js";
import "./chunk-S47W34VH.js";
import {
  ConfigError,
  GroupName,
  StorageNodeId,
  command,
  connectAs,
  isValid
} from "./chunk-DBBPO6IK.js";

// ops/commands/storage-forget.ts
var storage_forget_default = command({
  name: "storage-forget",
  summary: "remove an offline storage node from its group for good",
  usage: "troupe storage-forget <group> <node> [settings]",
  description: `
A storage node that stops (or dies) stays in its group as offline, so that it is known again when
it comes back. A node that will not come back is forgotten with this command (FastDFS's
\`fdfs_monitor <conf> delete <group> <storage>\`): the group actor drops it and tells the tracker.
Only an offline node can be forgotten; stop it first. Its files are not touched: the other nodes
of the group hold them. \`troupe files groups\` lists the nodes and their states.`,
  groups: ["common", "nats"],
  async run({ config, positionals }) {
    const [group, node] = positionals;
    if (!group || !node || positionals.length > 2) throw new ConfigError("usage: troupe storage-forget <group> <node>");
    if (!isValid(GroupName, group)) throw new ConfigError(`"${group}" is not a storage group name`);
    if (!isValid(StorageNodeId, node)) throw new ConfigError(`"${node}" is not a storage node id`);
    const nc = await connectAs(config, "ops", "storage-forget", { maxReconnectAttempts: 0 });
    try {
      const client = natsActorClient(nc, await readPartitionCount(nc, AbortSignal.timeout(5e3)), "ops.storage-forget");
      const view = await client.ask("group", group, { type: "forget", node }, { timeoutMs: 1e4 });
      client.close();
      const rest = view.members.map((m) => `${m.node} (${m.state})`).join(", ") || "no nodes";
      console.log(`forgot ${node}; storage group ${group} now has ${rest}`);
      return 0;
    } finally {
      await nc.close();
    }
  }
});
export {
  storage_forget_default as default
};
