// The admin HTTP API of gateways (TeamTalk's http_msg_server): system messages, rooms, who is
// online. Bearer-token protected (TROUPE_ADMIN_TOKEN; unset: the API is off).
import { T, Obj, message, Id, UserRef } from './schema.ts';
import { RoomId, RoomSummary, Body } from './chat.ts';
import { FileId } from './storage.ts';

export const AdminMessage = Obj({
  to: T.Optional(Id),
  room: T.Optional(RoomId),
  body: Body,
  clientMsgId: T.Optional(T.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'makes a retried POST idempotent' })),
}, 'a system message: to one user (their system conversation) or to a room');

export const AdminRoom = Obj({
  name: T.String({ minLength: 1, maxLength: 80 }),
  owner: Id,
  members: T.Optional(T.Array(Id, { maxItems: 500 })),
  description: T.Optional(T.String({ maxLength: 1000 })),
  open: T.Optional(T.Boolean()),
});

export const AdminLibraryItem = Obj({
  file: FileId,
  title: T.String({ minLength: 1, maxLength: 200 }),
  durationMs: T.Optional(T.Integer({ minimum: 0, maximum: 1e9, description: 'length in ms (`troupe library publish --duration` reads it with ffprobe from a local copy)' })),
  by: T.Optional(Id),
}, 'a stored file to publish in the movie library (who added it: `by`, else the file\'s owner)');

export const OnlineUser = Obj({ user: UserRef, devices: T.Array(T.String()), since: T.Integer({ description: 'earliest current connection, ms since the epoch' }) });

export interface AdminRoute {
  method: string;
  path: string;
  summary: string;
  body?: string;
  responses: string;
}

export const adminRoutes: readonly AdminRoute[] = [
  {
    method: 'POST', path: '/api/admin/messages', body: 'AdminMessage',
    summary: 'Send a system message (sender 0) to a user (into their system conversation `d0-<uid>`, read-only for them) or to a room. Give exactly one of `to` and `room`.',
    responses: '200 `{ room, seq, at }`; 400 `bad_request`; 404 `not_found` (no such user or room)',
  },
  { method: 'POST', path: '/api/admin/rooms', body: 'AdminRoom', summary: 'Create a group room owned by `owner`, with `members`.', responses: '200 `{ room }`; 400; 404 (unknown users)' },
  { method: 'GET', path: '/api/admin/online?limit=N&after=UID', summary: 'Online users with their device types, by user id (page with `after` = the last id).', responses: '200 `{ users: [{ user, devices, since }], next? }`' },
  {
    method: 'POST', path: '/api/admin/library', body: 'AdminLibraryItem',
    summary: 'Publish a stored file in the public movie library (again: update its title and length). Every user can then browse it (`library.list`) and any room can watch it.',
    responses: '200 `{ item }` (a `LibraryItem`); 400; 404 `not_found` (no such live file, or no such user `by`)',
  },
  { method: 'DELETE', path: '/api/admin/library/<fileId>', summary: 'Take a file out of the library (the file itself stays).', responses: '200 `{ removed }`' },
  { method: 'GET', path: '/api/admin/library?query=Q&cursor=C&limit=N', summary: 'The library by title, as `library.list` answers it.', responses: '200 `{ items, cursor? }`' },
];

export const adminMessages = {
  'svc.presence.online': message({
    subject: 'svc.presence.online',
    summary: 'Users with at least one live connection, by id.',
    body: Obj({ after: T.Integer({ minimum: 0 }), limit: T.Integer({ minimum: 1, maximum: 1000 }) }),
    reply: Obj({ users: T.Array(OnlineUser) }),
  }),
};

export { RoomSummary };
