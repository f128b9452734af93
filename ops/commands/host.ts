import http from 'node:http';
import { command, Lifecycle } from '../command.ts';
import { connectAs, defaultNodeId, metricsText, logger } from '../../lib/mod.ts';
import { openConfiguredDatabase, startHostRole } from '../roles.ts';

export default command({
  name: 'host',
  summary: 'run the host role only (actors and services)',
  usage: 'troupe host [settings]',
  description: `
Runs one host against an existing NATS and database: it creates the streams and KV buckets if
needed, runs the stateless services (auth) in their queue groups and, with the actor runtime,
claims partitions. With --metrics-port it serves /metrics and /healthz.
Several hosts need a shared Postgres (DATABASE_URL); PGlite is for a single process.`,
  groups: ['common', 'nats', 'db', 'host', 'tickets'],
  serves: () => ({}),
  async run({ config }) {
    const nodeId = config.nodeId || defaultNodeId();
    const life = new Lifecycle();
    const database = await openConfiguredDatabase(config);
    await life.add({ stop: () => database.close() });
    const nc = await connectAs(config, 'host', nodeId);
    await life.add({ stop: () => nc.drain() });
    await life.add(await startHostRole(nc, database, config, nodeId));
    if (config.metricsPort) {
      const server = http.createServer(async (req, res) => {
        if (req.url === '/metrics') {
          const { contentType, body } = await metricsText();
          res.writeHead(200, { 'content-type': contentType }).end(body);
        } else if (req.url === '/healthz') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: !nc.isClosed(), id: nodeId }));
        } else res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(config.metricsPort, r));
      await life.add({ stop: () => new Promise<void>((r) => server.close(() => r())) });
    }
    logger('host').info({ nodeId }, 'host running');
    return life.wait();
  },
});
