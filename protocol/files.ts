// Files: the client ops (`files.*`, `storage.groups`) and the svc.files.* service behind them.
// The host's files service routes a user to a group (storage_routes, the seed's t_router), asks the
// group actor for nodes, and signs short-lived tickets; the bytes never pass through a gateway or
// host: clients send them to the storage node named in the answer.
import { T, Obj, op, message, Id, Empty, type Static } from './schema.ts';
import { FileId, FileName, ContentType, GroupName, Sha256Hex } from './storage.ts';
import { GroupSummary } from './groups.ts';

export const FileInfo = Obj({
  id: FileId,
  group: GroupName,
  size: T.Integer({ minimum: 0, description: 'bytes' }),
  sha256: Sha256Hex,
  contentType: ContentType,
  name: FileName,
  createdAt: T.String({ description: 'ISO 8601' }),
}, 'a stored file');
export type FileInfo = Static<typeof FileInfo>;

const Ticket = T.String({ description: 'the signed ticket (also in each URL\'s query); send it as `?ticket=` or `Authorization: Bearer`' });
const ExpiresAt = T.String({ description: 'ISO 8601 expiry of the ticket' });

export const UploadGrant = Obj({
  url: T.String({ description: '`PUT` (or `POST`) the bytes here: `<node>/files?ticket=…`; add `&name=` for the display name' }),
  urls: T.Array(T.String(), { minItems: 1, description: 'the same for every active node of the group, least-loaded first (`url` is the first); the ticket is good on any of them' }),
  ticket: Ticket,
  expiresAt: ExpiresAt,
  group: GroupName,
}, 'where and how to upload');
export type UploadGrant = Static<typeof UploadGrant>;

export const ReadGrant = Obj({
  file: FileInfo,
  urls: T.Array(T.String(), { minItems: 1, description: '`GET` (ranges allowed) from any of these: `<node>/files/<id>?ticket=…`, active nodes that hold the file, least-loaded first' }),
  ticket: Ticket,
  expiresAt: ExpiresAt,
}, 'where and how to read a file');
export type ReadGrant = Static<typeof ReadGrant>;

const ListRequest = {
  cursor: T.Optional(T.String({ maxLength: 200, description: 'from the previous page\'s answer' })),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 200, description: 'files per page (default 50)' })),
};
const ListResponse = Obj({
  files: T.Array(FileInfo, { description: 'newest first' }),
  cursor: T.Optional(T.String({ description: 'pass it to get the next page; absent on the last page' })),
});
const DeleteResponse = Obj({ id: FileId, binlogSeq: T.Integer({ minimum: 1, description: 'sequence of the delete record in stream STORAGE' }) });
const UploadRequest = {
  size: T.Optional(T.Integer({ minimum: 0, description: 'bytes about to be uploaded: a node (and, for a new user, a group) with room for them' })),
};

export const fileOps = {
  'files.upload': op({
    summary: 'A ticket to upload files into the user\'s storage group (assigned on first use: the group with the most free space) and the least-loaded active node to send them to.',
    auth: true,
    request: Obj(UploadRequest),
    response: UploadGrant,
    errors: ['limit_exceeded', 'unavailable'],
    notes: '`limit_exceeded`: no active node of the group has `size` bytes free. A node refuses files above its `max_upload_bytes` (413). Upload with `curl -T file "<url>&name=file"`; the node answers 201 with the stored file (see [Storage nodes](#storage-nodes-http)). One ticket serves any number of uploads until it expires.',
  }),
  'files.download': op({
    summary: 'Signed URLs to read one of the user\'s files from the nodes that hold it.',
    auth: true,
    request: Obj({ id: FileId }),
    response: ReadGrant,
    errors: ['not_found', 'unavailable'],
    notes: 'Only the owner may read for now; other users get `not_found`. Nodes serve single ranges, so a download can resume or seek.',
  }),
  'files.delete': op({
    summary: 'Delete one of the user\'s files: its row at once, its bytes on every node of the group as they apply the delete record.',
    auth: true,
    request: Obj({ id: FileId }),
    response: DeleteResponse,
    errors: ['not_found', 'unavailable'],
  }),
  'files.list': op({
    summary: 'The user\'s files, newest first, a page at a time.',
    auth: true,
    request: Obj(ListRequest),
    response: ListResponse,
    errors: ['bad_request'],
  }),
  'files.stat': op({
    summary: 'One of the user\'s files: size, sha-256, type, name (the seed\'s filesize).',
    auth: true,
    request: Obj({ id: FileId }),
    response: Obj({ file: FileInfo }),
    errors: ['not_found'],
  }),
  'storage.groups': op({
    summary: 'The storage groups with their nodes, states and free space, as the tracker knows them.',
    auth: true,
    request: Empty,
    response: Obj({ groups: T.Array(GroupSummary) }),
    errors: ['unavailable'],
  }),
};

const User = Id;

export const fileMessages = {
  'svc.files.upload': message({
    subject: 'svc.files.upload',
    summary: 'files.upload for `user`: the route (storage_routes, else the tracker picks a group and the first writer wins), the group actor\'s upload targets, an upload ticket.',
    body: Obj({ user: User, ...UploadRequest }),
    reply: UploadGrant,
  }),
  'svc.files.download': message({
    subject: 'svc.files.download',
    summary: 'files.download for `user` (the owner): the file\'s row, the group actor\'s read targets (the holder rule), a read ticket.',
    body: Obj({ user: User, id: FileId }),
    reply: ReadGrant,
  }),
  'svc.files.link': message({
    subject: 'svc.files.link',
    summary: 'A read grant for `forUser` on any live file, for callers that have checked that `forUser` may read it (chat: a member of the room where a message references the file). `grant` names that check (e.g. `room:42`); it is carried in the ticket, and a storage node lets a non-owner read only with it.',
    body: Obj({ fileId: FileId, forUser: User, grant: T.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_:.-]+$', description: 'why forUser may read, e.g. `room:42`' }) }),
    reply: ReadGrant,
  }),
  'svc.files.delete': message({
    subject: 'svc.files.delete',
    summary: 'files.delete for `user` (the owner): marks the row deleted and appends a `delete` record to the group\'s binlog; every node removes the bytes when it applies it (also nodes that are down now, when they return).',
    body: Obj({ user: User, id: FileId }),
    reply: DeleteResponse,
  }),
  'svc.files.list': message({
    subject: 'svc.files.list',
    summary: 'files.list for `user` (the owner\'s partition of storage_files).',
    body: Obj({ user: User, ...ListRequest }),
    reply: ListResponse,
  }),
  'svc.files.stat': message({
    subject: 'svc.files.stat',
    summary: 'files.stat for `user` (the owner).',
    body: Obj({ user: User, id: FileId }),
    reply: Obj({ file: FileInfo }),
  }),
};
