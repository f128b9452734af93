// Storage membership: the messages of the storage-group actors (`act.group.<p>.<group>`) and of
// the tracker actor (`act.tracker.<p>.main`). Storage nodes join their group actor and beat to it
// with their load; the group actor keeps the members' states (offline is its verdict on missed
// beats), answers upload and read targets and reports material changes to the tracker, which knows
// every group and picks one for a new user. actors/group and actors/tracker implement them.
import { T, Obj, message, variant, RoomId, type Static } from './schema.ts';
import { GroupName, StorageNodeId, StorageNodeState, FileId } from './storage.ts';
import { ConnKey } from './presence.ts';

const Count = T.Integer({ minimum: 0 });
const Bytes = T.Integer({ minimum: 0, description: 'bytes' });
const Ms = T.Integer({ minimum: 0, description: 'ms since the epoch' });

export const MemberState = T.Union([T.Literal('joining'), T.Literal('syncing'), T.Literal('active'), T.Literal('offline')], {
  description: 'joining, syncing, active: as the node reports itself; offline: the group actor\'s verdict (missed heartbeats, or the node left)',
});
export type MemberState = Static<typeof MemberState>;

/** What a node says about itself in `join` and `beat`. */
const nodeReport = {
  node: StorageNodeId,
  url: T.String({ minLength: 1, maxLength: 512, description: 'base URL of the node\'s HTTP API' }),
  state: StorageNodeState,
  startedAt: T.Integer({ minimum: 0, description: 'when this node process started (ms since the epoch): a new value is a restart' }),
  beatMs: T.Integer({ minimum: 100, maximum: 60_000, description: 'the node\'s heartbeat interval; it is offline after missing a few' }),
  appliedSeq: T.Integer({ minimum: 0, description: 'last binlog record applied in order (the holder rule)' }),
  lagRecords: T.Integer({ minimum: 0, description: 'binlog records of the group not applied yet' }),
  activeTransfers: T.Integer({ minimum: 0, description: 'uploads, downloads and replication fetches running (the load)' }),
  bytesInPerSecond: T.Number({ minimum: 0, description: 'received per second since the last beat' }),
  bytesOutPerSecond: T.Number({ minimum: 0, description: 'sent per second since the last beat' }),
  freeBytes: T.Integer({ minimum: 0, description: 'free disk under the data dir' }),
  totalBytes: T.Integer({ minimum: 0, description: 'size of that disk' }),
};
export const NodeReport = Obj(nodeReport);
export type NodeReport = Static<typeof NodeReport>;

export const GroupMember = Obj({
  node: StorageNodeId,
  url: T.String(),
  state: MemberState,
  appliedSeq: Count,
  lagRecords: Count,
  activeTransfers: Count,
  assigned: T.Integer({ minimum: 0, description: 'targets handed out since the node\'s last beat, counted as load (so one beat period does not send everyone to one node)' }),
  bytesInPerSecond: T.Number(),
  bytesOutPerSecond: T.Number(),
  freeBytes: Bytes,
  totalBytes: Bytes,
  startedAt: Ms,
  joinedAt: Ms,
  lastBeatAt: Ms,
}, 'one node of a storage group as the group actor sees it');
export type GroupMember = Static<typeof GroupMember>;

export const GroupView = Obj({
  group: GroupName,
  members: T.Array(GroupMember, { description: 'every node that ever joined, by node id' }),
}, 'the group actor\'s view of its members');
export type GroupView = Static<typeof GroupView>;

export const Target = Obj({ node: StorageNodeId, url: T.String({ description: 'base URL of the node' }) }, 'a node to send a transfer to');
export type Target = Static<typeof Target>;

/** A file a room watches, with the holder rule's inputs. */
export const PlacedFile = Obj({ id: FileId, origin: StorageNodeId, binlogSeq: T.Integer({ minimum: 1 }) });
export type PlacedFile = Static<typeof PlacedFile>;

export const RoomPlacement = Obj({
  room: RoomId,
  file: T.Union([FileId, T.Null()]),
  nodes: T.Array(Obj({ node: StorageNodeId, viewers: T.Integer({ minimum: 0 }) }), { description: 'the nodes serving the room, in the order they were added' }),
  viewers: T.Integer({ minimum: 0, description: 'viewers the watch actor reported' }),
}, 'a watch room on the group\'s media servers');
export type RoomPlacement = Static<typeof RoomPlacement>;

export const GroupMessage = T.Union([
  Obj({ type: T.Literal('join'), ...nodeReport }),
  Obj({ type: T.Literal('beat'), ...nodeReport }),
  Obj({ type: T.Literal('leave'), node: StorageNodeId }),
  /** An operator removes an offline node for good (FastDFS's `fdfs_monitor ... delete`). */
  Obj({ type: T.Literal('forget'), node: StorageNodeId }),
  Obj({ type: T.Literal('uploadTarget'), minFreeBytes: T.Optional(Bytes) }),
  Obj({ type: T.Literal('readTargets'), origin: StorageNodeId, binlogSeq: T.Integer({ minimum: 1 }) }),
  Obj({ type: T.Literal('view') }),
  // media servers for watch rooms (seed 000): the watch actor tells which connections watch which
  // file; the files service asks where a viewer reads from
  Obj({ type: T.Literal('viewers'), room: RoomId, version: T.Integer({ minimum: 0 }), file: T.Union([PlacedFile, T.Null()]), viewers: T.Array(ConnKey, { maxItems: 10_000 }) }),
  Obj({ type: T.Literal('place'), room: RoomId, viewer: ConnKey, version: T.Integer({ minimum: 0 }), file: PlacedFile, avoid: T.Optional(StorageNodeId) }),
  Obj({ type: T.Literal('placements') }),
]);
export type GroupMessage = Static<typeof GroupMessage>;

/** A node of a group as the tracker knows it (from the group actor's reports). */
export const TrackedNode = Obj({
  node: StorageNodeId,
  url: T.String(),
  state: MemberState,
  freeBytes: Bytes,
  totalBytes: Bytes,
});
export type TrackedNode = Static<typeof TrackedNode>;

export const GroupSummary = Obj({
  name: GroupName,
  freeBytes: T.Integer({ minimum: 0, description: 'the least free space among its active nodes (every node stores every file); 0 without active nodes' }),
  active: T.Integer({ minimum: 0, description: 'active nodes' }),
  nodes: T.Array(TrackedNode),
  reportedAt: Ms,
}, 'a storage group as the tracker knows it');
export type GroupSummary = Static<typeof GroupSummary>;

export const TrackerMessage = T.Union([
  Obj({ type: T.Literal('report'), group: GroupName, nodes: T.Array(TrackedNode) }),
  Obj({ type: T.Literal('pickGroup'), minFreeBytes: T.Optional(Bytes) }),
  Obj({ type: T.Literal('groups') }),
]);
export type TrackerMessage = Static<typeof TrackerMessage>;

const groupSubject = 'act.group.<p>.<group>';
const trackerSubject = 'act.tracker.<p>.main';

export const groupMessages = {
  'act.group.join': message({
    subject: groupSubject,
    summary: 'Ask, from a storage node when it starts: it is (again) a member, with its state, load, free disk and applied binlog seq. The reply is the group view; a new `startedAt` marks a restart.',
    body: variant(GroupMessage, 'join'),
    reply: GroupView,
  }),
  'act.group.beat': message({
    subject: groupSubject,
    summary: 'Ask, from a storage node every `heartbeat_ms`: the same report. The group actor moves the node\'s offline deadline (`missed beats × beatMs` after this beat) and replies with the group view, which is how nodes learn their peers (replication sources).',
    body: variant(GroupMessage, 'beat'),
    reply: GroupView,
  }),
  'act.group.leave': message({
    subject: groupSubject,
    summary: 'From a storage node stopping cleanly: offline now, without waiting for missed beats.',
    body: variant(GroupMessage, 'leave'),
  }),
  'act.group.forget': message({
    subject: groupSubject,
    summary: 'Ask, from an operator (`troupe storage-forget`): remove an offline node from the group for good (FastDFS\'s `fdfs_monitor delete`). Fails `conflict` when the node is not offline, `not_found` when the group has no such node.',
    body: variant(GroupMessage, 'forget'),
    reply: GroupView,
  }),
  'act.group.uploadTarget': message({
    subject: groupSubject,
    summary: 'Ask: the least-loaded active node (active transfers plus targets handed out since its last beat) with at least `minFreeBytes` free, then the other such nodes. Fails `unavailable` without an active node, `limit_exceeded` when none has room.',
    body: variant(GroupMessage, 'uploadTarget'),
    reply: Obj({ targets: T.Array(Target, { minItems: 1 }) }),
  }),
  'act.group.readTargets': message({
    subject: groupSubject,
    summary: 'Ask: the active nodes that hold a file (its origin, and every node whose applied seq reached the file\'s `binlogSeq`), least-loaded first. Fails `unavailable` when none is active.',
    body: variant(GroupMessage, 'readTargets'),
    reply: Obj({ targets: T.Array(Target, { minItems: 1 }) }),
  }),
  'act.group.view': message({
    subject: groupSubject,
    summary: 'Ask: the group view.',
    body: variant(GroupMessage, 'view'),
    reply: GroupView,
  }),
  'act.group.viewers': message({
    subject: groupSubject,
    summary: 'From a watch actor (through its outbox) whenever its viewers or its movie change: the room\'s viewers (connections) and the file they watch, with the watch actor\'s `version` (older versions are ignored). Viewers gone from the list are released from their nodes; a node whose room viewer count falls to 0 is released; an empty list clears the room.',
    body: variant(GroupMessage, 'viewers'),
  }),
  'act.group.place': message({
    subject: groupSubject,
    summary: 'Ask, from the files service (watch.source): the node a viewer reads from. The room keeps a node that holds the file while its viewer count is under `watch_node_viewers` (and its heartbeat\'s bytes/s under `watch_node_bytes_per_second`, when set); when its nodes are full a further holder is added (least loaded first); when every holder is full the least loaded serves anyway. `avoid`: the node that failed this viewer. Fails `not_found` when the watch actor\'s list (at `version` or later) no longer has the viewer, `unavailable` when no active node holds the file.',
    body: variant(GroupMessage, 'place'),
    reply: Obj({ node: StorageNodeId, url: T.String({ description: 'base URL of the node' }) }),
  }),
  'act.group.placements': message({
    subject: groupSubject,
    summary: 'Ask: the watch rooms on this group\'s nodes (troupe watch rooms).',
    body: variant(GroupMessage, 'placements'),
    reply: Obj({ rooms: T.Array(RoomPlacement) }),
  }),
  'act.tracker.report': message({
    subject: trackerSubject,
    summary: 'From a group actor (through its outbox) whenever something material changed: a node joined, changed state or its free space moved by more than 1 % of its disk. Replaces what the tracker knows of the group.',
    body: variant(TrackerMessage, 'report'),
  }),
  'act.tracker.pickGroup': message({
    subject: trackerSubject,
    summary: 'Ask: the group for a new user: the one with the most free space (its least-free active node) with at least `minFreeBytes`. Fails `unavailable` when no group has an active node. The files service remembers the answer in `storage_routes` (first writer wins).',
    body: variant(TrackerMessage, 'pickGroup'),
    reply: Obj({ group: GroupName }),
  }),
  'act.tracker.groups': message({
    subject: trackerSubject,
    summary: 'Ask: every group with its nodes and their states.',
    body: variant(TrackerMessage, 'groups'),
    reply: Obj({ groups: T.Array(GroupSummary) }),
  }),
};
