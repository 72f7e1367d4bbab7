import { appendToOutbox } from '@taskstream/bus';
import type { DbOrTx } from '@taskstream/db';
import { createEvent, topicOf, type NotificationChangedData, type NotificationView } from '@taskstream/events';
import { unreadCount } from './notification-view.js';

export const NOTIFICATIONS_SOURCE = 'taskstream/notifications';

/**
 * Records notification.changed for each notification in the caller's transaction, with the
 * user's unread count after the change (counted once: one change of several notifications, such
 * as read-all, is one count and one outbox write).
 */
export async function recordNotificationChanged(
  tx: DbOrTx,
  userId: string,
  operation: NotificationChangedData['operation'],
  changed: readonly NotificationView[],
  now: Date,
): Promise<void> {
  if (changed.length === 0) return;
  const count = await unreadCount(tx, userId);
  const events = changed.map((notification) => ({
    topic: topicOf('notification.changed'),
    event: createEvent('notification.changed', { userId, operation, notification, unreadCount: count }, { source: NOTIFICATIONS_SOURCE, subject: notification.id, partitionKey: userId, time: now }),
  }));
  await appendToOutbox(tx, events);
}
