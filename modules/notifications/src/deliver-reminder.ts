import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { handleOnce, subscription, type Subscription, type SubscriptionSpec } from '@taskstream/bus';
import { newId, type Db, type Tx } from '@taskstream/db';
import { TOPICS, type CloudEvent, type ReminderDueData } from '@taskstream/events';
import { notifications } from './notification-schema.js';
import { recordNotificationChanged } from './notification-events.js';
import { notificationView } from './notification-view.js';
import { loadRecipient } from './recipient.js';
import { queueOutgoing } from './queue-outgoing.js';
import { reminderMessage } from './reminder-message.js';

/** reminder.due; a database error is retried with backoff, then dead-lettered. */
export const DELIVER_REMINDER = {
  consumer: 'notifications',
  topic: TOPICS.reminders,
  types: ['reminder.due'],
  maxAttempts: 5,
} satisfies SubscriptionSpec<'reminder.due'>;

export interface DeliverReminderDeps {
  db: Db;
  publicUrl: string;
  /** Which outgoing channels this deployment has (SMTP configured; Web Push keys). */
  channels: { email: boolean; push: boolean };
  /** Reminder emails one user may be sent in any hour; past it, in-app only. */
  emailPerUserPerHour: number;
  logger: Logger;
  now?: () => Date;
  /** Called after commit when email or push messages were queued. */
  onQueued?: () => void;
  /** Called after commit for each reminder delivered (not for a redelivery): seconds since it was due to ring. */
  onDelivered?: (latenessSeconds: number) => void;
}

/**
 * Honouring the user's channel preferences, in one transaction with the inbox row: the in-app
 * notification (or a snoozed one brought back) with notification.changed for the live channel,
 * and queued email (to a verified address, within the hourly limit) and Web Push deliveries (one
 * per device) that the delivery worker sends after commit.
 */
export function deliverReminder(deps: DeliverReminderDeps): Subscription {
  return subscription(DELIVER_REMINDER, async (event) => {
    let outcome = { delivered: false, queued: false } as Delivered;
    await handleOnce(deps.db, DELIVER_REMINDER.consumer, event.id, async (tx) => {
      outcome = await deliver(tx, event, deps);
    });
    if (outcome.queued) deps.onQueued?.();
    if (outcome.delivered) deps.onDelivered?.(outcome.latenessSeconds);
  });
}

type Delivered = { delivered: false; queued: false } | { delivered: true; queued: boolean; latenessSeconds: number };

async function deliver(tx: Tx, event: CloudEvent<'reminder.due', ReminderDueData>, deps: DeliverReminderDeps): Promise<Delivered> {
  const data = event.data;
  const recipient = await loadRecipient(tx, data.userId);
  if (!recipient) return { delivered: false, queued: false };
  const now = deps.now?.() ?? new Date();
  const message = reminderMessage(data, recipient.timeZone, deps.publicUrl);
  let notificationId = data.notificationId;
  if (recipient.wantsInApp) {
    const row = data.notificationId
      ? (await tx.update(notifications).set({ snoozedUntil: null, readAt: null }).where(and(eq(notifications.id, data.notificationId), eq(notifications.userId, data.userId))).returning())[0]
      : (
          await tx
            .insert(notifications)
            .values({ id: newId(), userId: data.userId, kind: 'reminder', taskId: data.taskId, reminderId: data.reminderId, title: message.title, body: message.body, dueAt: data.dueAt ? new Date(data.dueAt) : null, createdAt: now, sourceEventId: event.id })
            .returning()
        )[0];
    if (row) {
      notificationId = row.id;
      await recordNotificationChanged(tx, data.userId, 'created', [notificationView(row)], now);
    }
  }
  const rules = { channels: deps.channels, emailPerUserPerHour: deps.emailPerUserPerHour, logger: deps.logger };
  const queued = await queueOutgoing(tx, { eventId: event.id, userId: data.userId, recipient, message, tag: notificationId ?? data.reminderId, now }, rules);
  return { delivered: true, queued, latenessSeconds: Math.max(0, (now.getTime() - Date.parse(data.remindAt)) / 1000) };
}
