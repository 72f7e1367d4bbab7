import { and, count, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@taskstream/db';
import type { NotificationView } from '@taskstream/events';
import { notifications } from './notification-schema.js';

type NotificationRow = typeof notifications.$inferSelect;

export function notificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    kind: 'reminder',
    taskId: row.taskId,
    title: row.title,
    body: row.body,
    dueAt: row.dueAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    snoozedUntil: row.snoozedUntil?.toISOString() ?? null,
  };
}

/** Unread and not snoozed away: what the bell counts. */
export const isUnread = (userId: string) => and(eq(notifications.userId, userId), isNull(notifications.readAt), isNull(notifications.snoozedUntil));

export async function unreadCount(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(notifications).where(isUnread(userId));
  return row?.n ?? 0;
}
