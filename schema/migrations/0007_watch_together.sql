CREATE TABLE "library" (
	"file_id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"duration_ms" bigint DEFAULT 0 NOT NULL,
	"size" bigint NOT NULL,
	"content_type" text NOT NULL,
	"owner_id" bigint NOT NULL,
	"added_by" bigint NOT NULL,
	"group_name" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "watch_rooms" (
	"room_id" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"file_id" text,
	"title" text DEFAULT '' NOT NULL,
	"viewers" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "watch_viewers" (
	"room_id" text NOT NULL,
	"conn" text NOT NULL,
	"user_id" bigint NOT NULL,
	"gateway" text NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	CONSTRAINT "watch_viewers_room_id_conn_pk" PRIMARY KEY("room_id","conn")
);
--> statement-breakpoint
CREATE INDEX "library_title" ON "library" USING btree (lower("title"),"file_id");--> statement-breakpoint
CREATE INDEX "watch_rooms_updated" ON "watch_rooms" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "watch_viewers_gateway" ON "watch_viewers" USING btree ("gateway");