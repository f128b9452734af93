// Storage: file ids, file tickets, storage-group binlog records, the KV entry of a storage node and
// the HTTP API of storage nodes. storage/ implements them; docs.ts renders them.
import { T, Obj, message, Id, type Static } from './schema.ts';

/** Group names become part of file ids, subjects and KV entries: a conservative alphabet. */
export const GROUP_NAME_PATTERN = '^[A-Za-z0-9_]{1,32}$';
/**
 * `<group>-<n>-<r>`: the group, the numeric id in base 36 (canonical: no leading zeros) and 12
 * random characters of the base-32 alphabet a-z2-7 (60 bits, so ids cannot be guessed).
 */
export const FILE_ID_PATTERN = '^([A-Za-z0-9_]{1,32})-([1-9a-z][0-9a-z]{0,10})-([a-z2-7]{12})$';
export const NODE_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

export const GroupName = T.String({ pattern: GROUP_NAME_PATTERN, description: 'storage group: 1-32 letters, digits, _' });
export const FileId = T.String({ pattern: FILE_ID_PATTERN, maxLength: 57, description: 'file id `<group>-<n base 36>-<12 random chars a-z2-7>`' });
export const StorageNodeId = T.String({ pattern: NODE_ID_PATTERN, description: 'storage node id (stable: kept in its data dir)' });
export const Sha256Hex = T.String({ pattern: '^[0-9a-f]{64}$', description: 'sha-256 of the bytes, lowercase hex' });
export const ContentType = T.String({
  maxLength: 255,
  pattern: '^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+( *;[ -~]*)?$',
  description: 'media type as uploaded (Content-Type), printable ASCII',
});
export const FileName = T.String({ maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f/\\\\]*$', description: 'display name given at upload (no control characters, no slashes)' });
const Size = T.Integer({ minimum: 0, description: 'bytes' });
const UnixSeconds = T.Integer({ minimum: 0, description: 'expiry, seconds since the epoch' });

// --- Tickets -----------------------------------------------------------------------------------

export const FileTicket = Obj({
  op: T.Union([T.Literal('read'), T.Literal('delete')], { description: 'what the ticket allows' }),
  file: FileId,
  user: Id,
  exp: UnixSeconds,
  grant: T.Optional(T.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_:.-]+$', description: 'read only: why `user` may read another user\'s file (e.g. `room:42`), checked by the issuer (svc.files.link); without it only the owner may use the ticket' })),
}, 'read or delete one file as one user');

export const UploadTicket = Obj({
  op: T.Literal('upload'),
  group: GroupName,
  upload: T.String({ pattern: '^[A-Za-z0-9_-]{8,64}$', description: 'pending-upload token chosen by the issuer; echoed in the upload result' }),
  user: Id,
  exp: UnixSeconds,
}, 'upload files into one group as one user');

export const TicketPayload = T.Union([FileTicket, UploadTicket]);
export type TicketPayload = Static<typeof TicketPayload>;
export type TicketOp = TicketPayload['op'];

// --- HTTP results --------------------------------------------------------------------------------

export const UploadResult = Obj({
  fileId: FileId,
  group: GroupName,
  size: Size,
  sha256: Sha256Hex,
  contentType: ContentType,
  name: FileName,
  createdAt: T.String({ description: 'ISO 8601' }),
  binlogSeq: T.Integer({ minimum: 1, description: 'sequence of the create record in stream STORAGE' }),
  upload: T.String({ description: 'the upload ticket\'s pending-upload token' }),
}, 'the stored file');
export type UploadResult = Static<typeof UploadResult>;

export const DeleteResult = Obj({
  fileId: FileId,
  binlogSeq: T.Integer({ minimum: 1, description: 'sequence of the delete record in stream STORAGE' }),
}, 'the deleted file');
export type DeleteResult = Static<typeof DeleteResult>;

// --- Binlog records ------------------------------------------------------------------------------

export const BinlogCreate = Obj({
  op: T.Literal('create'),
  fileId: FileId,
  group: GroupName,
  owner: Id,
  size: Size,
  sha256: Sha256Hex,
  contentType: ContentType,
  name: FileName,
  createdAt: T.String({ description: 'ISO 8601; served as Last-Modified' }),
  origin: StorageNodeId,
}, 'a file was stored on `origin`; peers fetch it from a node that holds it');
export type BinlogCreate = Static<typeof BinlogCreate>;

export const BinlogDelete = Obj({
  op: T.Literal('delete'),
  fileId: FileId,
  group: GroupName,
  owner: Id,
  origin: StorageNodeId,
  deletedAt: T.String({ description: 'ISO 8601' }),
}, 'a file was deleted; every node removes its bytes');
export type BinlogDelete = Static<typeof BinlogDelete>;

/** Uploads one node makes durable together (storage/upload-commits.ts) share one record, at most this many. */
export const MAX_CREATES_PER_RECORD = 256;

export const BinlogCreates = Obj({
  op: T.Literal('creates'),
  group: GroupName,
  origin: StorageNodeId,
  files: T.Array(BinlogCreate, { minItems: 1, maxItems: MAX_CREATES_PER_RECORD, description: 'create records, each with this record\'s `group` and `origin`' }),
}, 'files stored on `origin` and made durable together; each file\'s binlogSeq is this record\'s sequence');
export type BinlogCreates = Static<typeof BinlogCreates>;

export const BinlogRecord = T.Union([BinlogCreate, BinlogCreates, BinlogDelete]);
export type BinlogRecord = Static<typeof BinlogRecord>;

export const storageMessages = {
  'storage.log.create': message({
    subject: 'storage.<group>.log',
    summary: 'Binlog record `create`, published by the node that stored an upload (`Nats-Msg-Id: create:<fileId>`). The record\'s stream sequence is the file\'s `binlogSeq`.',
    body: BinlogCreate,
  }),
  'storage.log.creates': message({
    subject: 'storage.<group>.log',
    summary: 'Binlog record `creates`: the files one node stored and made durable together (one group commit), in one message (`Nats-Msg-Id: creates:<first fileId>`); each file\'s `binlogSeq` is the record\'s stream sequence. A group of one is published as `create`.',
    body: BinlogCreates,
  }),
  'storage.log.delete': message({
    subject: 'storage.<group>.log',
    summary: 'Binlog record `delete`, published by the node that handled a delete (`Nats-Msg-Id: delete:<fileId>`).',
    body: BinlogDelete,
  }),
};

// --- The storage node's entry in KV `nodes` -------------------------------------------------------

export const StorageNodeState = T.Union([T.Literal('joining'), T.Literal('syncing'), T.Literal('active')], {
  description: 'joining: starting; syncing: copying the binlog backlog; active: caught up once (offline is the group actor\'s verdict on missed heartbeats, never self-reported)',
});
export type StorageNodeState = Static<typeof StorageNodeState>;

export const StorageNodeInfo = Obj({
  id: StorageNodeId,
  role: T.Literal('storage'),
  group: GroupName,
  url: T.String({ description: 'base URL of the node\'s HTTP API' }),
  state: StorageNodeState,
  appliedSeq: T.Integer({ minimum: 0, description: 'last binlog record (STORAGE stream sequence) applied in order; the node holds every live file with binlogSeq <= appliedSeq' }),
  lagRecords: T.Integer({ minimum: 0, description: 'binlog records of the group not yet applied' }),
  load: T.Number({ description: 'active transfers (lower is less loaded)' }),
  activeTransfers: T.Integer({ minimum: 0 }),
  bytesInPerSecond: T.Number({ description: 'upload and replication bytes received per second, since the last beat' }),
  bytesOutPerSecond: T.Number({ description: 'download and replication bytes sent per second, since the last beat' }),
  freeBytes: T.Integer({ minimum: 0, description: 'free disk under the data dir (fs.statfs)' }),
  totalBytes: T.Integer({ minimum: 0 }),
  startedAt: T.Integer({ description: 'ms since the epoch' }),
  updatedAt: T.Integer({ description: 'ms since the epoch; entries older than 15 s are ignored' }),
}, 'KV `nodes` key `storage.<id>`');
export type StorageNodeInfo = Static<typeof StorageNodeInfo>;

// --- The HTTP API, as documented ------------------------------------------------------------------

export interface StorageRoute {
  method: string;
  path: string;
  auth: string;
  summary: string;
  responses: string;
}

export const storageRoutes: readonly StorageRoute[] = [
  {
    method: 'PUT, POST', path: '/files', auth: 'upload ticket',
    summary: 'Upload one file: the request body is the raw bytes (streamed; any size up to `max_upload_bytes`). `Content-Type` is stored and served back; `?name=` sets the display name; an optional `X-Content-SHA256: <hex>` is checked. `Expect: 100-continue` is answered after the ticket and length are checked.',
    responses: '201 upload result; 400 `bad_request` (digest mismatch, bad name or type); 401 `bad_ticket`, `ticket_expired`; 403 `forbidden` (ticket for another group or op); 413 `limit_exceeded`; 503 `unavailable` (binlog or id database down; nothing is kept)',
  },
  {
    method: 'GET, HEAD', path: '/files/<fileId>', auth: 'read ticket (the file\'s owner, or a ticket with a `grant`)',
    summary: 'The bytes. Single ranges `Range: bytes=a-b`, `a-`, `-n`; `If-Range` (ETag or date); `If-None-Match` / `If-Modified-Since` give 304. Several ranges, another unit or a malformed header: the whole file (200). Headers: `Accept-Ranges: bytes`, `ETag: "<sha-256 hex>"` (strong), `Last-Modified`, the uploaded `Content-Type`, `Content-Disposition: inline` with the name, `Cache-Control: private`, `X-Content-Type-Options: nosniff`, `Content-Security-Policy: default-src \'none\'; sandbox` (an uploaded page cannot run as this origin).',
    responses: '200; 206 with `Content-Range: bytes a-b/size`; 304; 401; 403 `forbidden` (not the owner, wrong op or file); 404 `not_found` (not on this node: ask for a node that holds it); 416 `bad_range` with `Content-Range: bytes */size`',
  },
  {
    method: 'DELETE', path: '/files/<fileId>', auth: 'delete ticket (the file\'s owner)',
    summary: 'Marks the row deleted, appends a `delete` record to the binlog and removes the bytes here; every other node of the group removes them when it applies the record. Any node of the file\'s group may take it.',
    responses: '200 `{ fileId, binlogSeq }`; 401; 403; 404 `not_found` (no such live file of this user); 503',
  },
  {
    method: 'OPTIONS', path: '/files, /files/<fileId>', auth: 'none (CORS preflight)',
    summary: 'A browser\'s preflight before a cross-origin upload or read (the web client is served by a gateway, another origin). Allowed when `Origin` is allowed by `--cors-origins` (default `*`: a ticket is the only credential, and browsers send no cookies to a `*` answer), `Access-Control-Request-Method` is one of GET, HEAD, PUT, POST, DELETE and every `Access-Control-Request-Headers` entry is one of `authorization`, `content-type`, `if-none-match`, `if-range`, `range`, `x-content-sha256`. `/files` answers to an allowed `Origin` also carry `Access-Control-Allow-Origin` and expose `Accept-Ranges`, `Content-Length`, `Content-Range`, `ETag`, `Location`. `/internal/`, `/healthz` and `/metrics` have no CORS.',
    responses: '204 with `Access-Control-Allow-Origin`, `-Methods`, `-Headers`, `-Max-Age: 600`; 403 `forbidden` naming what is not allowed (origin, method or header), or when it is no preflight',
  },
  {
    method: 'GET, HEAD', path: '/internal/files/<fileId>', auth: 'peer signature',
    summary: 'Replication fetch between nodes of one group: the bytes (ranges as above) with `X-Content-SHA256`, no owner check.',
    responses: '200, 206; 401 `bad_ticket` (bad or stale signature); 404 `not_found`',
  },
  { method: 'GET', path: '/healthz', auth: 'none', summary: 'Node id, group, state, applied binlog seq.', responses: '200' },
  { method: 'GET', path: '/metrics', auth: 'none', summary: 'Prometheus text format (bytes in and out, transfers, replication lag).', responses: '200' },
];
