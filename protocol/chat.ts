// Chat: friends, rooms (groups and direct conversations), messages, history, offline delivery and
// read state. Client ops and pushes, the room and user actors' messages, and svc.chat.*.
import { T, Obj, op, push, message, Id, UserRef, RoomId } from './schema.ts';
import { FileId } from './storage.ts';
import { FileInfo } from './files.ts';

/** A group room id (`g` + 12 base32 characters) or a direct room id (`d<smaller uid>-<larger uid>`). */
export { RoomId };
export const Seq = T.Integer({ minimum: 0, description: 'a position in a room\'s message sequence (1, 2, 3…)' });
export const Body = T.String({ minLength: 1, maxLength: 8000, description: 'message text' });
export const ClientMsgId = T.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'chosen by the sender; a resend with the same id never makes a second message' });
const RoomName = T.String({ minLength: 1, maxLength: 80 });
const Description = T.String({ maxLength: 1000 });
const Role = T.Union([T.Literal('owner'), T.Literal('admin'), T.Literal('member')]);
const FileRef = FileId;
const FriendStatus = T.Union([T.Literal('friend'), T.Literal('outgoing'), T.Literal('incoming'), T.Literal('blocked'), T.Literal('none')], { description: 'friend; outgoing/incoming request; blocked (by you); none' });
const Origin = T.Optional(T.String({ maxLength: 200, description: 'the sending connection (`<gateway instance>/<id>`), which does not get its own push' }));

/** One entry of a room's sequence: a text message, a system event, an edit or a recall. */
export const Entry = Obj({
  room: RoomId,
  seq: Seq,
  kind: T.Union([T.Literal('text'), T.Literal('system'), T.Literal('edit'), T.Literal('recall')]),
  from: T.Integer({ minimum: 0, description: 'sender; 0 for the system' }),
  body: T.String(),
  at: T.Integer({ description: 'ms since the epoch' }),
  clientMsgId: T.Optional(T.String()),
  ref: T.Optional(T.Integer({ description: 'the seq an edit or recall applies to' })),
  file: T.Optional(T.String()),
  fileUrl: T.Optional(T.String({ description: 'signed, short-lived URL of the file, for members (history and sync)' })),
  data: T.Optional(T.Record(T.String(), T.Unknown(), { description: 'system event details: { event, user?, by?, name? }' })),
  edited: T.Optional(T.Boolean()),
  recalled: T.Optional(T.Boolean()),
}, 'a room entry');

export const RoomSummary = Obj({
  id: RoomId,
  kind: T.Union([T.Literal('group'), T.Literal('direct')]),
  name: T.String(),
  description: T.String(),
  open: T.Boolean(),
  owner: T.Union([T.Integer(), T.Null()]),
  members: T.Integer({ description: 'member count' }),
  role: T.Optional(Role),
  peer: T.Optional(UserRef),
}, 'a room');

export const Conversation = Obj({
  room: RoomSummary,
  lastSeq: Seq,
  lastAt: T.Union([T.Integer(), T.Null()]),
  lastFrom: T.Union([T.Integer(), T.Null()]),
  lastPreview: T.String(),
  readSeq: Seq,
  unread: T.Integer({ minimum: 0, description: 'text messages from others after your read cursor' }),
}, 'a conversation in the recent list');

const Member = Obj({ user: UserRef, role: Role, online: T.Boolean(), readSeq: Seq });
const FriendEntry = Obj({ user: UserRef, status: FriendStatus, online: T.Boolean(), devices: T.Array(T.String()) });

export const chatOps = {
  'users.find': op({
    summary: 'Find users whose name starts with the query (case-insensitive).',
    auth: true,
    request: Obj({ query: T.String({ minLength: 1, maxLength: 32 }), limit: T.Optional(T.Integer({ minimum: 1, maximum: 50 })) }),
    response: Obj({ users: T.Array(UserRef) }),
    errors: [],
  }),
  'users.get': op({
    summary: 'Users by id, to name the senders of entries (which carry ids only). Unknown ids are left out.',
    auth: true,
    request: Obj({ ids: T.Array(Id, { minItems: 1, maxItems: 100 }) }),
    response: Obj({ users: T.Array(UserRef) }),
    errors: [],
  }),
  'friends.list': op({
    summary: 'Your friends, pending requests (both ways) and blocked users, with online state.',
    auth: true, request: Obj({}), response: Obj({ friends: T.Array(FriendEntry) }), errors: [],
  }),
  'friends.request': op({
    summary: 'Ask a user to be friends (accepting theirs if they asked you first).',
    auth: true, request: Obj({ user: Id }), response: Obj({ status: FriendStatus }), errors: ['not_found', 'conflict', 'forbidden', 'bad_request'],
  }),
  'friends.accept': op({ summary: 'Accept a friend request.', auth: true, request: Obj({ user: Id }), response: Obj({}), errors: ['conflict'] }),
  'friends.decline': op({ summary: 'Decline a friend request (or withdraw yours).', auth: true, request: Obj({ user: Id }), response: Obj({}), errors: ['conflict'] }),
  'friends.remove': op({ summary: 'End a friendship.', auth: true, request: Obj({ user: Id }), response: Obj({}), errors: ['conflict'] }),
  'friends.block': op({
    summary: 'Block a user: no friendship, no direct messages either way, no requests from them.',
    auth: true, request: Obj({ user: Id }), response: Obj({}), errors: ['not_found', 'bad_request'],
  }),
  'friends.unblock': op({ summary: 'Lift a block.', auth: true, request: Obj({ user: Id }), response: Obj({}), errors: ['conflict'] }),

  'rooms.create': op({
    summary: 'Create a group room; you are its owner. Invited users become members at once.',
    auth: true,
    request: Obj({ name: RoomName, description: T.Optional(Description), open: T.Optional(T.Boolean({ description: 'anyone may join (default false: invitation only)' })), members: T.Optional(T.Array(Id, { maxItems: 500 })) }),
    response: Obj({ room: RoomSummary }),
    errors: ['bad_request', 'not_found', 'limit_exceeded'],
  }),
  'rooms.join': op({ summary: 'Join an open room.', auth: true, request: Obj({ room: RoomId }), response: Obj({ room: RoomSummary }), errors: ['not_found', 'forbidden', 'limit_exceeded'] }),
  'rooms.invite': op({ summary: 'Add a user to a room (owner and admins).', auth: true, request: Obj({ room: RoomId, user: Id }), response: Obj({}), errors: ['forbidden', 'not_found', 'conflict', 'limit_exceeded'] }),
  'rooms.leave': op({ summary: 'Leave a room (an owner who leaves hands the room to the longest-standing admin or member).', auth: true, request: Obj({ room: RoomId }), response: Obj({}), errors: ['forbidden'] }),
  'rooms.kick': op({ summary: 'Remove a member (owner: anyone; admins: members only).', auth: true, request: Obj({ room: RoomId, user: Id }), response: Obj({}), errors: ['forbidden', 'not_found'] }),
  'rooms.update': op({
    summary: 'Rename a room, change its description or whether it is open (owner and admins).',
    auth: true, request: Obj({ room: RoomId, name: T.Optional(RoomName), description: T.Optional(Description), open: T.Optional(T.Boolean()) }), response: Obj({}), errors: ['forbidden', 'bad_request'],
  }),
  'rooms.role': op({ summary: 'Make a member an admin or a plain member (owner only).', auth: true, request: Obj({ room: RoomId, user: Id, role: T.Union([T.Literal('admin'), T.Literal('member')]) }), response: Obj({}), errors: ['forbidden', 'not_found'] }),
  'rooms.members': op({ summary: 'Members of a room you belong to, with roles, online state and read cursors.', auth: true, request: Obj({ room: RoomId }), response: Obj({ members: T.Array(Member) }), errors: ['forbidden'] }),
  'rooms.list': op({
    summary: 'Your rooms as recent conversations: last activity first, with the last message and unread count.',
    auth: true, request: Obj({ limit: T.Optional(T.Integer({ minimum: 1, maximum: 500 })) }), response: Obj({ conversations: T.Array(Conversation) }), errors: [],
  }),
  'rooms.discover': op({ summary: 'Open rooms you can join, by name prefix.', auth: true, request: Obj({ query: T.Optional(T.String({ maxLength: 80 })), limit: T.Optional(T.Integer({ minimum: 1, maximum: 100 })) }), response: Obj({ rooms: T.Array(RoomSummary) }), errors: [] }),

  'chat.send': op({
    summary: 'Send a message to a room, or to a user (the direct conversation is created on the first message).',
    auth: true,
    request: Obj({ room: T.Optional(RoomId), to: T.Optional(Id), clientMsgId: ClientMsgId, body: Body, file: T.Optional(FileRef) }),
    response: Obj({ room: RoomId, seq: Seq, at: T.Integer() }),
    errors: ['forbidden', 'not_found', 'bad_request'],
    notes: 'Give exactly one of `room` and `to`. Resending with the same `clientMsgId` answers with the original `seq` and sends nothing twice. `file` must be one of your uploads (files.upload); members then read it through `chat.file` (history and sync entries carry a `fileUrl`).',
  }),
  'chat.edit': op({ summary: 'Edit your own text message; the edit is a new entry (kind `edit`) in the room\'s sequence. `conflict`: the message was recalled, or is not a text message.', auth: true, request: Obj({ room: RoomId, seq: Seq, body: Body }), response: Obj({ seq: Seq }), errors: ['forbidden', 'not_found', 'conflict'] }),
  'chat.recall': op({ summary: 'Recall (delete) your own text message; a `recall` entry tells everyone. `conflict`: it was recalled already, or is not a text message.', auth: true, request: Obj({ room: RoomId, seq: Seq }), response: Obj({ seq: Seq }), errors: ['forbidden', 'not_found', 'conflict'] }),
  'chat.file': op({
    summary: 'A signed, short-lived URL of the file an entry references (members only).',
    auth: true,
    request: Obj({ room: RoomId, seq: Seq }),
    response: Obj({ url: T.String(), urls: T.Array(T.String()), expiresAt: T.String(), file: FileInfo }),
    errors: ['forbidden', 'not_found'],
    notes: '`file` says what it is (name, size, content type), so a client can show an image or a video player before fetching it.',
  }),
  'chat.typing': op({ summary: 'Tell the room you are typing (ephemeral, not stored).', auth: true, request: Obj({ room: RoomId }), response: Obj({}), errors: ['forbidden'] }),
  'chat.history': op({
    summary: 'Page backwards through a room: entries before `before` (default: the newest), newest last.',
    auth: true,
    request: Obj({ room: RoomId, before: T.Optional(Seq), limit: T.Optional(T.Integer({ minimum: 1, maximum: 200 })) }),
    response: Obj({ messages: T.Array(Entry), more: T.Boolean({ description: 'older entries exist: ask again with before = the first seq returned' }) }),
    errors: ['forbidden'],
  }),
  'chat.sync': op({
    summary: 'What you have not seen, per room, in order: after your cursors (`rooms`: room -> last seq you have), or after your delivered cursor for rooms you do not name.',
    auth: true,
    request: Obj({ rooms: T.Optional(T.Record(T.String(), Seq)), limit: T.Optional(T.Integer({ minimum: 1, maximum: 500 })) }),
    response: Obj({ rooms: T.Array(Obj({ room: RoomId, messages: T.Array(Entry), more: T.Boolean() })) }),
    errors: [],
    notes: 'The client library calls this after every (re)connect with its cursors and then confirms with `chat.delivered`.',
  }),
  'chat.delivered': op({ summary: 'Confirm delivery up to seq (moves your delivered cursor; offline delivery starts after it).', auth: true, request: Obj({ room: RoomId, seq: Seq }), response: Obj({}), errors: ['forbidden'] }),
  'chat.read': op({
    summary: 'Mark a room read up to seq: your other devices and the senders get a read receipt.',
    auth: true, request: Obj({ room: RoomId, seq: Seq }), response: Obj({ readSeq: Seq, unread: T.Integer() }), errors: ['forbidden'],
  }),
};

export const chatPushes = {
  'chat.message': push({ summary: 'A new entry in one of your rooms (sent to every device of every member but the sending connection).', body: Entry }),
  'chat.read': push({ summary: 'A read receipt: `user` has read `room` up to `seq` (to the senders of what was read, and to the reader\'s other devices).', body: Obj({ room: RoomId, user: Id, seq: Seq }) }),
  'chat.typing': push({ summary: 'Someone is typing in a room.', body: Obj({ room: RoomId, user: Id }) }),
  'rooms.joined': push({ summary: 'You are now a member of a room (created, joined, invited).', body: Obj({ room: RoomSummary }) }),
  'rooms.left': push({ summary: 'You are no longer a member of a room.', body: Obj({ room: RoomId, reason: T.Union([T.Literal('left'), T.Literal('kicked')]) }) }),
  'friends.update': push({ summary: 'A friendship changed (a request arrived, was accepted, declined, or ended).', body: Obj({ user: UserRef, status: FriendStatus }) }),
  presence: push({ summary: 'A friend came online, changed devices or went offline.', body: Obj({ user: Id, online: T.Boolean(), devices: T.Array(T.String()) }) }),
};

// ---- actors ----

const Uid = Id;
export const RoomMessage = T.Union([
  Obj({ type: T.Literal('create'), by: Uid, name: RoomName, description: Description, open: T.Boolean(), invite: T.Array(Uid, { maxItems: 500 }) }),
  Obj({ type: T.Literal('post'), from: T.Integer({ minimum: 0 }), body: Body, clientMsgId: ClientMsgId, origin: Origin, file: T.Optional(FileRef) }),
  Obj({ type: T.Literal('edit'), by: Uid, target: Seq, body: Body, origin: Origin }),
  Obj({ type: T.Literal('recall'), by: Uid, target: Seq, origin: Origin }),
  Obj({ type: T.Literal('join'), user: Uid }),
  Obj({ type: T.Literal('invite'), by: T.Integer({ minimum: 0 }), user: Uid }),
  Obj({ type: T.Literal('leave'), user: Uid }),
  Obj({ type: T.Literal('kick'), by: Uid, user: Uid }),
  Obj({ type: T.Literal('update'), by: Uid, name: T.Optional(RoomName), description: T.Optional(Description), open: T.Optional(T.Boolean()) }),
  Obj({ type: T.Literal('role'), by: Uid, user: Uid, role: T.Union([T.Literal('admin'), T.Literal('member')]) }),
  Obj({ type: T.Literal('block'), by: Uid, on: T.Boolean() }),
  Obj({ type: T.Literal('info') }),
  // watch together: the room tells its watch actor the roster (then every change), asked by a member
  Obj({ type: T.Literal('watchRoster'), user: Uid }),
]);

export const UserFriendMessage = T.Union([
  Obj({ type: T.Literal('friendRequest'), to: Uid, toName: T.String({ maxLength: 32 }), fromName: T.String({ maxLength: 32 }) }),
  Obj({ type: T.Literal('friendAccept'), user: Uid }),
  Obj({ type: T.Literal('friendDecline'), user: Uid }),
  Obj({ type: T.Literal('friendRemove'), user: Uid }),
  Obj({ type: T.Literal('block'), user: Uid, name: T.String({ maxLength: 32 }) }),
  Obj({ type: T.Literal('unblock'), user: Uid }),
  // from other user actors (accepted only when the runtime says they came from user.<from>)
  Obj({ type: T.Literal('peerRequest'), from: Uid, name: T.String({ maxLength: 32 }) }),
  Obj({ type: T.Literal('peerAccept'), from: Uid }),
  Obj({ type: T.Literal('peerDecline'), from: Uid }),
  Obj({ type: T.Literal('peerRemove'), from: Uid }),
  Obj({ type: T.Literal('peerBlock'), from: Uid, on: T.Boolean() }),
]);

// ---- services ----

const As = { user: Uid };

export const chatMessages = {
  'act.room': message({
    subject: 'act.room.<p>.<rid>',
    summary: 'The room actor: the only writer of a room\'s sequence and membership. Gateways send what clients ask (with the authenticated user); user actors send blocks. `watchRoster` (a member starts watching): from then on the room tells its watch actor (`act.watch`) the roster and every membership or role change.',
    body: RoomMessage,
  }),
  'act.user (friends)': message({
    subject: 'act.user.<p>.<uid>',
    summary: 'The user actor\'s friendships: requests from its own user (via a gateway), peer* messages from other user actors.',
    body: UserFriendMessage,
  }),
  'svc.chat.rooms': message({ subject: 'svc.chat.rooms', summary: 'Ids of a user\'s rooms (a gateway subscribes to their evt.room subjects).', body: Obj(As), reply: Obj({ rooms: T.Array(RoomId) }) }),
  'svc.chat.conversations': message({ subject: 'svc.chat.conversations', summary: 'rooms.list', body: Obj({ ...As, limit: T.Integer({ minimum: 1, maximum: 500 }) }), reply: Obj({ conversations: T.Array(Conversation) }) }),
  'svc.chat.discover': message({ subject: 'svc.chat.discover', summary: 'rooms.discover', body: Obj({ ...As, query: T.String({ maxLength: 80 }), limit: T.Integer({ minimum: 1, maximum: 100 }) }), reply: Obj({ rooms: T.Array(RoomSummary) }) }),
  'svc.chat.members': message({ subject: 'svc.chat.members', summary: 'rooms.members (members only)', body: Obj({ ...As, room: RoomId }), reply: Obj({ members: T.Array(Member) }) }),
  'svc.chat.history': message({ subject: 'svc.chat.history', summary: 'chat.history (members only)', body: Obj({ ...As, room: RoomId, before: T.Optional(Seq), limit: T.Integer({ minimum: 1, maximum: 200 }) }), reply: Obj({ messages: T.Array(Entry), more: T.Boolean() }) }),
  'svc.chat.sync': message({ subject: 'svc.chat.sync', summary: 'chat.sync', body: Obj({ ...As, rooms: T.Record(T.String(), Seq), limit: T.Integer({ minimum: 1, maximum: 500 }) }), reply: Obj({ rooms: T.Array(Obj({ room: RoomId, messages: T.Array(Entry), more: T.Boolean() })) }) }),
  'svc.chat.cursor': message({
    subject: 'svc.chat.cursor',
    summary: 'Moves a member\'s delivered or read cursor forward (never back); a read publishes receipts.',
    body: Obj({ ...As, room: RoomId, seq: Seq, cursor: T.Union([T.Literal('read'), T.Literal('delivered')]), origin: Origin }),
    reply: Obj({ readSeq: Seq, deliveredSeq: Seq, unread: T.Integer() }),
  }),
  'svc.chat.typing': message({ subject: 'svc.chat.typing', summary: 'chat.typing: publishes to the room (members only)', body: Obj({ ...As, room: RoomId, origin: Origin }), reply: Obj({}) }),
  'svc.chat.entry': message({ subject: 'svc.chat.entry', summary: 'Who sent an entry and the file it references (members only; to authorize file links)', body: Obj({ ...As, room: RoomId, seq: Seq }), reply: Obj({ sender: T.Integer(), kind: T.String(), recalled: T.Boolean(), file: T.Optional(T.String()) }) }),
  'svc.users.find': message({ subject: 'svc.users.find', summary: 'users.find', body: Obj({ query: T.String({ minLength: 1, maxLength: 32 }), limit: T.Integer({ minimum: 1, maximum: 50 }) }), reply: Obj({ users: T.Array(UserRef) }) }),
  'svc.users.get': message({ subject: 'svc.users.get', summary: 'Users by id (unknown ids are left out).', body: Obj({ ids: T.Array(Uid, { maxItems: 500 }) }), reply: Obj({ users: T.Array(UserRef) }) }),
  'svc.friends.list': message({ subject: 'svc.friends.list', summary: 'friends.list', body: Obj(As), reply: Obj({ friends: T.Array(FriendEntry) }) }),
};
