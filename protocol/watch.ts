// Watch together (seed 000, MovieHub): the room's playback timeline, owned by the watch actor
// (`act.watch.<p>.<rid>`, one per room), its client ops and pushes, the movie library, and the
// messages behind them. Pushes of a room's watch go to `evt.watch.<rid>`, which a gateway
// subscribes to while it holds a connection watching that room.
import { T, Obj, op, push, message, Id, UserRef, type Static } from './schema.ts';
import { RoomId, Seq } from './chat.ts';
import { FileId, ContentType, GroupName, StorageNodeId } from './storage.ts';
import { ConnKey } from './presence.ts';

const Epoch = T.Integer({ minimum: 0, description: 'the timeline epoch the request is based on (from the last timeline you saw): a command based on an older one is refused with `conflict`' });
/** How the last scheduled start reached a viewer: the room sets its next starts far enough ahead for the slowest. */
export const StartReport = Obj({
  epoch: T.Integer({ minimum: 0, description: 'the epoch of the `watch.timeline` push (cause `start`) that scheduled it' }),
  marginMs: T.Number({ minimum: -600_000, maximum: 600_000, description: 'its `at` minus the server time its push reached you (below 0: it came late)' }),
  leadMs: T.Number({ minimum: 0, maximum: 10_000, description: 'how long before `at` your player needs to be told (it starts that early)' }),
}, 'how the last scheduled start reached you');
export type StartReport = Static<typeof StartReport>;
const Ms = T.Integer({ minimum: 0, description: 'ms since the epoch (server time)' });
const Position = T.Number({ minimum: 0, maximum: 1e9, description: 'media position, ms' });
const Rate = T.Number({ minimum: 0.25, maximum: 4, description: 'playback rate (1: normal speed)' });

export const PlaybackState = T.Union([T.Literal('idle'), T.Literal('preparing'), T.Literal('playing'), T.Literal('paused'), T.Literal('ended')], {
  description: 'idle: nothing loaded; preparing: members get ready at `position`, play starts by `until`; playing; paused; ended',
});

export const WatchMedia = Obj({
  file: FileId,
  title: T.String({ maxLength: 200 }),
  durationMs: T.Integer({ minimum: 0, description: 'length in ms; 0: unknown' }),
  size: T.Integer({ minimum: 0, description: 'bytes' }),
  contentType: ContentType,
  source: T.Union([T.Literal('library'), T.Literal('room')], { description: 'picked from the public library, or a file shared in the room' }),
  entry: T.Optional(Seq),
}, 'what the room watches');
export type WatchMedia = Static<typeof WatchMedia>;

export const Timeline = Obj({
  epoch: T.Integer({ minimum: 0, description: 'raised by every change; orders them' }),
  state: PlaybackState,
  position: Position,
  at: T.Integer({ description: 'server time (ms since the epoch) `position` refers to. While playing the movie is at `position + rate × (now − at)`; an `at` in the future is a scheduled start: hold at `position` until then' }),
  rate: Rate,
  media: T.Union([WatchMedia, T.Null()]),
  until: T.Optional(T.Integer({ description: 'preparing: server time when playing starts at the latest, ready or not' })),
}, 'a room\'s playback timeline');
export type Timeline = Static<typeof Timeline>;

export const ControlPolicy = T.Union([T.Literal('everyone'), T.Literal('admins'), T.Literal('owner')], { description: 'who may load, play, pause, seek and change the rate: every member, the owner and admins, or the owner' });
export type ControlPolicy = Static<typeof ControlPolicy>;

export const WatchSettings = Obj({
  control: ControlPolicy,
  pauseForStalls: T.Boolean({ description: 'pause the room while a member buffers (at most `watch_stall_pause_ms` per stall, and not for a member who keeps stalling)' }),
}, 'the room\'s watch settings');
export type WatchSettings = Static<typeof WatchSettings>;

export const ViewerStatus = T.Union([T.Literal('loading'), T.Literal('ready'), T.Literal('stalled')], { description: 'loading: no data at the position yet; ready: has it (playing or holding); stalled: buffering while the room plays' });

export const Viewer = Obj({
  viewer: ConnKey,
  user: Id,
  name: T.String({ maxLength: 32 }),
  status: ViewerStatus,
  since: Ms,
}, 'a connection watching the room');
export type Viewer = Static<typeof Viewer>;

const ViewersRev = T.Integer({ minimum: 0, description: 'raised with every change of `viewers`: answers and pushes may cross, so keep the list with the highest' });

const WatchView = {
  timeline: Timeline,
  settings: WatchSettings,
  viewers: T.Array(Viewer),
  viewersRev: ViewersRev,
};

const MemberRole = T.Union([T.Literal('owner'), T.Literal('admin'), T.Literal('member')]);

export const LibraryItem = Obj({
  file: FileId,
  title: T.String({ maxLength: 200 }),
  durationMs: T.Integer({ minimum: 0, description: '0: unknown' }),
  size: T.Integer({ minimum: 0, description: 'bytes' }),
  contentType: ContentType,
  addedBy: UserRef,
  publishedAt: T.String({ description: 'ISO 8601' }),
}, 'a movie of the public library');
export type LibraryItem = Static<typeof LibraryItem>;

const Control = { room: RoomId, epoch: Epoch };
const ControlAnswer = Obj({
  timeline: Timeline,
  pending: T.Optional(T.Boolean({ description: 'a seek within 150 ms of the previous one: it replaces that burst\'s position and is applied when the burst ends' })),
});
const controlErrors = ['forbidden', 'not_found', 'conflict', 'rate_limited'] as const;
const controlNotes = '`forbidden`: the room\'s `control` setting does not include you. `conflict`: `epoch` is not the room\'s (someone changed the timeline since you saw it: its `watch.timeline` push is on the way, or ask `watch.state`), or nothing is loaded. `rate_limited`: more control requests than `watch_control_burst` / `watch_control_per_minute` allow. Retrying after a lost answer is safe: the epoch has moved, so it answers `conflict` and applies nothing twice.';

export const watchOps = {
  'watch.join': op({
    summary: 'Start watching a room you are a member of: this connection becomes a viewer and gets the room\'s `watch.*` pushes. Joining while the room plays never pauses it: catch up from the timeline.',
    auth: true,
    request: Obj({ room: RoomId }),
    response: Obj({ ...WatchView, viewer: ConnKey, role: MemberRole, mayControl: T.Boolean() }),
    errors: ['not_found', 'forbidden', 'limit_exceeded'],
  }),
  'watch.leave': op({ summary: 'Stop watching (also happens when the connection closes or its session ends).', auth: true, request: Obj({ room: RoomId }), response: Obj({}), errors: [] }),
  'watch.state': op({ summary: 'The room\'s timeline, settings and viewers (members).', auth: true, request: Obj({ room: RoomId }), response: Obj(WatchView), errors: ['not_found', 'forbidden'] }),
  'watch.load': op({
    summary: 'Pick what the room watches: a library movie (`library`: its file id) or a file shared in the room (`entry`: the chat entry\'s seq). Everyone gets ready at 0 and it starts playing.',
    auth: true,
    request: Obj({ ...Control, library: T.Optional(FileId), entry: T.Optional(Seq), durationMs: T.Optional(T.Integer({ minimum: 0, maximum: 1e9, description: 'the length when you know it (a room file has none on record)' })) }),
    response: ControlAnswer,
    errors: [...controlErrors, 'bad_request'],
    notes: `Give exactly one of \`library\` and \`entry\`. \`not_found\`: no such published movie, or the entry shares no file. ${controlNotes}`,
  }),
  'watch.play': op({ summary: 'Play: members get ready at the position (`preparing`), then play starts at a server time far enough ahead for everyone.', auth: true, request: Obj(Control), response: ControlAnswer, errors: controlErrors, notes: controlNotes }),
  'watch.pause': op({ summary: 'Pause at the current position.', auth: true, request: Obj(Control), response: ControlAnswer, errors: controlErrors, notes: controlNotes }),
  'watch.seek': op({ summary: 'Jump to a position (while playing: members get ready there, then play resumes together). Seeks within 150 ms of each other are coalesced.', auth: true, request: Obj({ ...Control, position: Position }), response: ControlAnswer, errors: controlErrors, notes: controlNotes }),
  'watch.rate': op({ summary: 'Change the playback rate.', auth: true, request: Obj({ ...Control, rate: Rate }), response: ControlAnswer, errors: controlErrors, notes: controlNotes }),
  'watch.ready': op({
    summary: 'This viewer has data at the timeline\'s position (of `epoch`) and can play. Also the answer to a stall being over.',
    auth: true,
    request: Obj({
      room: RoomId, epoch: Epoch,
      rttMs: T.Optional(T.Number({ minimum: 0, maximum: 60_000, description: 'your round trip to the gateway: the start is scheduled far enough ahead for the slowest viewer' })),
      start: T.Optional(StartReport),
    }),
    response: Obj({}),
    errors: ['forbidden'],
  }),
  'watch.stall': op({ summary: 'This viewer is buffering while the room plays. The others go on (unless the room pauses for stalls).', auth: true, request: Obj({ room: RoomId, epoch: Epoch }), response: Obj({}), errors: ['forbidden'] }),
  'watch.report': op({
    summary: 'Where this viewer\'s player is (sent every few seconds): relayed to the room as a `watch.report` push, not stored.',
    auth: true,
    request: Obj({ room: RoomId, position: Position, driftMs: T.Number({ minimum: -1e9, maximum: 1e9, description: 'measured position minus the timeline\'s target, ms' }), status: ViewerStatus }),
    response: Obj({}),
    errors: ['forbidden'],
  }),
  'watch.source': op({
    summary: 'Where to read the room\'s movie: a signed URL on the media server (storage node) the room is placed on. After a read error, ask again with `avoid` = the node that failed and continue with a range request.',
    auth: true,
    request: Obj({ room: RoomId, avoid: T.Optional(StorageNodeId) }),
    response: Obj({ url: T.String(), node: StorageNodeId, expiresAt: T.String({ description: 'ISO 8601 expiry of the URL\'s ticket: ask again after it' }), file: FileId, contentType: ContentType, size: T.Integer({ minimum: 0 }) }),
    errors: ['forbidden', 'conflict', 'unavailable'],
    notes: '`forbidden`: this connection is not watching the room (watch.join first). `conflict`: nothing is loaded. `unavailable`: no active node holds the movie.',
  }),
  'watch.settings': op({
    summary: 'Change who may control the room and whether it pauses for stalls (owner and admins).',
    auth: true,
    request: Obj({ room: RoomId, control: T.Optional(ControlPolicy), pauseForStalls: T.Optional(T.Boolean()) }),
    response: Obj({ settings: WatchSettings }),
    errors: ['forbidden', 'not_found', 'bad_request'],
  }),
  'library.list': op({
    summary: 'The public movie library, by title (search: `query` matches anywhere in the title, case-insensitive).',
    auth: true,
    request: Obj({ query: T.Optional(T.String({ maxLength: 100 })), cursor: T.Optional(T.String({ maxLength: 1200 })), limit: T.Optional(T.Integer({ minimum: 1, maximum: 200 })) }),
    response: Obj({ items: T.Array(LibraryItem), cursor: T.Optional(T.String({ description: 'pass it for the next page; absent on the last page' })) }),
    errors: ['bad_request'],
  }),
};

export const watchPushes = {
  'watch.timeline': push({
    summary: 'The room\'s timeline changed: `cause` says why (a member\'s `load`, `play`, `pause`, `seek`, `rate`; the room\'s own `start` when preparing ends, `stall` (paused for `by`, who buffers) and `end`), `by` who.',
    body: Obj({ room: RoomId, timeline: Timeline, cause: T.Union([T.Literal('load'), T.Literal('play'), T.Literal('pause'), T.Literal('seek'), T.Literal('rate'), T.Literal('start'), T.Literal('stall'), T.Literal('end')]), by: T.Optional(Id) }),
  }),
  'watch.viewers': push({ summary: 'Who watches the room, with their status.', body: Obj({ room: RoomId, viewers: T.Array(Viewer), viewersRev: ViewersRev }) }),
  'watch.settings': push({ summary: 'The room\'s watch settings changed.', body: Obj({ room: RoomId, settings: WatchSettings, by: Id }) }),
  'watch.report': push({
    summary: 'A viewer\'s player position and measured drift (relayed, not stored).',
    body: Obj({ room: RoomId, viewer: ConnKey, user: Id, position: Position, driftMs: T.Number(), status: ViewerStatus }),
  }),
  'watch.left': push({ summary: 'This connection no longer watches the room (you left the room or were removed).', body: Obj({ room: RoomId, reason: T.Union([T.Literal('left'), T.Literal('removed')]) }) }),
};

// ---- actors and services ----

/** Where the movie's bytes are: its group and the holder rule's inputs (placement on media servers). */
export const MediaLocation = Obj({ group: GroupName, origin: StorageNodeId, binlogSeq: T.Integer({ minimum: 1 }) });
export type MediaLocation = Static<typeof MediaLocation>;

const Uid = Id;
const Gateway = T.String({ minLength: 1, maxLength: 160, description: 'a gateway process (`<node id>@<start time>`)' });

export const WatchMessage = T.Union([
  Obj({ type: T.Literal('join'), user: Uid, name: T.String({ maxLength: 32 }), conn: ConnKey, gateway: Gateway }),
  Obj({ type: T.Literal('leave'), conn: ConnKey }),
  Obj({ type: T.Literal('gatewayDown'), gateway: Gateway }),
  Obj({ type: T.Literal('state'), user: Uid }),
  Obj({ type: T.Literal('load'), by: Uid, epoch: Epoch, media: WatchMedia, location: MediaLocation }),
  Obj({ type: T.Literal('play'), by: Uid, epoch: Epoch }),
  Obj({ type: T.Literal('pause'), by: Uid, epoch: Epoch }),
  Obj({ type: T.Literal('seek'), by: Uid, epoch: Epoch, position: Position }),
  Obj({ type: T.Literal('rate'), by: Uid, epoch: Epoch, rate: Rate }),
  Obj({ type: T.Literal('ready'), user: Uid, conn: ConnKey, epoch: Epoch, rttMs: T.Optional(T.Number({ minimum: 0, maximum: 60_000 })), start: T.Optional(StartReport) }),
  Obj({ type: T.Literal('stall'), user: Uid, conn: ConnKey, epoch: Epoch }),
  Obj({ type: T.Literal('source'), user: Uid, conn: ConnKey }),
  Obj({ type: T.Literal('settings'), by: Uid, control: T.Optional(ControlPolicy), pauseForStalls: T.Optional(T.Boolean()) }),
  // from the room actor only (meta.from = room.<rid>): the members and their roles, then changes
  Obj({ type: T.Literal('roster'), members: T.Record(T.String({ pattern: '^[0-9]+$' }), MemberRole) }),
  Obj({ type: T.Literal('member'), user: Uid, role: T.Union([MemberRole, T.Null()]) }),
]);
export type WatchMessage = Static<typeof WatchMessage>;

const watchSubject = 'act.watch.<p>.<rid>';

export const WatchRoomSummary = Obj({
  room: RoomId,
  state: PlaybackState,
  title: T.String(),
  file: T.Union([FileId, T.Null()]),
  viewers: T.Integer({ minimum: 0 }),
  nodes: T.Array(Obj({ node: StorageNodeId, group: GroupName, viewers: T.Integer({ minimum: 0 }) }), { description: 'the media servers the room\'s viewers read from, with how many each' }),
  updatedAt: T.String({ description: 'ISO 8601' }),
}, 'a room that has been watched');
export type WatchRoomSummary = Static<typeof WatchRoomSummary>;

export const watchMessages = {
  'act.watch': message({
    subject: watchSubject,
    summary: 'The watch actor of a room (kind `watch`, id = the room): the only writer of its timeline. Gateways send what viewers ask (with the authenticated user and connection); the room actor sends the roster (`roster` when asked through `act.room watchRoster`, then a `member` per change); the gateway reaper sends `gatewayDown`.',
    body: WatchMessage,
  }),
  'svc.watch.report': message({
    subject: 'svc.watch.report',
    summary: 'watch.report: relays a viewer\'s position and drift to `evt.watch.<rid>` (members only; not stored).',
    body: Obj({ user: Uid, room: RoomId, viewer: ConnKey, position: Position, driftMs: T.Number(), status: ViewerStatus }),
    reply: Obj({}),
  }),
  'svc.watch.rooms': message({
    subject: 'svc.watch.rooms',
    summary: 'Rooms with a movie loaded or viewers: state, movie, viewer count and the media servers they are placed on (troupe watch rooms).',
    body: Obj({ limit: T.Integer({ minimum: 1, maximum: 1000 }) }),
    reply: Obj({ rooms: T.Array(WatchRoomSummary) }),
  }),
  'svc.library.list': message({
    subject: 'svc.library.list',
    summary: 'library.list',
    body: Obj({ query: T.String({ maxLength: 100 }), cursor: T.Optional(T.String({ maxLength: 1200 })), limit: T.Integer({ minimum: 1, maximum: 200 }) }),
    reply: Obj({ items: T.Array(LibraryItem), cursor: T.Optional(T.String()) }),
  }),
  'svc.library.publish': message({
    subject: 'svc.library.publish',
    summary: 'Publish a stored file in the library (admin API, troupe library publish); publishing again updates title and length.',
    body: Obj({ file: FileId, title: T.String({ minLength: 1, maxLength: 200 }), durationMs: T.Optional(T.Integer({ minimum: 0, maximum: 1e9 })), by: T.Optional(Uid) }),
    reply: Obj({ item: LibraryItem }),
  }),
  'svc.library.unpublish': message({
    subject: 'svc.library.unpublish',
    summary: 'Take a file out of the library (rooms watching it keep their copy of the timeline; new loads fail).',
    body: Obj({ file: FileId }),
    reply: Obj({ removed: T.Boolean() }),
  }),
  'svc.library.media': message({
    subject: 'svc.library.media',
    summary: 'watch.load: what `user` may pick in `room`: a published library movie, or a file shared in the room by an entry that is not recalled (members only). The answer is what the watch actor records.',
    body: Obj({ user: Uid, room: RoomId, library: T.Optional(FileId), entry: T.Optional(Seq) }),
    reply: Obj({ media: WatchMedia, location: MediaLocation }),
  }),
  'svc.files.stream': message({
    subject: 'svc.files.stream',
    summary: 'watch.source: the group actor places the viewer on a node that holds the file (`act.group.place`), and the answer is a read ticket for that node with grant `watch:<rid>`. Callers have checked with the watch actor that the connection watches the room.',
    body: Obj({ fileId: FileId, forUser: Uid, room: RoomId, viewer: ConnKey, version: T.Integer({ minimum: 0 }), avoid: T.Optional(StorageNodeId) }),
    reply: Obj({ url: T.String(), node: StorageNodeId, expiresAt: T.String(), file: FileId, contentType: ContentType, size: T.Integer({ minimum: 0 }) }),
  }),
};
