// Tables created by hand-written migrations because drizzle-kit cannot express them (hash
// partitioning). Declared here for typed queries only: drizzle.config.ts points drizzle-kit at
// tables.ts, so it never tries to create or alter these. Keep each definition in step with its SQL.
import { pgTable, bigint, text, timestamp, primaryKey, jsonb, boolean } from 'drizzle-orm/pg-core';

/** File metadata, PARTITION BY HASH (owner_id) in 16 partitions (migrations/0003_storage_files.sql). */
export const storageFiles = pgTable('storage_files', {
  id: text('id').notNull(),
  ownerId: bigint('owner_id', { mode: 'number' }).notNull(),
  groupName: text('group_name').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  sha256: text('sha256').notNull(),
  contentType: text('content_type').notNull(),
  name: text('name').notNull().default(''),
  /** The node that stored the upload; it holds the file from the start. */
  origin: text('origin').notNull(),
  /** STORAGE stream sequence of the create record. */
  binlogSeq: bigint('binlog_seq', { mode: 'number' }).notNull(),
  status: text('status', { enum: ['active', 'deleted'] }).notNull().default('active'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.ownerId, t.id] })]);

/** Hash partitions of storage_files (the MODULUS in its migration). */
export const STORAGE_FILE_PARTITIONS = 16;

/**
 * Chat messages, PARTITION BY HASH (room_id) in 16 partitions like TeamTalk's IMMessage_x
 * (migrations/0005_chat_messages.sql). Every entry of a room's sequence is a row: text messages,
 * system events (joined, left, renamed...), and edits and recalls, which also update their target.
 */
export const messages = pgTable('messages', {
  roomId: text('room_id').notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  senderId: bigint('sender_id', { mode: 'number' }).notNull(),
  kind: text('kind', { enum: ['text', 'system', 'edit', 'recall'] }).notNull(),
  body: text('body').notNull().default(''),
  clientMsgId: text('client_msg_id'),
  /** The message an edit or recall applies to. */
  refSeq: bigint('ref_seq', { mode: 'number' }),
  fileId: text('file_id'),
  data: jsonb('data'),
  editedAt: timestamp('edited_at', { withTimezone: true }),
  recalled: boolean('recalled').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.roomId, t.seq] })]);

export const MESSAGE_PARTITIONS = 16;
