import { appendToOutbox } from '@taskstream/bus';
import type { DbOrTx } from '@taskstream/db';
import { createEvent, topicOf, type NotificationChangedData, type NotificationView } from '@taskstream/events';
import { unreadCount } from './notification-view.js';

export const NOTIFICATIONS_SOURCE = 'taskstream/notifications';

/** Records notification.changed in the caller's transaction, with the user's unread count after it. */
export async function recordNotificationChanged(
  tx: DbOrTx,
  userId: string,
  operation: NotificationChangedData['operation'],
  notification: NotificationView,
  now: Date,
): Promise<void> {
  const event = createEvent(
    'notification.changed',
    { userId, operation, notification, unreadCount: await unreadCount(tx, userId) },
    { source: NOTIFICATIONS_SOURCE, subject: notification.id, partitionKey: userId, time: now },
  );
  await appendToOutbox(tx, [{ topic: topicOf('notification.changed'), event }]);
}
