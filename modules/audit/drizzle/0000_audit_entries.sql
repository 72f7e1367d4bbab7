CREATE TABLE "audit_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"user_id" text NOT NULL,
	"actor_id" text NOT NULL,
	"task_id" uuid NOT NULL,
	"task_title" text NOT NULL,
	"action" text NOT NULL,
	"changes" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_entries_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE INDEX "audit_user_idx" ON "audit_entries" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "audit_task_idx" ON "audit_entries" USING btree ("task_id","id");