// A whole watch-together system in the test process: nats-server, database, a host, N gateways,
// storage nodes of group g1 (the media servers), the admin API on; helpers to register users on a
// gateway, upload the test clip and publish it in the library.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, type Config } from '../../lib/mod.ts';
import type { StorageNode } from '../../storage/mod.ts';
import type { TroupeClient, PushMessage } from '../../protocol/client/mod.ts';
import type { GroupMember, LibraryItem, UploadResult } from '../../protocol/mod.ts';
import { natsActorClient, type ActorClient } from '../../actors/runtime/mod.ts';
import { startSystem, type TestSystem } from './system.ts';
import { tempDir } from './env.ts';
import { eventually, TestNodes } from './storage.ts';

export const ADMIN = 'test-admin-token';
export const CLIP = path.join(projectRoot, 'test', 'fixtures', 'clip.mp4');
export const CLIP_MS = 30_000;

export interface WatchUser {
  c: TroupeClient;
  id: number;
  name: string;
  pushes: PushMessage[];
}

export interface WatchEnv {
  sys: TestSystem;
  nodes: StorageNode[];
  user(name: string, gateway?: number): Promise<WatchUser>;
  /** Uploads the clip as `u` (through files.upload) and publishes it in the library (admin API). */
  publishClip(u: WatchUser, title?: string): Promise<LibraryItem>;
  upload(u: WatchUser, body: Buffer, name: string, type?: string): Promise<UploadResult>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  startNode(dir: string): Promise<StorageNode>;
  stopNode(node: StorageNode): Promise<void>;
  /** Asks actors as a host does. */
  actors: ActorClient;
  /** Waits until `n` nodes are active in the group actor's view. */
  nodesActive(n: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startWatchEnv(opts: { gateways?: number; nodes?: string[]; config?: Partial<Config> } = {}): Promise<WatchEnv> {
  // nodes beat every 250 ms: one is offline after a second without beats
  const sys = await startSystem({ gateways: opts.gateways ?? 2, config: { adminToken: ADMIN, storageSecret: 'test-watch-secret', storageMissedBeats: 4, ...opts.config } });
  const root = tempDir('troupe-watch-');
  const pool = new TestNodes({ config: sys.config, db: sys.db.database.db, secret: sys.config.storageSecret, root, maxUploadBytes: 64 * 1024 * 1024, shutdownGraceMs: 500 });
  const env: WatchEnv = {
    sys,
    nodes: [],
    async user(name, gateway = 0) {
      const c = await sys.client({ gateway, device: { type: 'desktop' } });
      await c.register(name, `${name}-pw-123`);
      const me = await c.login(name, `${name}-pw-123`);
      const u = { c, id: me.id, name, pushes: [] as PushMessage[] };
      c.on('push', (p: PushMessage) => u.pushes.push(p));
      return u;
    },
    async upload(u, body, name, type = 'video/mp4') {
      const grant = await u.c.request('files.upload', { size: body.length });
      const res = await fetch(`${grant.url}&name=${encodeURIComponent(name)}`, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': type } });
      if (res.status !== 201) throw new Error(`upload answered ${res.status}`);
      return (await res.json()) as UploadResult;
    },
    async publishClip(u, title = 'Test Pattern') {
      const up = await env.upload(u, fs.readFileSync(CLIP), 'clip.mp4');
      const r = await env.admin('POST', '/api/admin/library', { file: up.fileId, title, durationMs: CLIP_MS });
      if (r.status !== 200) throw new Error(`publish answered ${r.status}: ${JSON.stringify(r.json)}`);
      return r.json.item as LibraryItem;
    },
    async admin(method, p, body) {
      const res = await fetch(`http://127.0.0.1:${sys.gateways[0].httpPort}${p}`, {
        method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    },
    async startNode(dir) {
      const node = await pool.start('g1', dir);
      env.nodes.push(node);
      return node;
    },
    stopNode: (node) => pool.stop(node),
    actors: natsActorClient(sys.hostNc, sys.config.partitions, 'test'),
    async nodesActive(n) {
      await eventually(async () => (await env.actors.ask<{ members: GroupMember[] }>('group', 'g1', { type: 'view' })).members.filter((m) => m.state === 'active').length >= n, `${n} active storage nodes`);
    },
    async stop() {
      env.actors.close();
      for (const n of pool.running()) await env.stopNode(n).catch(() => {});
      await sys.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  for (const dir of opts.nodes ?? ['a']) await env.startNode(dir);
  return env;
}

/** The pushes of `op` a user got (optionally for a room). */
export function pushesOf(u: WatchUser, op: string, room?: string): PushMessage[] {
  return u.pushes.filter((p) => p.op === op && (room === undefined || p.room === room));
}
