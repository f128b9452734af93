-- Hand-written (drizzle-kit has no words for partitioning); the table's drizzle definition is in
-- schema/partitioned.ts. Messages are hash-partitioned by room in 16 partitions, like TeamTalk's
-- IMMessage_x tables: one room's sequence lives in one partition.
CREATE TABLE "messages" (
	"room_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"sender_id" bigint NOT NULL,
	"kind" text NOT NULL CHECK ("kind" IN ('text', 'system', 'edit', 'recall')),
	"body" text NOT NULL DEFAULT '',
	"client_msg_id" text,
	"ref_seq" bigint,
	"file_id" text,
	"data" jsonb,
	"edited_at" timestamp with time zone,
	"recalled" boolean NOT NULL DEFAULT false,
	"created_at" timestamp with time zone NOT NULL,
	PRIMARY KEY ("room_id", "seq")
) PARTITION BY HASH ("room_id");--> statement-breakpoint
CREATE TABLE "messages_00" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 0);--> statement-breakpoint
CREATE TABLE "messages_01" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 1);--> statement-breakpoint
CREATE TABLE "messages_02" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 2);--> statement-breakpoint
CREATE TABLE "messages_03" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 3);--> statement-breakpoint
CREATE TABLE "messages_04" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 4);--> statement-breakpoint
CREATE TABLE "messages_05" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 5);--> statement-breakpoint
CREATE TABLE "messages_06" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 6);--> statement-breakpoint
CREATE TABLE "messages_07" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 7);--> statement-breakpoint
CREATE TABLE "messages_08" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 8);--> statement-breakpoint
CREATE TABLE "messages_09" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 9);--> statement-breakpoint
CREATE TABLE "messages_10" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 10);--> statement-breakpoint
CREATE TABLE "messages_11" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 11);--> statement-breakpoint
CREATE TABLE "messages_12" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 12);--> statement-breakpoint
CREATE TABLE "messages_13" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 13);--> statement-breakpoint
CREATE TABLE "messages_14" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 14);--> statement-breakpoint
CREATE TABLE "messages_15" PARTITION OF "messages" FOR VALUES WITH (MODULUS 16, REMAINDER 15);--> statement-breakpoint
-- a resend with the same client message id never makes a second message
CREATE UNIQUE INDEX "messages_client_id" ON "messages" USING btree ("room_id", "sender_id", "client_msg_id");
