import { and, inArray, isNotNull, lt } from 'drizzle-orm';
import { inbox, type Db } from '@taskstream/db';
import { notificationDeliveries, reminderSchedules } from '@taskstream/notifications';

/**
 * Deletes bookkeeping older than the retention: inbox ids (an event that old is never redelivered),
 * finished email/push deliveries and fired reminder schedules. Domain data and history stay.
 */
export async function dailyCleanup(db: Db, retentionMs: number): Promise<{ inbox: number; deliveries: number; schedules: number }> {
  const cutoff = new Date(Date.now() - retentionMs);
  const inboxRows = await db.delete(inbox).where(lt(inbox.handledAt, cutoff)).returning({ id: inbox.eventId });
  const deliveries = await db
    .delete(notificationDeliveries)
    .where(and(inArray(notificationDeliveries.status, ['sent', 'failed']), lt(notificationDeliveries.createdAt, cutoff)))
    .returning({ id: notificationDeliveries.id });
  const schedules = await db
    .delete(reminderSchedules)
    .where(and(isNotNull(reminderSchedules.firedAt), lt(reminderSchedules.firedAt, cutoff)))
    .returning({ id: reminderSchedules.id });
  return { inbox: inboxRows.length, deliveries: deliveries.length, schedules: schedules.length };
}
