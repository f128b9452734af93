// svc.files.*: what the client's files.* ops need from the database and the storage actors. Runs
// on hosts (the gateway never touches the database and never holds the storage secret): it routes
// a user to a group (storage_routes, the seed's t_router: the tracker picks the group with the most
// free space, the first writer wins), asks the group actor which nodes to use, and signs tickets.
// Bytes never pass through here: clients send them to the nodes named in the answer.
import type { NatsConnection } from '@nats-io/transport-node';
import { serve, logger, type ServiceHandle } from '../../lib/mod.ts';
import { TroupeError, type FileInfo, type Target, type ReadGrant } from '../../protocol/mod.ts';
import type { Db } from '../../schema/mod.ts';
import type { ActorClient } from '../../actors/runtime/mod.ts';
import { TRACKER_ID } from '../../actors/tracker/mod.ts';
import { FileIndex, Tickets, Binlog, deleteFile, type FileRow } from '../../storage/mod.ts';

export interface FilesServiceOptions {
  nc: NatsConnection;
  db: Db;
  /** For the tracker and group actors. */
  actors: ActorClient;
  /** The storage secret (tickets). */
  secret: string;
  ticketTtlSeconds: number;
  /** How long to wait for the tracker or a group actor. */
  askTimeoutMs: number;
  /** This host's id: the `origin` of the delete records it appends. */
  hostId: string;
}

const DEFAULT_PAGE = 50;

export function fileInfo(row: FileRow): FileInfo {
  return { id: row.id, group: row.groupName, size: row.size, sha256: row.sha256, contentType: row.contentType, name: row.name, createdAt: row.createdAt.toISOString() };
}

/** Keyset cursor of files.list: the last row's creation time and id, opaque to clients. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.getTime(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [ms, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (Number.isSafeInteger(ms) && typeof id === 'string' && id.length <= 64) return { createdAt: new Date(ms as number), id };
  } catch {
    // refused below
  }
  throw new TroupeError('bad_request', 'cursor: not one this service handed out');
}

export function startFilesService(o: FilesServiceOptions): ServiceHandle {
  const index = new FileIndex(o.db);
  const tickets = new Tickets(o.secret);
  const log = logger('files');
  const binlogs = new Map<string, Binlog>();
  // delete records name who handled them; a host id may hold characters a node id may not
  const origin = o.hostId.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'host';
  const ask = <T>(kind: string, id: string, body: { type: string; [k: string]: unknown }) => o.actors.ask<T>(kind, id, body, { timeoutMs: o.askTimeoutMs });
  // targets are queries: read from the group actor's holder, no transaction per file
  const query = <T>(kind: string, id: string, body: { type: string; [k: string]: unknown }) => o.actors.query<T>(kind, id, body, { timeoutMs: o.askTimeoutMs });
  /** Uploads handed out per group: they take turns over the least-loaded targets. */
  const turns = new Map<string, number>();
  const expiresAt = () => new Date(tickets.expiry(o.ticketTtlSeconds) * 1000).toISOString();

  /** The user's group: remembered, or picked by the tracker now (a concurrent first pick may win). */
  async function route(user: number, size: number | undefined): Promise<string> {
    const known = await index.routeOf(user);
    if (known) return known;
    const { group } = await ask<{ group: string }>('tracker', TRACKER_ID, { type: 'pickGroup', ...(size ? { minFreeBytes: size } : {}) });
    const assigned = await index.assignRoute(user, group);
    log.info({ user, group: assigned }, 'user routed to a storage group');
    return assigned;
  }

  /** A live file of `user`; others' files and deleted ones do not exist for them. */
  async function own(user: number, id: string): Promise<FileRow> {
    const row = await index.get(user, id);
    if (!row || row.status !== 'active') throw new TroupeError('not_found', `no file ${id}`);
    return row;
  }

  async function readGrant(row: FileRow, user: number, grant?: string): Promise<ReadGrant> {
    const { targets } = await query<{ targets: Target[] }>('group', row.groupName, { type: 'readTargets', origin: row.origin, binlogSeq: row.binlogSeq });
    const ticket = tickets.fileTicket('read', row.id, user, o.ticketTtlSeconds, grant);
    return { file: fileInfo(row), urls: targets.map((t) => `${t.url}/files/${row.id}?ticket=${ticket}`), ticket, expiresAt: expiresAt() };
  }

  return serve(o.nc, 'files', {
    async upload({ user, size }) {
      const group = await route(user, size);
      const { targets: ranked } = await query<{ targets: Target[] }>('group', group, { type: 'uploadTarget', ...(size ? { minFreeBytes: size } : {}) });
      // a query does not count what it hands out against the node's load (until its next beat):
      // uploads take turns over the (at most 3) least-loaded nodes; the others stay as fallbacks
      const turn = turns.get(group) ?? 0;
      turns.set(group, turn + 1);
      const first = turn % Math.min(3, ranked.length);
      const targets = [ranked[first], ...ranked.filter((_, i) => i !== first)];
      const ticket = tickets.uploadTicket(group, user, o.ticketTtlSeconds);
      const urls = targets.map((t) => `${t.url}/files?ticket=${ticket}`);
      return { url: urls[0], urls, ticket, expiresAt: expiresAt(), group };
    },

    async download({ user, id }) {
      return readGrant(await own(user, id), user);
    },

    async link({ fileId, forUser, grant }) {
      const row = await index.getById(fileId);
      if (!row || row.status !== 'active') throw new TroupeError('not_found', `no file ${fileId}`);
      log.debug({ fileId, forUser, grant }, 'read link issued');
      return readGrant(row, forUser, row.ownerId === forUser ? undefined : grant);
    },

    // watch.source: the viewer's node, as the group actor places it (seed 000's room -> media
    // server map), and a read ticket for it; callers checked that the viewer watches the room
    async stream({ fileId, forUser, room, viewer, version, avoid }) {
      const row = await index.getById(fileId);
      if (!row || row.status !== 'active') throw new TroupeError('not_found', `no file ${fileId}`);
      const { node, url } = await ask<{ node: string; url: string }>('group', row.groupName, {
        type: 'place', room, viewer, version, file: { id: row.id, origin: row.origin, binlogSeq: row.binlogSeq }, ...(avoid ? { avoid } : {}),
      });
      const ticket = tickets.fileTicket('read', row.id, forUser, o.ticketTtlSeconds, row.ownerId === forUser ? undefined : `watch:${room}`);
      return { url: `${url}/files/${row.id}?ticket=${ticket}`, node, expiresAt: expiresAt(), file: row.id, contentType: row.contentType, size: row.size };
    },

    async delete({ user, id }) {
      const row = await own(user, id);
      let binlog = binlogs.get(row.groupName);
      if (!binlog) binlogs.set(row.groupName, (binlog = new Binlog(o.nc, row.groupName)));
      const { binlogSeq } = await deleteFile(index, binlog, row, origin, log);
      return { id, binlogSeq };
    },

    async list({ user, cursor, limit }) {
      const n = limit ?? DEFAULT_PAGE;
      const rows = await index.list(user, n + 1, cursor ? decodeCursor(cursor) : undefined);
      const page = rows.slice(0, n);
      return { files: page.map(fileInfo), ...(rows.length > n ? { cursor: encodeCursor(page[page.length - 1]) } : {}) };
    },

    async stat({ user, id }) {
      return { file: fileInfo(await own(user, id)) };
    },
  });
}
