import { command } from '../command.ts';
import { connectAs, ConfigError } from '../../lib/mod.ts';
import { GroupName, StorageNodeId, isValid, type GroupView } from '../../protocol/mod.ts';
import { natsActorClient, readPartitionCount } from '../../actors/runtime/mod.ts';

export default command({
  name: 'storage-forget',
  summary: 'remove an offline storage node from its group for good',
  usage: 'troupe storage-forget <group> <node> [settings]',
  description: `
A storage node that stops (or dies) stays in its group as offline, so that it is known again when
it comes back. A node that will not come back is forgotten with this command (FastDFS's
\`fdfs_monitor <conf> delete <group> <storage>\`): the group actor drops it and tells the tracker.
Only an offline node can be forgotten; stop it first. Its files are not touched: the other nodes
of the group hold them. \`troupe files groups\` lists the nodes and their states.`,
  groups: ['common', 'nats'],
  async run({ config, positionals }) {
    const [group, node] = positionals;
    if (!group || !node || positionals.length > 2) throw new ConfigError('usage: troupe storage-forget <group> <node>');
    if (!isValid(GroupName, group)) throw new ConfigError(`"${group}" is not a storage group name`);
    if (!isValid(StorageNodeId, node)) throw new ConfigError(`"${node}" is not a storage node id`);
    const nc = await connectAs(config, 'ops', 'storage-forget', { maxReconnectAttempts: 0 });
    try {
      const client = natsActorClient(nc, await readPartitionCount(nc, AbortSignal.timeout(5000)), 'ops.storage-forget');
      const view = await client.ask<GroupView>('group', group, { type: 'forget', node }, { timeoutMs: 10_000 });
      client.close();
      const rest = view.members.map((m) => `${m.node} (${m.state})`).join(', ') || 'no nodes';
      console.log(`forgot ${node}; storage group ${group} now has ${rest}`);
      return 0;
    } finally {
      await nc.close();
    }
  },
});
