// "Use the configured NATS, or start our own": shared by `up` and the role commands.
import net from 'node:net';
import { connect } from '@nats-io/transport-node';
import { logger, resolveDataPath, rolePassword, localAddressOf, type ConfigOf } from '../lib/mod.ts';
import { startNatsServer, type NatsServerHandle } from './nats-server.ts';

const log = logger('nats');

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: host.replace(/^\[|\]$/g, ''), port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/**
 * When NATS_URL is unset: reuses a nats-server already on the configured port if it accepts our
 * credentials, otherwise starts one from nats.conf. Returns the handle of a server we started.
 * Mutates `config.natsUrl` so every later connection goes to it.
 */
export async function ensureNats(config: ConfigOf<'common' | 'nats'>): Promise<NatsServerHandle | null> {
  if (config.natsUrl) return null;
  const port = config.natsPort;
  const host = localAddressOf(config.natsBind);
  if (await portOpen(host, port)) {
    const url = `nats://${host}:${port}`;
    try {
      const nc = await connect({ servers: url, user: 'ops', pass: rolePassword(config, 'ops'), maxReconnectAttempts: 0, timeout: 3000 });
      await nc.close();
      log.info({ port }, 'a nats-server that accepts our credentials is already running; using it');
      config.natsUrl = url;
      return null;
    } catch (e) {
      throw new Error(`port ${port} is taken by something that does not accept our NATS credentials (${(e as Error).message}): another program, or a nats-server started with other secrets (after \`troupe secrets rotate\`, stop it first). Set TROUPE_NATS_PORT to a free port or NATS_URL to an existing cluster`);
    }
  }
  const handle = await startNatsServer({ config, dir: resolveDataPath(config, 'nats'), port, monitorPort: config.natsMonitorPort || undefined });
  config.natsUrl = handle.url;
  return handle;
}
