import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { newId, type Db } from '@taskstream/db';
import type { NotificationView } from '@taskstream/events';
import { notifications, reminderSchedules } from './notification-schema.js';
import { recordNotificationChanged } from './notification-events.js';
import { isUnread, notificationView } from './notification-view.js';
import { notifySchedulers } from './schedules/sync-reminder-schedules.js';

export const SnoozeInput = z.strictObject({
  minutes: z.int().min(1).max(7 * 24 * 60).describe('remind again after this many minutes (1 minute to 7 days)'),
});
export type SnoozeInput = z.infer<typeof SnoozeInput>;

const own = (userId: string, id: string) => and(eq(notifications.id, id), eq(notifications.userId, userId));

/** Marks one notification read; null when the user has no such notification. Reading twice changes nothing. */
export async function markNotificationRead(db: Db, userId: string, id: string, now: Date): Promise<NotificationView | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.update(notifications).set({ readAt: now }).where(and(own(userId, id), isNull(notifications.readAt))).returning();
    if (row) {
      const view = notificationView(row);
      await recordNotificationChanged(tx, userId, 'read', [view], now);
      return view;
    }
    const [existing] = await tx.select().from(notifications).where(own(userId, id));
    return existing ? notificationView(existing) : null;
  });
}

/** Marks every unread notification read; returns how many changed. */
export async function markAllNotificationsRead(db: Db, userId: string, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.update(notifications).set({ readAt: now }).where(isUnread(userId)).returning();
    await recordNotificationChanged(tx, userId, 'read', rows.map(notificationView), now);
    return rows.length;
  });
}

/**
 * Hides the notification and schedules it to come back in N minutes: a reminder schedule of its
 * own, fired by the same scheduler, so it comes back exactly once even with several replicas.
 * Snoozing again replaces the pending snooze.
 */
export async function snoozeNotification(db: Db, userId: string, id: string, input: SnoozeInput, now: Date): Promise<NotificationView | null> {
  return db.transaction(async (tx) => {
    const until = new Date(now.getTime() + input.minutes * 60_000);
    const [row] = await tx.update(notifications).set({ snoozedUntil: until, readAt: null }).where(own(userId, id)).returning();
    if (!row) return null;
    await tx.delete(reminderSchedules).where(and(eq(reminderSchedules.notificationId, id), isNull(reminderSchedules.firedAt)));
    await tx.insert(reminderSchedules).values({
      id: newId(),
      reminderId: row.reminderId ?? row.id,
      notificationId: row.id,
      userId,
      taskId: row.taskId ?? row.id,
      title: row.title,
      dueAt: row.dueAt,
      occurrenceIndex: null,
      firesAt: until,
      taskVersion: 0,
    });
    await notifySchedulers(tx);
    const view = notificationView(row);
    await recordNotificationChanged(tx, userId, 'snoozed', [view], now);
    return view;
  });
}
