import type { Db } from '@taskstream/db';
import type { CloudEvent, TaskLifecycleData, TaskLifecycleType, TaskSnapshot } from '@taskstream/events';
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

/**
 * Handles: task.created, task.updated, task.completed, task.reopened, task.deleted (task-events).
 * Effect: one append-only history entry per event; the unique event id makes redelivery a no-op.
 * Retry: database errors throw and the bus retries with backoff, then dead-letters.
 */
export function recordTaskHistoryHandler(db: Db) {
  return async (event: CloudEvent<TaskLifecycleType, TaskLifecycleData>): Promise<void> => {
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
  };
}
