CREATE TABLE "actor_inbox" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"id" text NOT NULL,
	"seq" bigint NOT NULL,
	"reply" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "actor_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "actor_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"p" integer NOT NULL,
	"subject" text NOT NULL,
	"key" text NOT NULL,
	"body" jsonb NOT NULL,
	"origin" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "actor_partitions" (
	"p" integer PRIMARY KEY NOT NULL,
	"epoch" bigint NOT NULL,
	"applied_seq" bigint DEFAULT 0 NOT NULL,
	"holder" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "actor_state" (
	"kind" text NOT NULL,
	"id" text NOT NULL,
	"p" integer NOT NULL,
	"version" bigint NOT NULL,
	"epoch" bigint NOT NULL,
	"machine_version" integer NOT NULL,
	"state" jsonb NOT NULL,
	"deadline" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "actor_state_kind_id_pk" PRIMARY KEY("kind","id")
);
--> statement-breakpoint
CREATE INDEX "actor_inbox_at" ON "actor_inbox" USING btree ("at");--> statement-breakpoint
CREATE INDEX "actor_outbox_p" ON "actor_outbox" USING btree ("p");--> statement-breakpoint
CREATE INDEX "actor_state_deadline" ON "actor_state" USING btree ("p","deadline");