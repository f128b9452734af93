// Tables of record. Migrations in schema/migrations are generated from this file by drizzle-kit
// (`npm run troupe -- migrate --generate`), plus hand-written SQL where drizzle-kit has no words
// (hash partitioning; those tables are declared in partitioned.ts, out of drizzle-kit's sight).
import { sql } from 'drizzle-orm';
import { pgTable, bigint, integer, text, timestamp, uniqueIndex, index, jsonb, primaryKey, boolean } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('users_name_lower').on(sql`lower(${t.name})`)]);

export const sessions = pgTable('sessions', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  userId: bigint('user_id', { mode: 'number' }).notNull().references(() => users.id, { onDelete: 'cascade' }),
  /** sha-256 of the token; the token itself is never stored. */
  tokenHash: text('token_hash').notNull(),
  device: jsonb('device').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [uniqueIndex('sessions_token_hash').on(t.tokenHash), index('sessions_user').on(t.userId)]);

// --- Actor runtime (actors/runtime): the fence, snapshots, idempotency inbox and outbox. ---

/** One row per partition: the fencing epoch of its current holder and the last applied stream sequence. */
export const actorPartitions = pgTable('actor_partitions', {
  p: integer('p').primaryKey(),
  epoch: bigint('epoch', { mode: 'number' }).notNull(),
  appliedSeq: bigint('applied_seq', { mode: 'number' }).notNull().default(0),
  holder: text('holder').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An actor's persisted machine state. `version` counts applied messages; `epoch` is the writer's fence. */
export const actorState = pgTable('actor_state', {
  kind: text('kind').notNull(),
  id: text('id').notNull(),
  p: integer('p').notNull(),
  version: bigint('version', { mode: 'number' }).notNull(),
  epoch: bigint('epoch', { mode: 'number' }).notNull(),
  machineVersion: integer('machine_version').notNull(),
  state: jsonb('state').notNull(),
  /**
   * Context fields the kind keeps apart (ActorKind.apart: a room's members), as one object; written
   * only when one of them changed, so a post to a big room does not rewrite its member map (an
   * unchanged column keeps its TOAST value). Null for kinds that keep nothing apart.
   */
  apart: jsonb('apart'),
  /** Earliest deadline in the machine's context (ms since the epoch), re-armed on activation. */
  deadline: bigint('deadline', { mode: 'number' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.kind, t.id] }), index('actor_state_deadline').on(t.p, t.deadline)]);

/** Idempotency keys of applied messages (and the reply, for a retried ask). Pruned by age. */
export const actorInbox = pgTable('actor_inbox', {
  key: text('key').primaryKey(),
  kind: text('kind').notNull(),
  id: text('id').notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  /** The fencing epoch it was applied under (an audit trail of who wrote what). */
  epoch: bigint('epoch', { mode: 'number' }).notNull(),
  reply: jsonb('reply'),
  /**
   * Whether `reply` is the key's final result. A refusal (an error reply that changed nothing) is
   * answered and kept for a lost-reply lookup, but a later message with the key is judged afresh.
   */
  final: boolean('final').notNull().default(true),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('actor_inbox_at').on(t.at)]);

/** Messages to other actors, written with the state change and published after commit. */
export const actorOutbox = pgTable('actor_outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  p: integer('p').notNull(),
  subject: text('subject').notNull(),
  key: text('key').notNull(),
  body: jsonb('body').notNull(),
  origin: text('origin').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('actor_outbox_p').on(t.p)]);

// --- Presence (actors/user): live connections per user, written by the user actor. ---

export const userConnections = pgTable('user_connections', {
  /** `<gateway instance>/<connection id>`. */
  conn: text('conn').primaryKey(),
  userId: bigint('user_id', { mode: 'number' }).notNull(),
  gateway: text('gateway').notNull(),
  device: jsonb('device').notNull(),
  sessionId: bigint('session_id', { mode: 'number' }).notNull(),
  connectedAt: timestamp('connected_at', { withTimezone: true }).notNull(),
}, (t) => [index('user_connections_user').on(t.userId), index('user_connections_gateway').on(t.gateway)]);

export const userPresence = pgTable('user_presence', {
  userId: bigint('user_id', { mode: 'number' }).primaryKey(),
  online: boolean('online').notNull(),
  devices: integer('devices').notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
});

/** Leaf-style id segments: a process takes (max_id, max_id + step] in one atomic update. */
export const idSegments = pgTable('id_segments', {
  key: text('key').primaryKey(),
  maxId: bigint('max_id', { mode: 'number' }).notNull(),
  /** The step of the last segment taken (each allocator adapts its own). */
  step: integer('step').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Every storage group that has had a node (the seed's t_group_info). */
export const storageGroups = pgTable('storage_groups', {
  name: text('name').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Which group stores a user's files (the seed's t_router); assigned once by the tracker. */
export const storageRoutes = pgTable('storage_routes', {
  userId: bigint('user_id', { mode: 'number' }).primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  groupName: text('group_name').notNull().references(() => storageGroups.name),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

// --- Chat (actors/room, actors/user): rooms, members with read cursors, friendships. Messages are
// hash-partitioned by room (schema/partitioned.ts). ---

export const rooms = pgTable('rooms', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['group', 'direct'] }).notNull(),
  name: text('name').notNull().default(''),
  description: text('description').notNull().default(''),
  ownerId: bigint('owner_id', { mode: 'number' }),
  open: boolean('open').notNull().default(false),
  /** Sequence of the room's last message (0: none yet). */
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  lastAt: timestamp('last_at', { withTimezone: true }),
  lastSender: bigint('last_sender', { mode: 'number' }),
  lastPreview: text('last_preview').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('rooms_open').on(t.open, t.kind)]);

export const roomMembers = pgTable('room_members', {
  roomId: text('room_id').notNull(),
  userId: bigint('user_id', { mode: 'number' }).notNull(),
  role: text('role', { enum: ['owner', 'admin', 'member'] }).notNull(),
  joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  /** Highest sequence the member has read (read receipts, unread counts). */
  readSeq: bigint('read_seq', { mode: 'number' }).notNull().default(0),
  /** Highest sequence delivered to one of the member's devices (offline delivery). */
  deliveredSeq: bigint('delivered_seq', { mode: 'number' }).notNull().default(0),
}, (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index('room_members_user').on(t.userId)]);

export const friendships = pgTable('friendships', {
  userId: bigint('user_id', { mode: 'number' }).notNull(),
  otherId: bigint('other_id', { mode: 'number' }).notNull(),
  status: text('status', { enum: ['friend', 'outgoing', 'incoming', 'blocked'] }).notNull(),
  since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.userId, t.otherId] }), index('friendships_other').on(t.otherId)]);

// --- Watch together (actors/watch, services/library): the public movie library, and what the
// watch actors record of their rooms and viewers (for listings and the gateway reaper). ---

/** The public movie library: stored files an admin published, with a title and a length. */
export const library = pgTable('library', {
  fileId: text('file_id').primaryKey(),
  title: text('title').notNull(),
  /** Length in ms; 0: unknown. */
  durationMs: bigint('duration_ms', { mode: 'number' }).notNull().default(0),
  size: bigint('size', { mode: 'number' }).notNull(),
  contentType: text('content_type').notNull(),
  ownerId: bigint('owner_id', { mode: 'number' }).notNull(),
  /** Who added it (the file's owner unless the admin named someone). */
  addedBy: bigint('added_by', { mode: 'number' }).notNull(),
  groupName: text('group_name').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('library_title').on(sql`lower(${t.title})`, t.fileId)]);

/** One row per room that has been watched: its state, movie and viewer count (troupe watch rooms). */
export const watchRooms = pgTable('watch_rooms', {
  roomId: text('room_id').primaryKey(),
  state: text('state', { enum: ['idle', 'preparing', 'playing', 'paused', 'ended'] }).notNull(),
  fileId: text('file_id'),
  title: text('title').notNull().default(''),
  viewers: integer('viewers').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('watch_rooms_updated').on(t.updatedAt)]);

/** Connections watching a room, as its watch actor admitted them (the reaper finds those of dead gateways). */
export const watchViewers = pgTable('watch_viewers', {
  roomId: text('room_id').notNull(),
  /** `<gateway instance>/<connection id>`. */
  conn: text('conn').notNull(),
  userId: bigint('user_id', { mode: 'number' }).notNull(),
  gateway: text('gateway').notNull(),
  joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.roomId, t.conn] }), index('watch_viewers_gateway').on(t.gateway)]);
