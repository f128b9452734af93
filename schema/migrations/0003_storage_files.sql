-- Hand-written (drizzle-kit has no words for partitioning); the table's drizzle definition is
-- schema/partitioned.ts, which drizzle-kit does not read.
-- File metadata, hash-partitioned by owner in 16 partitions like the seed's t_file_xx tables: one
-- user's files live in one partition. The primary key must contain the partition key, so it is
-- (owner_id, id); lookups by id alone use storage_files_id.
CREATE TABLE "storage_files" (
	"id" text NOT NULL,
	"owner_id" bigint NOT NULL,
	"group_name" text NOT NULL REFERENCES "storage_groups" ("name"),
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"content_type" text NOT NULL,
	"name" text NOT NULL DEFAULT '',
	"origin" text NOT NULL,
	"binlog_seq" bigint NOT NULL,
	"status" text NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'deleted')),
	"created_at" timestamp with time zone NOT NULL DEFAULT now(),
	"deleted_at" timestamp with time zone,
	PRIMARY KEY ("owner_id", "id")
) PARTITION BY HASH ("owner_id");--> statement-breakpoint
CREATE TABLE "storage_files_00" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 0);--> statement-breakpoint
CREATE TABLE "storage_files_01" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 1);--> statement-breakpoint
CREATE TABLE "storage_files_02" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 2);--> statement-breakpoint
CREATE TABLE "storage_files_03" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 3);--> statement-breakpoint
CREATE TABLE "storage_files_04" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 4);--> statement-breakpoint
CREATE TABLE "storage_files_05" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 5);--> statement-breakpoint
CREATE TABLE "storage_files_06" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 6);--> statement-breakpoint
CREATE TABLE "storage_files_07" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 7);--> statement-breakpoint
CREATE TABLE "storage_files_08" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 8);--> statement-breakpoint
CREATE TABLE "storage_files_09" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 9);--> statement-breakpoint
CREATE TABLE "storage_files_10" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 10);--> statement-breakpoint
CREATE TABLE "storage_files_11" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 11);--> statement-breakpoint
CREATE TABLE "storage_files_12" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 12);--> statement-breakpoint
CREATE TABLE "storage_files_13" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 13);--> statement-breakpoint
CREATE TABLE "storage_files_14" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 14);--> statement-breakpoint
CREATE TABLE "storage_files_15" PARTITION OF "storage_files" FOR VALUES WITH (MODULUS 16, REMAINDER 15);--> statement-breakpoint
CREATE INDEX "storage_files_id" ON "storage_files" USING btree ("id");--> statement-breakpoint
CREATE INDEX "storage_files_owner_created" ON "storage_files" USING btree ("owner_id", "created_at");
