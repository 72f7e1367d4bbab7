CREATE TYPE "public"."series_state" AS ENUM('live', 'ended');--> statement-breakpoint
ALTER TABLE "series" ADD COLUMN "state" "series_state" DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE "series" ADD COLUMN "followed_up_to" integer;--> statement-breakpoint
CREATE INDEX "series_live_idx" ON "series" USING btree ("id","followed_up_to") WHERE "series"."state" = 'live';--> statement-breakpoint
-- Existing series: every occurrence before the latest one has had its successor.
UPDATE "series" SET "followed_up_to" = "latest"."index" - 1 FROM (SELECT "series_id", max("occurrence_index") AS "index" FROM "tasks" WHERE "series_id" IS NOT NULL GROUP BY "series_id") AS "latest" WHERE "latest"."series_id" = "series"."id" AND "latest"."index" > 0;
