import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import { handleOnce, subscription, type Subscription, type SubscriptionSpec } from '@taskstream/bus';
import { newId, user, type Db, type Tx } from '@taskstream/db';
import { TASK_LIFECYCLE_TYPES, TOPICS, type CloudEvent, type TaskLifecycleData, type TaskLifecycleType } from '@taskstream/events';
import { reminderSchedules } from '../notification-schema.js';
import { REMINDER_CHANNEL } from './reminder-channel.js';

/** Every task lifecycle event; a database error is retried with backoff, then dead-lettered. */
export const SYNC_REMINDER_SCHEDULES = {
  consumer: 'notifications-schedules',
  topic: TOPICS.taskEvents,
  types: TASK_LIFECYCLE_TYPES,
  maxAttempts: 5,
} satisfies SubscriptionSpec<TaskLifecycleType>;

/**
 * The task's reminder schedules follow it — created with the task, moved when the due time or the
 * reminders change (a moved reminder fires again), cancelled when it is completed or deleted.
 * A reminder whose time had already passed when it was set is recorded as past, never fired late.
 * Idempotent through the inbox; an event older than what a row was synced from changes nothing.
 */
export function syncReminderSchedules(deps: { db: Db }): Subscription {
  return subscription(SYNC_REMINDER_SCHEDULES, async (event) => {
    await handleOnce(deps.db, SYNC_REMINDER_SCHEDULES.consumer, event.id, async (tx) => {
      await syncTask(tx, event);
    });
  });
}

/**
 * Tells the schedulers (NOTIFY, which every scheduler in every process listens to) only when a
 * pending instant appeared, moved or went away: most task changes touch no reminder, and each
 * needless wake-up is a claim transaction.
 */
async function syncTask(tx: Tx, event: CloudEvent<TaskLifecycleType, TaskLifecycleData>): Promise<void> {
  const { task, taskId, userId } = event.data;
  // The account was deleted after the change (its schedules went with it): nothing to follow.
  if ((await tx.select({ id: user.id }).from(user).where(eq(user.id, userId))).length === 0) return;
  // The task's schedule rows as the last sync left them: the version they follow, and their instants.
  const rows = await tx
    .select({ reminderId: reminderSchedules.reminderId, firesAt: reminderSchedules.firesAt, taskVersion: reminderSchedules.taskVersion, notificationId: reminderSchedules.notificationId })
    .from(reminderSchedules)
    .where(eq(reminderSchedules.taskId, taskId));
  if (rows.some((r) => r.taskVersion > task.version)) return;

  const pending = and(eq(reminderSchedules.taskId, taskId), isNull(reminderSchedules.firedAt));
  if (event.type === 'task.deleted' || task.status === 'completed') {
    const cancelled = await tx.delete(reminderSchedules).where(pending).returning({ id: reminderSchedules.id });
    if (cancelled.length > 0) await notifySchedulers(tx);
    return;
  }
  const wanted = task.reminders.flatMap((r) => (r.firesAt === null ? [] : [{ id: r.id, firesAt: new Date(r.firesAt) }]));
  // Reminders removed from the task (snoozes stay: they belong to a notification).
  const removed = await tx
    .delete(reminderSchedules)
    .where(and(pending, isNull(reminderSchedules.notificationId), wanted.length ? notInArray(reminderSchedules.reminderId, wanted.map((w) => w.id)) : undefined))
    .returning({ id: reminderSchedules.id });
  // Snoozes (rows of a notification) are not the task's reminders.
  const seen = new Map(rows.filter((r) => r.notificationId === null).map((r) => [r.reminderId, r]));
  const setAt = new Date(event.time);
  const moved =
    removed.length > 0 ||
    wanted.some((w) => {
      const b = seen.get(w.id);
      // A new reminder, or a new instant (a new instance: pending again unless already past).
      return !b || b.firesAt.getTime() !== w.firesAt.getTime();
    });
  for (const w of wanted) {
    const row = {
      id: newId(),
      reminderId: w.id,
      userId,
      taskId,
      title: task.title,
      dueAt: task.dueAt === null ? null : new Date(task.dueAt),
      occurrenceIndex: task.occurrenceIndex,
      firesAt: w.firesAt,
      taskVersion: task.version,
      firedAt: w.firesAt < setAt ? setAt : null,
    };
    await tx
      .insert(reminderSchedules)
      .values(row)
      .onConflictDoUpdate({
        target: reminderSchedules.reminderId,
        targetWhere: sql`${reminderSchedules.notificationId} is null`,
        set: {
          title: row.title,
          dueAt: row.dueAt,
          occurrenceIndex: row.occurrenceIndex,
          taskVersion: row.taskVersion,
          firesAt: row.firesAt,
          // Same instant: keep whether it fired. A new instant is a new reminder instance.
          firedAt: sql`case when ${reminderSchedules.firesAt} = excluded.fires_at then ${reminderSchedules.firedAt} else excluded.fired_at end`,
        },
      });
  }
  if (moved) await notifySchedulers(tx);
}

/** Delivered on commit: schedulers in every process re-read the next instant. */
export async function notifySchedulers(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_notify(${REMINDER_CHANNEL}, '')`);
}
