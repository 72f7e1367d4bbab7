import { appendToOutbox } from '@taskstream/bus';
import type { DbOrTx } from '@taskstream/db';
import { createEvent, topicOf, type TaskChangedData, type TaskLifecycleType } from '@taskstream/events';
import { activeTraceparent } from '@taskstream/telemetry';
import type { Actor } from './context.js';
import type { TaskView } from './task-schemas.js';

export const EVENT_SOURCE = 'taskstream/api';

const operations: Record<TaskLifecycleType, TaskChangedData['operation']> = {
  'task.created': 'created',
  'task.updated': 'updated',
  'task.completed': 'completed',
  'task.reopened': 'reopened',
  'task.deleted': 'deleted',
};

/** Bookkeeping fields change on every write; they are not "what changed". */
const ignored = new Set<keyof TaskView>(['updatedAt', 'version']);

/** The fields that differ, with their values before the change. */
export function previousValues(before: TaskView | null, after: TaskView): Record<string, unknown> {
  if (!before) return {};
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof TaskView)[]) {
    if (!ignored.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key];
  }
  return previous;
}

/** The lifecycle event a change is: a status change into or out of completed is its own type. */
export function lifecycleOf(before: TaskView, after: TaskView): TaskLifecycleType {
  if (before.status !== 'completed' && after.status === 'completed') return 'task.completed';
  if (before.status === 'completed' && after.status !== 'completed') return 'task.reopened';
  return 'task.updated';
}

/**
 * Records, in the caller's transaction, the lifecycle event (task-events) and the redraw event
 * (task-updates) for one change. Subject is the task, partition key the user.
 */
export async function recordTaskEvents(
  tx: DbOrTx,
  actor: Actor,
  type: TaskLifecycleType,
  before: TaskView | null,
  after: TaskView,
  now: Date,
): Promise<void> {
  const options = { source: EVENT_SOURCE, subject: after.id, partitionKey: actor.userId, traceparent: actor.traceparent ?? activeTraceparent(), time: now };
  const series = after.seriesId !== null && after.occurrenceIndex !== null ? { seriesId: after.seriesId, occurrenceIndex: after.occurrenceIndex } : null;
  const lifecycle = createEvent(type, { taskId: after.id, userId: actor.userId, task: after, previous: previousValues(before, after), series }, options);
  const deleted = type === 'task.deleted';
  const changed = createEvent(
    'task.changed',
    { userId: actor.userId, taskId: after.id, operation: operations[type], task: deleted ? null : after },
    options,
  );
  await appendToOutbox(tx, [
    { topic: topicOf(type), event: lifecycle },
    { topic: topicOf('task.changed'), event: changed },
  ]);
}
