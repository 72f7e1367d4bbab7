import { and, count, eq, gt } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Tx } from '@taskstream/db';
import type { EmailPayload, PushPayload } from './delivery/payloads.js';
import { notificationDeliveries, pushSubscriptions } from './notification-schema.js';
import type { Recipient } from './recipient.js';
import type { ReminderMessage } from './reminder-message.js';

export interface OutgoingRules {
  /** Which outgoing channels this deployment has (SMTP configured; Web Push keys). */
  channels: { email: boolean; push: boolean };
  /** Reminder emails one user may be sent in any hour (EMAIL_MAX_PER_USER_PER_HOUR); past it, in-app only. */
  emailPerUserPerHour: number;
  logger: Logger;
}

export interface Outgoing {
  eventId: string;
  userId: string;
  recipient: Recipient;
  message: ReminderMessage;
  /** Groups a reminder's pushes on a device (the notification, else the reminder). */
  tag: string;
  now: Date;
}

type DeliveryRow = typeof notificationDeliveries.$inferInsert;

/**
 * Queues a reminder's email and Web Push messages, in the caller's transaction: one email row,
 * one push row per subscribed device. Returns whether anything was queued.
 */
export async function queueOutgoing(tx: Tx, o: Outgoing, rules: OutgoingRules): Promise<boolean> {
  const rows = [...(await emailRows(tx, o, rules)), ...(await pushRows(tx, o, rules))];
  if (rows.length === 0) return false;
  await tx.insert(notificationDeliveries).values(rows).onConflictDoNothing();
  return true;
}

async function emailRows(tx: Tx, o: Outgoing, rules: OutgoingRules): Promise<DeliveryRow[]> {
  if (!o.recipient.wantsEmail || !rules.channels.email) return [];
  if (!o.recipient.emailVerified) {
    rules.logger.info({ userId: o.userId, eventId: o.eventId }, 'reminder email not sent: the address is not verified');
    return [];
  }
  const hourAgo = new Date(o.now.getTime() - 3600_000);
  const [recent] = await tx
    .select({ n: count() })
    .from(notificationDeliveries)
    .where(and(eq(notificationDeliveries.userId, o.userId), eq(notificationDeliveries.channel, 'email'), gt(notificationDeliveries.createdAt, hourAgo)));
  if ((recent?.n ?? 0) >= rules.emailPerUserPerHour) {
    rules.logger.warn({ userId: o.userId, eventId: o.eventId, limit: rules.emailPerUserPerHour }, 'reminder email not sent: the user reached the hourly email limit (in-app only)');
    return [];
  }
  const { title, body, url } = o.message;
  const payload: EmailPayload = { to: o.recipient.email, subject: `Reminder: ${title}`, text: `${title}\n${body}\n\nOpen it in Taskstream: ${url}\n` };
  return [{ eventId: o.eventId, userId: o.userId, channel: 'email', payload, nextAttemptAt: o.now, createdAt: o.now }];
}

async function pushRows(tx: Tx, o: Outgoing, rules: OutgoingRules): Promise<DeliveryRow[]> {
  if (!o.recipient.wantsPush || !rules.channels.push) return [];
  const devices = await tx.select({ id: pushSubscriptions.id }).from(pushSubscriptions).where(eq(pushSubscriptions.userId, o.userId));
  const payload: PushPayload = { ...o.message, tag: o.tag };
  return devices.map((d) => ({ eventId: o.eventId, userId: o.userId, channel: 'push' as const, subscriptionId: d.id, payload, nextAttemptAt: o.now, createdAt: o.now }));
}
