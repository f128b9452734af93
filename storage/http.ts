// The storage node's HTTP API (node:http): uploads, ranged downloads and deletes with tickets, the
// peers' replication endpoint, health and metrics. Bodies stream both ways with backpressure; a
// file is never held in memory. protocol/README.md ("Storage nodes (HTTP)") documents it.
import http from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { logger, metricsText } from '../lib/mod.ts';
import { TroupeError, toWireError, isValid, ContentType, FileName, type ErrorCode, type UploadResult, type DeleteResult } from '../protocol/mod.ts';
import { parseFileId } from './layout.ts';
import type { FileStore, OpenFile } from './files.ts';
import type { Tickets, PeerAuth } from './tickets.ts';
import { storageMetrics } from './metrics.ts';
import { corsHeaders, preflight } from './cors.ts';

export interface UploadInput {
  source: Readable;
  /** On a failure, pause `source` instead of destroying it (it is the request: its socket carries the answer). */
  keepSource?: boolean;
  owner: number;
  contentType: string;
  name: string;
  /** The upload ticket's pending-upload token. */
  upload: string;
  expectedSize?: number;
  expectedSha256?: string;
}

/** What the HTTP layer needs from the node (node.ts implements it). */
export interface StorageBackend {
  readonly nodeId: string;
  readonly group: string;
  readonly maxUploadBytes: number;
  /** Origins whose pages may use /files from a browser ('*': any); see cors.ts. */
  readonly corsOrigins: readonly string[];
  readonly store: FileStore;
  readonly tickets: Tickets;
  readonly peerAuth: PeerAuth;
  upload(input: UploadInput): Promise<UploadResult>;
  remove(owner: number, fileId: string): Promise<DeleteResult>;
  health(): Record<string, unknown>;
  /** Runs one transfer, counted as active (load, graceful shutdown). */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** Counts bytes sent or received (metrics and the bytes/s in the node's KV entry). */
  countBytes(direction: 'in' | 'out', kind: string, n: number): void;
}

const log = logger('storage-http');

const statusOf: Partial<Record<ErrorCode, number>> = {
  bad_request: 400, bad_ticket: 401, ticket_expired: 401, forbidden: 403, not_found: 404,
  limit_exceeded: 413, bad_range: 416, unavailable: 503, timeout: 504,
};

// --- Ranges and validators (RFC 9110) -------------------------------------------------------------

export type RangeResult = { kind: 'full' } | { kind: 'unsatisfiable' } | { kind: 'partial'; start: number; end: number };

/**
 * One byte range of a representation of `size` bytes. Several ranges, another unit or a malformed
 * header mean "send it all" (a server may ignore Range); a range starting past the end is
 * unsatisfiable (416).
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'full' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? Infinity : Number(m[2]);
  if (last < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(last, size - 1) };
}

/** Whether an If-None-Match list matches `etag` (weak comparison, as RFC 9110 asks for it). */
export function noneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}

/** Whether If-Range lets the Range apply: a strong ETag equal to ours, or exactly our Last-Modified. */
export function ifRangeHolds(header: string, etag: string, lastModified: Date): boolean {
  const v = header.trim();
  if (v.startsWith('W/')) return false;
  if (v.startsWith('"')) return v === etag;
  const date = Date.parse(v);
  return Number.isFinite(date) && Math.floor(date / 1000) === Math.floor(lastModified.getTime() / 1000);
}

function contentDisposition(name: string): string {
  if (!name) return 'inline';
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

// --- Responses --------------------------------------------------------------------------------------

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}, headOnly = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(headOnly ? undefined : text);
}

function sendError(req: http.IncomingMessage, res: http.ServerResponse, e: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const err = toWireError(e);
  if (err.code === 'internal') log.error({ err: e, method: req.method, url: req.url?.replace(/ticket=[^&]*/, 'ticket=…') }, 'storage HTTP handler failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // a request body we did not read cannot be skipped safely: close the connection after answering
  const close = req.complete ? {} : { connection: 'close' };
  sendJson(res, statusOf[err.code] ?? 500, { error: err }, { ...close, ...headers }, req.method === 'HEAD');
}

/** One header's value (the first, if a client sent it twice). */
function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function ticketOf(req: http.IncomingMessage, url: URL): string | undefined {
  const q = url.searchParams.get('ticket');
  if (q) return q;
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/**
 * Answers GET or HEAD for an open file: validators, conditional requests, one range, the body
 * streamed from disk. Closes the file handle in every case.
 */
async function serveFile(backend: StorageBackend, req: http.IncomingMessage, res: http.ServerResponse, file: OpenFile, kind: 'download' | 'serve_peer', extra: http.OutgoingHttpHeaders = {}): Promise<void> {
  const { meta, handle, size } = file;
  let streaming = false;
  try {
    const etag = `"${meta.sha256}"`;
    const lastModified = new Date(meta.createdAt);
    const validators: http.OutgoingHttpHeaders = {
      etag,
      'last-modified': lastModified.toUTCString(),
      'cache-control': 'private',
      'accept-ranges': 'bytes',
      ...extra,
    };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const notModified = inm !== undefined
      ? noneMatch(inm, etag)
      : ims !== undefined && Number.isFinite(Date.parse(ims)) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(Date.parse(ims) / 1000);
    if (notModified) {
      res.writeHead(304, validators).end();
      return;
    }
    const ifRange = header(req, 'if-range');
    const range = ifRange !== undefined && !ifRangeHolds(ifRange, etag, lastModified) ? { kind: 'full' as const } : parseRange(req.headers.range, size);
    if (range.kind === 'unsatisfiable') {
      sendJson(res, 416, { error: { code: 'bad_range', message: `the range ${req.headers.range} does not overlap the file's ${size} bytes` } }, { ...validators, 'content-range': `bytes */${size}` }, req.method === 'HEAD');
      return;
    }
    const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, size - 1];
    const length = size === 0 ? 0 : end - start + 1;
    const headers: http.OutgoingHttpHeaders = {
      ...validators,
      'content-type': meta.contentType,
      'content-length': length,
      'content-disposition': contentDisposition(meta.name),
      'x-content-type-options': 'nosniff',
      // an uploaded text/html must not run as a page of this origin
      'content-security-policy': "default-src 'none'; sandbox",
    };
    if (range.kind === 'partial') headers['content-range'] = `bytes ${start}-${end}/${size}`;
    res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    streaming = true;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        backend.countBytes('out', kind, chunk.length);
        done(null, chunk);
      },
    });
    // the read stream owns the handle from here and closes it on end or error
    await pipeline(handle.createReadStream({ start: file.offset + start, end: file.offset + end, highWaterMark: 256 * 1024 }), meter, res);
    storageMetrics.transfers.labels(backend.nodeId, kind, 'ok').inc();
  } catch (e) {
    storageMetrics.transfers.labels(backend.nodeId, kind, 'aborted').inc();
    log.debug({ err: (e as Error).message, fileId: meta.fileId }, 'transfer ended early');
    if (!res.headersSent) throw e;
    res.destroy();
  } finally {
    if (!streaming) await handle.close().catch(() => {});
  }
}

// --- Routes -------------------------------------------------------------------------------------

async function download(backend: StorageBackend, req: http.IncomingMessage, res: http.ServerResponse, url: URL, id: string): Promise<void> {
  const parsed = parseFileId(id);
  if (!parsed) throw new TroupeError('bad_request', 'malformed file id');
  const ticket = backend.tickets.verify(ticketOf(req, url), { op: 'read', file: id });
  if (parsed.group !== backend.group) throw new TroupeError('not_found', `the file is in group ${parsed.group}; this node is in ${backend.group}`);
  const file = await backend.store.open(parsed.n, id);
  if (!file) throw new TroupeError('not_found', 'this node does not hold the file');
  // a grant means the issuer checked that this user may read another's file (a chat link)
  if (file.meta.owner !== ticket.user && !(ticket.op === 'read' && ticket.grant)) {
    await file.handle.close();
    throw new TroupeError('forbidden', 'the file belongs to another user');
  }
  await backend.track(() => serveFile(backend, req, res, file, 'download'));
}

async function servePeer(backend: StorageBackend, req: http.IncomingMessage, res: http.ServerResponse, url: URL, id: string): Promise<void> {
  backend.peerAuth.verify(req.headers.authorization, req.method!, url.pathname);
  const parsed = parseFileId(id);
  if (!parsed || parsed.group !== backend.group) throw new TroupeError('not_found', 'no such file in this group');
  const file = await backend.store.open(parsed.n, id);
  if (!file) throw new TroupeError('not_found', 'this node does not hold the file');
  await backend.track(() => serveFile(backend, req, res, file, 'serve_peer', { 'x-content-sha256': file.meta.sha256 }));
}

async function upload(backend: StorageBackend, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const ticket = backend.tickets.verify(ticketOf(req, url), { op: 'upload', group: backend.group });
  if (ticket.op !== 'upload') throw new TroupeError('forbidden', 'not an upload ticket');
  const contentType = req.headers['content-type'] ?? 'application/octet-stream';
  if (!isValid(ContentType, contentType)) throw new TroupeError('bad_request', 'Content-Type: not a media type');
  const name = url.searchParams.get('name') ?? '';
  if (!isValid(FileName, name)) throw new TroupeError('bad_request', 'name: at most 255 characters, no control characters or slashes');
  const digest = header(req, 'x-content-sha256');
  if (digest !== undefined && !/^[0-9a-fA-F]{64}$/.test(digest)) throw new TroupeError('bad_request', 'X-Content-SHA256: expected 64 hex digits');
  const lengthHeader = req.headers['content-length'];
  const chunked = /chunked/i.test(req.headers['transfer-encoding'] ?? '');
  const expectedSize = lengthHeader !== undefined ? Number(lengthHeader) : chunked ? undefined : 0;
  if (expectedSize !== undefined && expectedSize > backend.maxUploadBytes) {
    throw new TroupeError('limit_exceeded', `the file is ${expectedSize} bytes; the limit is ${backend.maxUploadBytes}`);
  }
  // checks passed: now the client may send the body
  if (/100-continue/i.test(req.headers.expect ?? '')) res.writeContinue();
  // the request itself is the source (a PassThrough between them cost a stream hop per chunk); on
  // a failure it is paused, not destroyed, so its socket carries the error (and then closes: the
  // body was not read to its end)
  const result = await backend.track(() => backend.upload({
    source: req, keepSource: true, owner: ticket.user, contentType, name, upload: ticket.upload, expectedSize, expectedSha256: digest?.toLowerCase(),
  })).catch((e: unknown) => {
    // a request that ended early (the client went away, the connection reset) is the client's doing
    if (!req.complete && req.destroyed && !(e instanceof TroupeError)) throw new TroupeError('bad_request', 'the client went away during the upload');
    throw e;
  });
  sendJson(res, 201, result, { location: `/files/${result.fileId}` });
}

async function remove(backend: StorageBackend, req: http.IncomingMessage, res: http.ServerResponse, url: URL, id: string): Promise<void> {
  const parsed = parseFileId(id);
  if (!parsed) throw new TroupeError('bad_request', 'malformed file id');
  const ticket = backend.tickets.verify(ticketOf(req, url), { op: 'delete', file: id });
  if (parsed.group !== backend.group) throw new TroupeError('not_found', `the file is in group ${parsed.group}; this node is in ${backend.group}`);
  sendJson(res, 200, await backend.remove(ticket.user, id));
}

function methodNotAllowed(allow: string): TroupeError & { allow?: string } {
  const e = new TroupeError('bad_request', `use ${allow}`) as TroupeError & { allow?: string };
  e.allow = allow;
  return e;
}

/** The request handler of a storage node. */
export function storageHandler(backend: StorageBackend): http.RequestListener {
  return (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://storage');
    } catch {
      sendJson(res, 400, { error: { code: 'bad_request', message: 'bad URL' } });
      return;
    }
    const method = req.method ?? 'GET';
    const read = method === 'GET' || method === 'HEAD';
    const p = url.pathname;
    let work: Promise<void>;
    let m: RegExpExecArray | null;
    const filesApi = p === '/files' || /^\/files\/[^/]+$/.test(p);
    if (filesApi) {
      const origin = header(req, 'origin');
      if (method === 'OPTIONS') {
        const answer = preflight(origin, header(req, 'access-control-request-method'), header(req, 'access-control-request-headers'), backend.corsOrigins);
        if (answer.ok) res.writeHead(204, { ...answer.headers, 'content-length': 0 }).end();
        else sendJson(res, 403, { error: { code: 'forbidden', message: answer.message } });
        return;
      }
      for (const [k, v] of Object.entries(corsHeaders(origin, backend.corsOrigins))) res.setHeader(k, v);
    }
    if (p === '/files') {
      work = method === 'PUT' || method === 'POST' ? upload(backend, req, res, url) : Promise.reject(methodNotAllowed('PUT, POST'));
    } else if ((m = /^\/files\/([^/]+)$/.exec(p))) {
      const id = m[1];
      work = read ? download(backend, req, res, url, id) : method === 'DELETE' ? remove(backend, req, res, url, id) : Promise.reject(methodNotAllowed('GET, HEAD, DELETE'));
    } else if ((m = /^\/internal\/files\/([^/]+)$/.exec(p))) {
      const id = m[1];
      work = read ? servePeer(backend, req, res, url, id) : Promise.reject(methodNotAllowed('GET, HEAD'));
    } else if (p === '/healthz' && read) {
      sendJson(res, 200, backend.health(), {}, method === 'HEAD');
      return;
    } else if (p === '/metrics' && read) {
      work = metricsText().then(({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType }).end(method === 'HEAD' ? undefined : body);
      });
    } else {
      sendJson(res, 404, { error: { code: 'not_found', message: `no route ${p}` } }, {}, method === 'HEAD');
      return;
    }
    work.catch((e) => {
      const allow = (e as { allow?: string }).allow;
      if (allow) {
        sendJson(res, 405, { error: { code: 'bad_request', message: `use ${allow}` } }, { allow, ...(req.complete ? {} : { connection: 'close' }) });
        return;
      }
      sendError(req, res, e);
    });
  };
}

/** An HTTP server for the backend: no overall request deadline (uploads may be large), idle sockets time out. */
export function createStorageServer(backend: StorageBackend): http.Server {
  const handler = storageHandler(backend);
  const server = http.createServer({ requestTimeout: 0, headersTimeout: 30_000 }, handler);
  server.setTimeout(120_000);
  // answered by the upload route once the ticket and size are checked
  server.on('checkContinue', handler);
  return server;
}

