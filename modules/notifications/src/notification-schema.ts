import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamptz, user } from '@taskstream/db';

const owner = () =>
  text('user_id')
    .notNull()
    .references(() => user.id, { onDelete: 'cascade' });

/**
 * When each reminder instance fires. Fed from task-events (the schedule follows its task) and by
 * snoozes. A row is pending while fired_at is null; the scheduler claims due rows and records
 * reminder.due in the same transaction, so an instance fires exactly once whoever claims it.
 */
export const reminderSchedules = pgTable(
  'reminder_schedules',
  {
    id: uuid('id').primaryKey(),
    /** The task's reminder; for a snooze, the reminder of the notification being snoozed. */
    reminderId: uuid('reminder_id').notNull(),
    /** Set for a snooze: the notification that comes back. */
    notificationId: uuid('notification_id'),
    userId: owner(),
    taskId: uuid('task_id').notNull(),
    title: text('title').notNull(),
    dueAt: timestamptz('due_at'),
    occurrenceIndex: integer('occurrence_index'),
    firesAt: timestamptz('fires_at').notNull(),
    /** The task version the row was last synced from; an older event never overwrites a newer one. */
    taskVersion: integer('task_version').notNull(),
    firedAt: timestamptz('fired_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reminder_schedules_reminder_idx').on(t.reminderId).where(sql`${t.notificationId} is null`),
    index('reminder_schedules_pending_idx').on(t.firesAt).where(sql`${t.firedAt} is null`),
    index('reminder_schedules_task_idx').on(t.taskId),
  ],
);

/** In-app notifications; the source event id makes creating one from an event idempotent. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    userId: owner(),
    kind: text('kind').notNull(),
    taskId: uuid('task_id'),
    reminderId: uuid('reminder_id'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    dueAt: timestamptz('due_at'),
    createdAt: timestamptz('created_at').notNull(),
    readAt: timestamptz('read_at'),
    snoozedUntil: timestamptz('snoozed_until'),
    sourceEventId: text('source_event_id').notNull().unique(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt, t.id),
    index('notifications_unread_idx').on(t.userId).where(sql`${t.readAt} is null and ${t.snoozedUntil} is null`),
  ],
);

/**
 * Outgoing email and push messages. Written with the notification, sent after commit by the
 * delivery worker, retried with backoff. Email is one row per event; push is one row per (event,
 * subscription), so each device has its own attempts and a device that accepted is never sent
 * the message again when another one fails. Both are unique, so a redelivered event sends nothing twice.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull(),
    userId: owner(),
    channel: text('channel', { enum: ['email', 'push'] }).notNull(),
    /** The device a push goes to; its pending messages go when it is unsubscribed or gone. */
    subscriptionId: uuid('subscription_id').references(() => pushSubscriptions.id, { onDelete: 'cascade' }),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    /** A worker's lease while it sends; a crashed worker's rows come back when it expires. */
    claimedUntil: timestamptz('claimed_until'),
    lastError: text('last_error'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    sentAt: timestamptz('sent_at'),
  },
  (t) => [
    uniqueIndex('notification_deliveries_event_channel_idx').on(t.eventId, t.channel).where(sql`${t.subscriptionId} is null`),
    uniqueIndex('notification_deliveries_event_subscription_idx').on(t.eventId, t.subscriptionId).where(sql`${t.subscriptionId} is not null`),
    index('notification_deliveries_pending_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    // The hourly email cap counts a user's recent email.
    index('notification_deliveries_user_email_idx').on(t.userId, t.createdAt).where(sql`${t.channel} = 'email'`),
  ],
);

/**
 * Browsers that asked for Web Push; removed when the push service says the endpoint is gone.
 * One row per (user, endpoint): two people signed in on one browser each keep their own, and
 * posting an endpoint someone else stored never takes theirs over.
 */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: uuid('id').primaryKey(),
    userId: owner(),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('push_subscriptions_user_endpoint_idx').on(t.userId, t.endpoint),
    // The per-user cap replaces the oldest.
    index('push_subscriptions_user_idx').on(t.userId, t.createdAt),
    // A gone endpoint is removed for everyone who had it.
    index('push_subscriptions_endpoint_idx').on(t.endpoint),
  ],
);

/** The server's VAPID key pair, made on first start so every replica signs with the same one. */
export const vapidKeys = pgTable(
  'vapid_keys',
  {
    id: smallint('id').primaryKey().default(1),
    publicKey: text('public_key').notNull(),
    privateKey: text('private_key').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [check('vapid_keys_singleton', sql`${t.id} = 1`)],
);
