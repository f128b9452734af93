// A whole system in the test process: nats-server, database, a host role and N gateways on free
// ports, plus clients.
import type { NatsConnection } from '@nats-io/transport-node';
import { connectAs, type Config } from '../../lib/mod.ts';
import { startHostRole, startGatewayRole, type Stoppable } from '../../ops/roles.ts';
import type { Gateway } from '../../gateway/mod.ts';
import { TroupeClient, type ClientOptions } from '../../protocol/client/mod.ts';
import { testConfig, startTestNats, freshDatabase, type TestDatabase } from './env.ts';
import { restartablePort } from './ports.ts';
import type { NatsServerHandle } from '../../ops/nats-server.ts';

export interface TestSystem {
  config: Config;
  nats: NatsServerHandle;
  db: TestDatabase;
  gateways: Gateway[];
  hostNc: NatsConnection;
  tcpUrl(i?: number): string;
  wsUrl(i?: number): string;
  client(opts?: ClientOptions & { gateway?: number; via?: 'tcp' | 'ws' }): Promise<TroupeClient>;
  stop(): Promise<void>;
}

/** `restartablePorts`: gateways listen on ports a test can stop and start them on again (see ports.ts). */
export async function startSystem(opts: { gateways?: number; hosts?: number; config?: Partial<Config>; restartablePorts?: boolean } = {}): Promise<TestSystem> {
  const config = testConfig({ httpPort: 0, tcpPort: 0, bind: '127.0.0.1', scryptCost: 1024, partitions: 16, leaseTtlMs: 4000, ...opts.config });
  const nats = await startTestNats(config);
  const db = await freshDatabase();
  const parts: Stoppable[] = [];
  const hostNc = await connectAs(config, 'host', 'test-host');
  parts.push(await startHostRole(hostNc, db.database, config, 'test-host-0'));
  const hostConns: NatsConnection[] = [];
  for (let i = 1; i < (opts.hosts ?? 1); i++) {
    const nc = await connectAs(config, 'host', `test-host-${i}`);
    hostConns.push(nc);
    parts.push(await startHostRole(nc, db.database, config, `test-host-${i}`));
  }
  const gateways: Gateway[] = [];
  const clients: TroupeClient[] = [];
  const gwConns: NatsConnection[] = [];
  for (let i = 0; i < (opts.gateways ?? 1); i++) {
    const nc = await connectAs(config, 'gateway', `test-gw-${i}`);
    gwConns.push(nc);
    const ports = opts.restartablePorts ? { httpPort: await restartablePort(), tcpPort: await restartablePort() } : {};
    gateways.push(await startGatewayRole(nc, { ...config, ...ports }, `test-gw-${i}`));
  }
  const sys: TestSystem = {
    config, nats, db, gateways, hostNc,
    tcpUrl: (i = 0) => `tcp://127.0.0.1:${gateways[i].tcpPort}`,
    wsUrl: (i = 0) => `ws://127.0.0.1:${gateways[i].httpPort}/ws`,
    async client(o = {}) {
      const url = o.via === 'ws' ? sys.wsUrl(o.gateway ?? 0) : sys.tcpUrl(o.gateway ?? 0);
      const c = await TroupeClient.connect(url, { reconnect: false, heartbeatMs: 0, ...o });
      clients.push(c);
      return c;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      for (const g of gateways) await g.stop();
      for (const nc of gwConns) await nc.close();
      for (const p of parts.reverse()) await p.stop();
      await hostNc.close();
      for (const nc of hostConns) await nc.close();
      await db.drop();
      await nats.stop();
    },
  };
  return sys;
}
