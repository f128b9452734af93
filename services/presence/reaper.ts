// When a gateway dies, its connections never say goodbye: the reaper notices gateways whose KV
// nodes entry has expired and tells each affected user actor (gatewayDown), and each watch actor
// with a viewer there (gatewayDown: the room's viewers and media servers are released). It runs on whichever
// host holds partition 0, so exactly one host does it at a time (and repeats are idempotent).
// Connections younger than 10 s are left alone: their gateway may not be in our view of KV yet.
import { sql } from 'drizzle-orm';
import { logger, type NodeDirectory } from '../../lib/mod.ts';
import { queryRows, type Db } from '../../schema/mod.ts';
import type { ActorClient, ActorHost } from '../../actors/runtime/mod.ts';

const log = logger('gateway-reaper');

export interface ReaperDeps {
  db: Db;
  host: ActorHost;
  client: ActorClient;
  directory: NodeDirectory;
  everyMs?: number;
}

export function startGatewayReaper(d: ReaperDeps): { stop(): void } {
  let busy = false;
  const round = async () => {
    if (busy || !d.host.holdings().some((h) => h.partition === 0 && h.state === 'running')) return;
    busy = true;
    try {
      const live = new Set(d.directory.list('gateway').map((g) => String(g.instance ?? g.id)));
      const rows = await queryRows<{ gateway: string; user_id: number }>(d.db, sql`select distinct gateway, user_id from user_connections where connected_at < now() - interval '10 seconds'`);
      const dead = rows.filter((r) => !live.has(r.gateway));
      for (const r of dead) {
        await d.client.send('user', String(r.user_id), { type: 'gatewayDown', gateway: r.gateway }, { key: `gwdown:${r.gateway}:${r.user_id}` });
      }
      if (dead.length) log.info({ gateways: [...new Set(dead.map((r) => r.gateway))], users: dead.length }, 'connections of dead gateways closed');
      const watching = await queryRows<{ gateway: string; room_id: string }>(d.db, sql`select distinct gateway, room_id from watch_viewers where joined_at < now() - interval '10 seconds'`);
      const lost = watching.filter((r) => !live.has(r.gateway));
      for (const r of lost) {
        await d.client.send('watch', r.room_id, { type: 'gatewayDown', gateway: r.gateway }, { key: `gwdown:${r.gateway}:watch:${r.room_id}` });
      }
      if (lost.length) log.info({ gateways: [...new Set(lost.map((r) => r.gateway))], rooms: lost.length }, 'viewers of dead gateways released');
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'reaper round failed');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void round(), d.everyMs ?? 5000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
