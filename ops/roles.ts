// The roles a troupe process can run (any set of them in one process): how each is assembled
// from the modules that do the work.
import type { NatsConnection } from '@nats-io/transport-node';
import path from 'node:path';
import { logger, callService, ensureKv, resolveDataPath, projectRoot, ConfigError, NodeDirectory, storagePublicHost, type ConfigOf } from '../lib/mod.ts';
import { Kvm } from '@nats-io/kv';
import { startActorRuntime, type ActorRuntime, type ActorKind } from '../actors/runtime/mod.ts';
import { userKind } from '../actors/user/mod.ts';
import { groupKind } from '../actors/group/mod.ts';
import { trackerKind } from '../actors/tracker/mod.ts';
import { counterKind } from '../actors/runtime/sim/mod.ts';
import { startPresenceService, startGatewayReaper } from '../services/presence/mod.ts';
import { startChatService } from '../services/chat/mod.ts';
import { roomKind } from '../actors/room/mod.ts';
import { watchKind } from '../actors/watch/mod.ts';
import { buckets } from '../protocol/mod.ts';
import { openDatabase, migrate, type Database } from '../schema/mod.ts';
import { startAuthService } from '../services/auth/mod.ts';
import { startFilesService } from '../services/files/mod.ts';
import { startLibraryService } from '../services/library/mod.ts';
import { startWatchService } from '../services/watch/mod.ts';
import { startGateway, type Gateway } from '../gateway/mod.ts';
import { startStorageNode, parseCorsOrigins, type StorageNode } from '../storage/mod.ts';
import type { Stoppable } from './command.ts';

const log = logger('roles');

export type { Stoppable };

/** Opens the configured database (Postgres, or PGlite under the data dir) and migrates it. */
export async function openConfiguredDatabase(config: ConfigOf<'common' | 'db'>): Promise<Database> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: resolveDataPath(config, 'pglite'), poolSize: config.dbPoolSize, preparedStatements: config.dbPrepared });
  await migrate(database, config.databaseUrl);
  log.info({ driver: database.driver, where: database.where }, 'database ready');
  return database;
}

/** Creates the KV buckets and streams the system needs (hosts own them; gateways only bind). */
export async function provision(nc: NatsConnection, config: ConfigOf<'nats' | 'host'>): Promise<void> {
  const replicas = config.streamReplicas;
  await ensureKv(nc, buckets.nodes, { ttl: 15_000, replicas });
  await ensureKv(nc, buckets.config, { replicas });
}

/** Every actor kind a host runs. `counter` is the runtime's own test and benchmark actor. */
export function actorKinds(config: ConfigOf<'host'>): ActorKind[] {
  return [
    userKind({ maxDevices: config.maxDevices }),
    roomKind({ maxRoomMembers: config.maxRoomMembers }),
    groupKind({ missedBeats: config.storageMissedBeats, capacity: { viewersPerNode: config.watchNodeViewers, bytesPerSecond: config.watchNodeBytesPerSecond } }),
    trackerKind,
    watchKind({
      prepareMs: config.watchPrepareMs, startLeadMs: config.watchStartLeadMs, startSpareMs: config.watchStartSpareMs,
      maxStartLeadMs: config.watchMaxStartLeadMs, stallPauseMs: config.watchStallPauseMs,
      controlBurst: config.watchControlBurst, controlPerMinute: config.watchControlPerMinute, maxViewers: config.watchMaxViewers,
    }),
    counterKind,
  ] as ActorKind[];
}

export interface HostRole extends Stoppable {
  runtime: ActorRuntime;
}

export async function startHostRole(nc: NatsConnection, database: Database, config: ConfigOf<'common' | 'nats' | 'host' | 'tickets'>, nodeId: string): Promise<HostRole> {
  await provision(nc, config);
  const auth = startAuthService(nc, database.db, { sessionTtlHours: config.sessionTtlHours, scryptCost: config.scryptCost });
  const presence = startPresenceService(nc, database.db);
  // members of a room read the files its messages reference, through links the files service signs
  const chat = startChatService(nc, database.db, {
    fileUrl: (fileId, forUser, room) => callService(nc, 'svc.files.link', { fileId, forUser, grant: `room:${room}` }, config.filesAskTimeoutMs).then((g) => g.urls[0], () => undefined),
  });
  const runtime = await startActorRuntime(nc, database, { ...config, hostId: nodeId }, actorKinds(config));
  const files = startFilesService({
    nc, db: database.db, actors: runtime.client, secret: config.storageSecret, ticketTtlSeconds: config.ticketTtlSeconds, askTimeoutMs: config.filesAskTimeoutMs, hostId: nodeId,
  });
  const library = startLibraryService(nc, database.db);
  const watch = startWatchService(nc, database.db, runtime.client, config.filesAskTimeoutMs);
  const directory = await NodeDirectory.open(await new Kvm(nc).open('nodes'));
  const reaper = startGatewayReaper({ db: database.db, host: runtime.host, client: runtime.client, directory });
  log.info({ nodeId }, 'host role started');
  return {
    runtime,
    async stop() {
      reaper.stop();
      directory.stop();
      await watch.stop();
      await library.stop();
      await files.stop();
      await runtime.stop();
      await presence.stop();
      for (const s of chat) await s.stop();
      await auth.stop();
    },
  };
}

export async function startGatewayRole(nc: NatsConnection, config: ConfigOf<'gateway'>, nodeId: string): Promise<Gateway> {
  return startGateway({ config, nc, nodeId });
}

/** A gateway as a part of a long-running command: stopping it drains it first (SIGTERM, Ctrl-C). */
export function drainingOnStop(gateway: Gateway, config: ConfigOf<'gateway'>): Stoppable {
  return {
    stopWithinMs: config.drainGraceMs + 10_000,
    async stop() {
      await gateway.drain('shutdown');
      await gateway.stop();
    },
  };
}

/** Where a storage node keeps its bytes: --data, else <data-dir>/storage/<group>. */
export function storageDataDir(config: ConfigOf<'common' | 'storage'>): string {
  return config.data ? path.resolve(projectRoot, config.data) : resolveDataPath(config, 'storage', config.group);
}

/** One storage node of `config.group` (nc: a connection as NATS user `storage`). */
export async function startStorageRole(nc: NatsConnection, database: Database, config: ConfigOf<'common' | 'nats' | 'storage' | 'tickets'>): Promise<StorageNode> {
  if (!config.group) throw new ConfigError('--group is required (TROUPE_STORAGE_GROUP)');
  return startStorageNode({
    group: config.group,
    dataDir: storageDataDir(config),
    nc,
    db: database.db,
    secret: config.storageSecret,
    httpPort: config.http,
    bind: config.storageBind,
    publicUrl: config.storagePublicUrl || undefined,
    // under `troupe up` the gateway's public host: browsers that reach the gateway reach the node
    publicHost: storagePublicHost(config),
    maxUploadBytes: config.maxUploadBytes,
    corsOrigins: parseCorsOrigins(config.corsOrigins),
    idStep: config.idStep,
    idStepMax: config.idStepMax,
    heartbeatMs: config.heartbeatMs,
    shutdownGraceMs: config.shutdownGraceMs,
    streamReplicas: config.streamReplicas,
    nodeId: config.nodeId || undefined,
  });
}
