ALTER TABLE "push_subscriptions" DROP CONSTRAINT "push_subscriptions_endpoint_unique";--> statement-breakpoint
DROP INDEX "notification_deliveries_event_channel_idx";--> statement-breakpoint
DROP INDEX "push_subscriptions_user_idx";--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "subscription_id" uuid;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_subscription_id_push_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."push_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_event_subscription_idx" ON "notification_deliveries" USING btree ("event_id","subscription_id") WHERE "notification_deliveries"."subscription_id" is not null;--> statement-breakpoint
CREATE INDEX "notification_deliveries_user_email_idx" ON "notification_deliveries" USING btree ("user_id","created_at") WHERE "notification_deliveries"."channel" = 'email';--> statement-breakpoint
CREATE UNIQUE INDEX "push_subscriptions_user_endpoint_idx" ON "push_subscriptions" USING btree ("user_id","endpoint");--> statement-breakpoint
CREATE INDEX "push_subscriptions_endpoint_idx" ON "push_subscriptions" USING btree ("endpoint");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_event_channel_idx" ON "notification_deliveries" USING btree ("event_id","channel") WHERE "notification_deliveries"."subscription_id" is null;--> statement-breakpoint
CREATE INDEX "push_subscriptions_user_idx" ON "push_subscriptions" USING btree ("user_id","created_at");--> statement-breakpoint
-- Push messages queued before this migration were one row for all of a user's devices: give each device its own row.
INSERT INTO "notification_deliveries" ("event_id", "user_id", "channel", "subscription_id", "payload", "next_attempt_at", "created_at")
SELECT d."event_id", d."user_id", 'push', s."id", d."payload", d."next_attempt_at", d."created_at"
FROM "notification_deliveries" d JOIN "push_subscriptions" s ON s."user_id" = d."user_id"
WHERE d."channel" = 'push' AND d."status" = 'pending' AND d."subscription_id" IS NULL;--> statement-breakpoint
DELETE FROM "notification_deliveries" WHERE "channel" = 'push' AND "status" = 'pending' AND "subscription_id" IS NULL;
