import path from 'node:path';
import { command, Lifecycle } from '../command.ts';
import { connectAs, projectRoot, ConfigError } from '../../lib/mod.ts';
import { openConfiguredDatabase, startStorageRole, storageDataDir } from '../roles.ts';

export default command({
  name: 'storage',
  summary: 'run one storage node (file bytes, HTTP range serving, binlog replication)',
  usage: 'troupe storage --group G [--data DIR] [--http PORT] [settings]',
  description: `
Runs one node of storage group G against an existing NATS and database. The node keeps file bytes
under DIR in the seed's three-level layout (DIR/files), small files (announced size up to 64
KiB) packed into trunk files (DIR/trunks, FastDFS-style); it serves them over HTTP (ranges,
tickets signed with --storage-secret), appends uploads and deletes to the group's binlog (stream
STORAGE) and copies what other nodes of the group stored by applying that binlog. It registers
in KV nodes with its state (joining, syncing, active), load, free disk and applied binlog
sequence; a host must be running (it creates the bucket). DIR is the node's identity (its id is kept
in DIR/node.json; --node-id only names a new DIR): restart it on the same DIR to resume.
Several processes need a shared Postgres (DATABASE_URL); PGlite is for a single process.
It listens on --storage-bind: by default 127.0.0.1 while its URL (--storage-public-url, default
http://127.0.0.1:<port>) names a loopback host, else 0.0.0.0; it refuses to listen beyond
loopback with a weak --storage-secret (generated into <data-dir>/secrets.env unless set).
SIGTERM or Ctrl-C: leaves the registry, lets transfers finish (--shutdown-grace-ms), stops.`,
  groups: ['common', 'nats', 'db', 'storage', 'tickets'],
  serves: () => ({ storage: true }),
  async run({ config }) {
    if (!config.group) throw new ConfigError('--group is required (TROUPE_STORAGE_GROUP)');
    const life = new Lifecycle();
    const database = await openConfiguredDatabase(config);
    await life.add({ stop: () => database.close() });
    const nc = await connectAs(config, 'storage', `storage-${config.group}`);
    await life.add({ stop: () => nc.drain() });
    const node = await life.add(await startStorageRole(nc, database, config));
    console.log(`storage node ${node.nodeId} of group ${node.group}: ${node.url}   (data in ${path.relative(projectRoot, storageDataDir(config)) || '.'})`);
    return life.wait();
  },
});
