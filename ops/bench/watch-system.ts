// The system the watch benchmark runs against, every role its own process so one can be SIGKILLed:
// our nats-server and a fresh Postgres database (benchEnv), two hosts (the one running the room's
// watch actor is killed mid-play, the other takes its partitions over), two gateways serving the
// web client (with the admin API on, to publish the clip) and storage nodes of group g1 as the
// media servers. It uploads the committed clip, publishes it in the library, registers users and
// makes the room.
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { natsActorClient, partitionOf, leaseKey, type ActorClient } from '../../actors/runtime/mod.ts';
import { TroupeClient } from '../../protocol/client/mod.ts';
import { buckets, type GroupView, type UploadResult } from '../../protocol/mod.ts';
import { projectRoot } from '../../lib/mod.ts';
import { ensureWebBundle } from '../../gateway/web/mod.ts';
import { benchEnv, connectAs, spawnRole, stopAll, type BenchEnv } from './harness.ts';
import { freePortOf } from './ports.ts';

/**
 * The clips the benchmark can play (30 s, 320x180, H.264 with AAC, both in test/fixtures). 24 fps,
 * as films are, by default; at 15 fps a frame lasts 67 ms, and the frames a page shows (the
 * benchmark's truth) move in steps that coarse whenever a rate correction holds or skips one.
 */
export const CLIPS = {
  24: { file: path.join(projectRoot, 'test', 'fixtures', 'movie24.mp4'), label: 'clip 30 s 320x180 H.264 24 fps' },
  15: { file: path.join(projectRoot, 'test', 'fixtures', 'clip.mp4'), label: 'clip 30 s 320x180 H.264 15 fps' },
} as const;
export type ClipFps = keyof typeof CLIPS;
export const CLIP_MS = 30_000;
export const PASSWORD = 'bench-watch-pw';

export interface WatchSystemOptions {
  storageNodes: number;
  /** The clip the room watches. */
  fps: ClipFps;
  /** Pages the media servers share: each node serves this many before the room gets another. */
  viewersPerNode: number;
  /** Lease TTL of the hosts (a killed host's partitions are claimed again after it). */
  leaseTtlMs: number;
  say(line: string): void;
}

export interface RoleProc {
  name: string;
  child: ChildProcess;
}

export interface WatchSystem {
  env: BenchEnv;
  gateways: { name: string; http: string; ws: string }[];
  hosts: RoleProc[];
  storage: RoleProc[];
  /** The clip's file id, published in the library. */
  movie: string;
  /** Registers and logs in a user on gateway `g` (a Node client, left open). */
  user(name: string, g?: number): Promise<{ c: TroupeClient; id: number }>;
  /** The host (node id) holding the partition of the room's watch actor, from the lease. */
  hostOf(room: string): Promise<string>;
  /** SIGKILLs a host and waits until the process is gone. */
  kill(host: string): Promise<void>;
  stop(): Promise<void>;
}

async function waitHttp(url: string, proc: RoleProc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) throw new Error(`${proc.name} exited before ${url} answered`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${proc.name} did not come up at ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function until(what: string, cond: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startWatchSystem(o: WatchSystemOptions): Promise<WatchSystem> {
  // built once here: two gateway processes starting at once would both build it
  await ensureWebBundle({ say: o.say });
  const adminToken = `bench-admin-${Math.random().toString(36).slice(2)}`;
  const env = await benchEnv({ partitions: 16 });
  const procs: RoleProc[] = [];
  const clients: TroupeClient[] = [];
  let nc: NatsConnection | undefined;
  let actors: ActorClient | undefined;
  const stop = async () => {
    actors?.close();
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await nc?.close().catch(() => {});
    await stopAll(procs.map((p) => p.child).filter((c) => c.exitCode === null && c.signalCode === null));
    await env.close();
  };
  try {
    if (!env.databaseUrl) throw new Error('the watch benchmark runs hosts as processes and needs Postgres (TROUPE_BENCH_DATABASE_URL)');
    const base = {
      NATS_URL: env.config.natsUrl, DATABASE_URL: env.databaseUrl, TROUPE_PARTITIONS: '16', TROUPE_SCRYPT_COST: '1024',
      TROUPE_LEASE_TTL_MS: String(o.leaseTtlMs), TROUPE_STORAGE_MISSED_BEATS: '4', TROUPE_WATCH_NODE_VIEWERS: String(o.viewersPerNode),
      // the benchmark sends more control commands in a minute than a person would
      TROUPE_WATCH_CONTROL_BURST: '50', TROUPE_WATCH_CONTROL_PER_MINUTE: '600',
    };
    const hosts: RoleProc[] = [];
    const hostHealth: string[] = [];
    for (const name of ['bench-h1', 'bench-h2']) {
      const port = await freePortOf();
      hosts.push({ name, child: spawnRole(['host'], { ...base, TROUPE_NODE_ID: name, TROUPE_METRICS_PORT: String(port) }) });
      hostHealth.push(`http://127.0.0.1:${port}/healthz`);
    }
    procs.push(...hosts);
    const gateways: WatchSystem['gateways'] = [];
    for (const name of ['bench-ga', 'bench-gb']) {
      const [http, tcp] = [await freePortOf(), await freePortOf()];
      procs.push({
        name,
        child: spawnRole(['gateway'], {
          ...base, TROUPE_NODE_ID: name, TROUPE_HTTP_PORT: String(http), TROUPE_TCP_PORT: String(tcp), TROUPE_BIND: '127.0.0.1', TROUPE_ADMIN_TOKEN: adminToken,
          // stopped at the end, when nobody is left to move to another gateway
          TROUPE_DRAIN_GRACE_MS: '1000',
        }),
      });
      gateways.push({ name, http: `http://127.0.0.1:${http}`, ws: `ws://127.0.0.1:${http}/ws` });
    }
    const storage: RoleProc[] = [];
    const storageHealth: string[] = [];
    for (let i = 0; i < o.storageNodes; i++) {
      const port = await freePortOf();
      const dir = path.join(env.dir, `storage-${i}`);
      fs.mkdirSync(dir, { recursive: true });
      storage.push({ name: `bench-s${i + 1}`, child: spawnRole(['storage', '--group', 'g1', '--data', dir, '--http', String(port)], { ...base, TROUPE_NODE_ID: `bench-s${i + 1}`, TROUPE_STORAGE_HEARTBEAT_MS: '500', TROUPE_STORAGE_SHUTDOWN_GRACE_MS: '500' }) });
      storageHealth.push(`http://127.0.0.1:${port}/healthz`);
    }
    procs.push(...storage);
    await Promise.all([
      ...hosts.map((h, i) => waitHttp(hostHealth[i], h)),
      ...gateways.map((g, i) => waitHttp(`${g.http}/healthz`, procs[hosts.length + i])),
      ...storage.map((s, i) => waitHttp(storageHealth[i], s)),
    ]);
    nc = await connectAs(env.config, 'host', 'bench-watch');
    actors = natsActorClient(nc, 16, 'bench-watch');
    const groupView = () => actors!.ask<GroupView>('group', 'g1', { type: 'view' });
    await until(`${o.storageNodes} active storage nodes`, async () => (await groupView()).members.filter((m) => m.state === 'active').length >= o.storageNodes);

    const user: WatchSystem['user'] = async (name, g = 0) => {
      const c = await TroupeClient.connect(gateways[g].ws, { reconnect: false, device: { type: 'cli' }, timeoutMs: 30_000 });
      clients.push(c);
      const { id } = await c.register(name, PASSWORD);
      await c.login(name, PASSWORD);
      return { c, id };
    };

    // the clip: uploaded by a user, published by the admin API, on every node before pages ask
    const uploader = await user('bench-uploader');
    const bytes = fs.readFileSync(CLIPS[o.fps].file);
    const grant = await uploader.c.request('files.upload', { size: bytes.length });
    const put = await fetch(`${grant.url}&name=clip.mp4`, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': 'video/mp4' } });
    if (put.status !== 201) throw new Error(`uploading the clip answered ${put.status}`);
    const up = (await put.json()) as UploadResult;
    const pub = await fetch(`${gateways[0].http}/api/admin/library`, {
      method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ file: up.fileId, title: 'Bench clip', durationMs: CLIP_MS }),
    });
    if (pub.status !== 200) throw new Error(`publishing the clip answered ${pub.status}: ${await pub.text()}`);
    await until('the clip on every storage node', async () => (await groupView()).members.filter((m) => m.state === 'active' && m.appliedSeq >= up.binlogSeq).length >= o.storageNodes);

    const leases = await new Kvm(nc).open(buckets.leases);
    return {
      env, gateways, hosts, storage, movie: up.fileId, user,
      async hostOf(room) {
        const e = await leases.get(leaseKey(partitionOf('watch', room, 16)));
        if (!e || e.operation !== 'PUT') throw new Error(`nobody holds the partition of room ${room}`);
        return (JSON.parse(e.string()) as { host: string }).host;
      },
      async kill(host) {
        const p = hosts.find((h) => h.name === host);
        if (!p) throw new Error(`no host process ${host}`);
        const gone = new Promise((r) => (p.child.exitCode !== null || p.child.signalCode !== null ? r(null) : p.child.once('exit', r)));
        p.child.kill('SIGKILL');
        await gone;
      },
      stop,
    };
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}
