CREATE TABLE "id_segments" (
	"key" text PRIMARY KEY NOT NULL,
	"max_id" bigint NOT NULL,
	"step" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "storage_groups" (
	"name" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "storage_routes" (
	"user_id" bigint PRIMARY KEY NOT NULL,
	"group_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_connections" (
	"conn" text PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"gateway" text NOT NULL,
	"device" jsonb NOT NULL,
	"session_id" bigint NOT NULL,
	"connected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_presence" (
	"user_id" bigint PRIMARY KEY NOT NULL,
	"online" boolean NOT NULL,
	"devices" integer NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "actor_inbox" ADD COLUMN "epoch" bigint NOT NULL;--> statement-breakpoint
ALTER TABLE "storage_routes" ADD CONSTRAINT "storage_routes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "storage_routes" ADD CONSTRAINT "storage_routes_group_name_storage_groups_name_fk" FOREIGN KEY ("group_name") REFERENCES "public"."storage_groups"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_connections_user" ON "user_connections" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "user_connections_gateway" ON "user_connections" USING btree ("gateway");