// The three-node cluster configuration (nats/cluster-*.conf, `troupe nats --cluster`): the nodes
// form a JetStream cluster, the runtime runs on R3 streams and buckets, and keeps working with one
// node down.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectAs, type Config } from '../lib/mod.ts';
import { startNatsCluster } from '../ops/nats-server.ts';
import { startHostRole } from '../ops/roles.ts';
import { natsActorClient } from '../actors/runtime/mod.ts';
import { testConfig, tempDir, freshDatabase } from './helpers/env.ts';
import { freePort } from './helpers/ports.ts';
import { jetstreamManager } from '@nats-io/jetstream';

test('a host and its actors run on the local three-node cluster with R3 streams, and survive a node going down', async () => {
  const config: Config = testConfig({ partitions: 4, streamReplicas: 3 });
  const free = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  const nodes = await startNatsCluster(config, tempDir('troupe-cluster-'), { client: free.slice(0, 3), route: free.slice(3) });
  config.natsUrl = nodes.map((n) => n.url).join(',');
  const db = await freshDatabase({ forcePglite: true });
  const hostNc = await connectAs(config, 'host', 'cluster-host');
  let role: Awaited<ReturnType<typeof startHostRole>> | undefined;
  let clientNc: NatsConnection | undefined;
  try {
    // JetStream needs a meta leader before streams can be created
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        role = await startHostRole(hostNc, db.database, config, 'cluster-host');
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    clientNc = await connectAs(config, 'gateway', 'cluster-client');
    const client = natsActorClient(clientNc, 4);
    for (let i = 0; i < 5; i++) await client.ask('counter', 'c', { type: 'add', n: 1 }, { key: `before-${i}`, timeoutMs: 20_000 });
    const info = await (await jetstreamManager(hostNc)).streams.info('ACTORS');
    assert.is(info.config.num_replicas, 3);
    assert.is((info.cluster?.replicas?.length ?? 0) + 1, 3, 'a leader and two replicas');
    // the node leading the ACTORS stream dies: the other two keep quorum and elect a new leader;
    // ask() rides out the election by republishing under the same key. A minute, since a loaded
    // machine can take 20 s: the meta group, the stream and each partition's new consumer each wait
    // out a Raft election timeout of 4-9 s, one after the other
    const leader = nodes.findIndex((_, i) => info.cluster?.leader === `troupe-${i + 1}`);
    assert.ok(leader >= 0, `the stream leader ${info.cluster?.leader} is one of our nodes`);
    nodes[leader].child.kill('SIGKILL');
    const killedAt = Date.now();
    let total = 0;
    for (let i = 0; i < 5; i++) {
      total = (await client.ask<{ total: number }>('counter', 'c', { type: 'add', n: 1 }, { key: `after-${i}`, timeoutMs: 60_000 })).total;
      if (i === 0) console.log(`the first ask after the stream leader died was answered in ${Date.now() - killedAt} ms`);
    }
    assert.is(total, 10);
    client.close();
  } finally {
    await clientNc?.close();
    await role?.stop();
    await hostNc.close();
    await db.drop();
    await Promise.all(nodes.map((n) => n.stop()));
  }
});

test.run();
