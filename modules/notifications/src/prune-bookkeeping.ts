import { and, inArray, isNotNull, lt } from 'drizzle-orm';
import type { Db } from '@taskstream/db';
import { notificationDeliveries, reminderSchedules } from './notification-schema.js';

/**
 * Deletes this service's bookkeeping older than `cutoff`: finished email/push deliveries and
 * fired reminder schedules. Notifications themselves stay.
 */
export async function pruneNotificationBookkeeping(db: Db, cutoff: Date): Promise<{ deliveries: number; schedules: number }> {
  const deliveries = await db
    .delete(notificationDeliveries)
    .where(and(inArray(notificationDeliveries.status, ['sent', 'failed']), lt(notificationDeliveries.createdAt, cutoff)))
    .returning({ id: notificationDeliveries.id });
  const schedules = await db
    .delete(reminderSchedules)
    .where(and(isNotNull(reminderSchedules.firedAt), lt(reminderSchedules.firedAt, cutoff)))
    .returning({ id: reminderSchedules.id });
  return { deliveries: deliveries.length, schedules: schedules.length };
}
