import { subscription, type Subscription, type SubscriptionSpec } from '@taskstream/bus';
import type { Db } from '@taskstream/db';
import { TASK_LIFECYCLE_TYPES, TOPICS, type TaskLifecycleData, type TaskLifecycleType, type TaskSnapshot } from '@taskstream/events';
import { auditEntries } from './audit-schema.js';

/** Fields a person cares about in a history; bookkeeping fields are left out. */
const tracked = ['title', 'description', 'status', 'priority', 'tags', 'dueAt', 'timeZone', 'reminders', 'recurrence', 'completedAt'] as const;

export function changesOf(type: TaskLifecycleType, data: TaskLifecycleData): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const task: TaskSnapshot = data.task;
  if (type === 'task.created') {
    for (const f of tracked) if (task[f] !== null && !(Array.isArray(task[f]) && task[f].length === 0) && task[f] !== '') changes[f] = { from: null, to: task[f] };
    return changes;
  }
  if (type === 'task.deleted') return changes;
  for (const [field, from] of Object.entries(data.previous)) changes[field] = { from, to: (task as Record<string, unknown>)[field] ?? null };
  return changes;
}

/** Every task lifecycle event; a database error is retried with backoff, then dead-lettered. */
export const RECORD_TASK_HISTORY = {
  consumer: 'audit',
  topic: TOPICS.taskEvents,
  types: TASK_LIFECYCLE_TYPES,
  maxAttempts: 5,
} satisfies SubscriptionSpec<TaskLifecycleType>;

/** One append-only history entry per event; the unique event id makes redelivery a no-op. */
export function recordTaskHistory(db: Db): Subscription {
  return subscription(RECORD_TASK_HISTORY, async (event) => {
    await db
      .insert(auditEntries)
      .values({
        eventId: event.id,
        userId: event.data.userId,
        actorId: event.data.userId,
        taskId: event.data.taskId,
        taskTitle: event.data.task.title,
        action: event.type.replace('task.', ''),
        changes: changesOf(event.type, event.data),
        occurredAt: new Date(event.time),
      })
      .onConflictDoNothing({ target: auditEntries.eventId });
  });
}
