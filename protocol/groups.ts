// Storage membership: the messages of the storage-group actors (`act.group.<p>.<group>`) and of
// the tracker actor (`act.tracker.<p>.main`). Storage nodes join their group actor and beat to it
// with their load; the group actor keeps the members' states (offline is its verdict on missed
// beats), answers upload and read targets and reports material changes to the tracker, which knows
// every group and picks one for a new user. actors/group and actors/tracker implement them.
import { T, Obj, message, variant, type Static } from './schema.ts';
import { GroupName, StorageNodeId, StorageNodeState } from './storage.ts';

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

export const GroupMessage = T.Union([
  Obj({ type: T.Literal('join'), ...nodeReport }),
  Obj({ type: T.Literal('beat'), ...nodeReport }),
  Obj({ type: T.Literal('leave'), node: StorageNodeId }),
  /** An operator removes an offline node for good (FastDFS's `fdfs_monitor ... delete`). */
  Obj({ type: T.Literal('forget'), node: StorageNodeId }),
  Obj({ type: T.Literal('uploadTarget'), minFreeBytes: T.Optional(Bytes) }),
  Obj({ type: T.Literal('readTargets'), origin: StorageNodeId, binlogSeq: T.Integer({ minimum: 1 }) }),
  Obj({ type: T.Literal('view') }),
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
