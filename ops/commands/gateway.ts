import { command, Lifecycle } from '../command.ts';
import { connectAs, defaultNodeId, logger } from '../../lib/mod.ts';
import { startGatewayRole } from '../roles.ts';
import { ensureWebBundle } from '../../gateway/web/mod.ts';

export default command({
  name: 'gateway',
  summary: 'run the gateway role only (TCP, WebSocket, HTTP edge)',
  usage: 'troupe gateway [settings]',
  description: `
Runs one gateway against an existing NATS (NATS_URL, or our nats-server on the NATS port). Run
several on different ports; /api/gateways on any of them lists all, least-loaded first.
A gateway holds no database connection: hosts must be running for logins to work.`,
  groups: ['common', 'nats', 'gateway'],
  async run({ config }) {
    const nodeId = config.nodeId || defaultNodeId();
    await ensureWebBundle({ say: (m) => logger('gateway').info(m) });
    const life = new Lifecycle();
    const nc = await connectAs(config, 'gateway', nodeId);
    await life.add({ stop: () => nc.drain() });
    const gateway = await life.add(await startGatewayRole(nc, config, nodeId));
    console.log(`gateway ${nodeId}: tcp://${config.publicHost}:${gateway.tcpPort}  ws://${config.publicHost}:${gateway.httpPort}/ws  web client http://${config.publicHost}:${gateway.httpPort}`);
    return life.wait();
  },
});
