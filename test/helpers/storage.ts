// Storage nodes in the test process: our own nats-server, a fresh database, a host role (the
// group and tracker actors, the files service), and nodes started and stopped at will (each with
// its own NATS connection).
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectAs, openKv, type Config, type KV } from '../../lib/mod.ts';
import { startHostRole, startGatewayRole, type HostRole } from '../../ops/roles.ts';
import type { Gateway } from '../../gateway/mod.ts';
import { TroupeClient } from '../../protocol/client/mod.ts';
import { buckets, type UploadResult } from '../../protocol/mod.ts';
import { startStorageNode, Tickets, type StorageNode, type StorageNodeOptions } from '../../storage/mod.ts';
import type { NatsServerHandle } from '../../ops/nats-server.ts';
import { testConfig, startTestNats, freshDatabase, tempDir, type TestDatabase } from './env.ts';
import type { Db } from '../../schema/mod.ts';

export const SECRET = 'test-storage-secret';

export interface StorageEnv {
  config: Config;
  nats: NatsServerHandle;
  db: TestDatabase;
  kv: KV;
  /** A connection as NATS user host (everything allowed). */
  host: NatsConnection;
  /** The host role on `host`: actors (group, tracker) and services. */
  hostRole: HostRole;
  /** With `gateway: true`: a gateway, and clients of it (closed by stop). */
  gateway?: Gateway;
  client(): Promise<TroupeClient>;
  /** A registered, logged-in client. */
  user(name: string): Promise<TroupeClient>;
  tickets: Tickets;
  root: string;
  /** Starts a node; `dir` names its data dir under the env's root (reuse a name to restart it). */
  node(group: string, dir: string, extra?: Partial<StorageNodeOptions>): Promise<StorageNode>;
  stopNode(node: StorageNode): Promise<void>;
  /** The nodes started and not stopped, oldest first. */
  running(): StorageNode[];
  stop(): Promise<void>;
}

export async function startStorageEnv(opts: { db?: 'pglite'; config?: Partial<Config>; gateway?: boolean } = {}): Promise<StorageEnv> {
  // nodes beat every 250 ms below: offline after a second without one
  const config = testConfig({
    storageSecret: SECRET, partitions: 8, leaseTtlMs: 4000, scryptCost: 1024, storageMissedBeats: 4,
    httpPort: 0, tcpPort: 0, bind: '127.0.0.1', ...opts.config,
  });
  const nats = await startTestNats(config);
  const db = await freshDatabase({ forcePglite: opts.db === 'pglite' });
  const host = await connectAs(config, 'host', 'test-host');
  const hostRole = await startHostRole(host, db.database, config, 'test-host');
  const kv = await openKv(host, buckets.nodes);
  const gwNc = opts.gateway ? await connectAs(config, 'gateway', 'test-gw') : undefined;
  const gateway = gwNc ? await startGatewayRole(gwNc, config, 'test-gw') : undefined;
  const clients: TroupeClient[] = [];
  const root = tempDir('troupe-storage-');
  const nodes = new TestNodes({ config, db: db.database.db, secret: SECRET, root, maxUploadBytes: 512 * 1024 * 1024, shutdownGraceMs: 1000 });
  const env: StorageEnv = {
    config, nats, db, kv, root, host, hostRole, gateway,
    async client() {
      if (!gateway) throw new Error('startStorageEnv({ gateway: true }) for clients');
      const c = await TroupeClient.connect(`tcp://127.0.0.1:${gateway.tcpPort}`, { reconnect: false, heartbeatMs: 0 });
      clients.push(c);
      return c;
    },
    async user(name) {
      const c = await env.client();
      await c.register(name, `${name}-password`);
      await c.login(name, `${name}-password`);
      return c;
    },
    tickets: new Tickets(SECRET),
    node: (group, dir, extra = {}) => nodes.start(group, dir, extra),
    stopNode: (node) => nodes.stop(node),
    running: () => nodes.running(),
    async stop() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await gateway?.stop();
      await gwNc?.close();
      for (const n of nodes.running()) await env.stopNode(n);
      await hostRole.stop();
      await host.close();
      await db.drop();
      await nats.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return env;
}

/** Storage nodes of a test system, started and stopped at will, each on its own NATS connection. */
export class TestNodes {
  private readonly conns = new Map<StorageNode, NatsConnection>();

  constructor(private readonly o: { config: Config; db: Db; secret: string; root: string; maxUploadBytes: number; shutdownGraceMs: number }) {}

  /** Starts a node; `dir` names its data dir under the root (reuse a name to restart it). Nodes beat every 250 ms. */
  async start(group: string, dir: string, extra: Partial<StorageNodeOptions> = {}): Promise<StorageNode> {
    const nc = await connectAs(this.o.config, 'storage', `test-${dir}`);
    const node = await startStorageNode({
      group, dataDir: path.join(this.o.root, dir), nc, db: this.o.db, secret: this.o.secret, httpPort: 0, bind: '127.0.0.1',
      maxUploadBytes: this.o.maxUploadBytes, idStep: 10, idStepMax: 1000, heartbeatMs: 250, shutdownGraceMs: this.o.shutdownGraceMs, streamReplicas: 1,
      ...extra,
    });
    this.conns.set(node, nc);
    return node;
  }

  async stop(node: StorageNode): Promise<void> {
    await node.stop();
    const nc = this.conns.get(node);
    this.conns.delete(node);
    await nc?.drain();
  }

  /** The nodes started and not stopped, oldest first. */
  running(): StorageNode[] {
    return [...this.conns.keys()];
  }
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export async function upload(env: StorageEnv, node: StorageNode, user: number, body: Buffer, opts: { contentType?: string; name?: string } = {}): Promise<UploadResult> {
  const ticket = env.tickets.uploadTicket(node.group, user, 60);
  const q = new URLSearchParams({ ticket, ...(opts.name !== undefined ? { name: opts.name } : {}) });
  const res = await fetch(`${node.url}/files?${q}`, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': opts.contentType ?? 'application/octet-stream' } });
  const json = await res.json() as UploadResult & { error?: unknown };
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** GET /files/<id> as `user`; status and body (null when not 200). */
export async function download(env: StorageEnv, node: StorageNode, user: number, fileId: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const res = await fetch(`${node.url}/files/${fileId}?ticket=${env.tickets.fileTicket('read', fileId, user, 60)}`, { headers });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

/** A raw node:http request (for Expect, chunked bodies, aborted uploads). */
export function rawRequest(url: string, opts: http.RequestOptions & { body?: Buffer }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; sawContinue: boolean }> {
  return new Promise((resolve, reject) => {
    let sawContinue = false;
    const req = http.request(url, opts, async (res) => {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), sawContinue });
    });
    req.on('continue', () => {
      sawContinue = true;
      req.end(opts.body);
    });
    req.on('error', reject);
    if (!/100-continue/i.test(String((opts.headers as Record<string, string> | undefined)?.expect ?? ''))) req.end(opts.body);
  });
}

/** Waits until `check` holds, polling. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
