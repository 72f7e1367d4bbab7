import { z } from 'zod';
import { TaskSnapshot } from './task-snapshot.js';
import { TOPICS, type Topic } from './topics.js';

const Series = z.object({ seriesId: z.uuid(), occurrenceIndex: z.number().int().min(0) }).nullable();

/** Data of every task lifecycle event: the task after the change and what it was before. */
const TaskLifecycleData = z.object({
  taskId: z.uuid(),
  userId: z.string().min(1),
  task: TaskSnapshot,
  /** Changed fields with their previous values; empty for task.created. */
  previous: z.record(z.string(), z.unknown()),
  series: Series,
});

const TaskChangedData = z.object({
  userId: z.string().min(1),
  taskId: z.uuid(),
  operation: z.enum(['created', 'updated', 'completed', 'reopened', 'deleted']),
  /** The task to draw; null when it was deleted. */
  task: TaskSnapshot.nullable(),
});

const ReminderDueData = z.object({
  reminderId: z.uuid(),
  taskId: z.uuid(),
  userId: z.string().min(1),
  title: z.string(),
  dueAt: z.string().nullable(),
  remindAt: z.string(),
  occurrenceIndex: z.number().int().min(0).nullable(),
  /** Set when this is a snoozed notification coming back, rather than the task's own reminder. */
  notificationId: z.uuid().nullable().default(null),
});

/** An in-app notification as the API returns it and the real-time channel pushes it. */
export const NotificationView = z.object({
  id: z.uuid(),
  kind: z.enum(['reminder']),
  taskId: z.uuid().nullable(),
  title: z.string(),
  body: z.string(),
  /** The task's due instant when the notification was made, for display. */
  dueAt: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  /** While snoozed: when it will be shown again (a new reminder.due is scheduled for then). */
  snoozedUntil: z.string().nullable(),
});
export type NotificationView = z.infer<typeof NotificationView>;

const NotificationChangedData = z.object({
  userId: z.string().min(1),
  operation: z.enum(['created', 'read', 'snoozed']),
  notification: NotificationView,
  /** Unread notifications of this user after the change, so a badge redraws without a query. */
  unreadCount: z.number().int().min(0),
});

interface EventDefinition<TSchema extends z.ZodType> {
  topic: Topic;
  version: number;
  schema: TSchema;
}

const define = <TSchema extends z.ZodType>(topic: Topic, version: number, schema: TSchema): EventDefinition<TSchema> => ({ topic, version, schema });

/** The one catalog of event types: publishers and consumers import these same schemas. */
export const EVENT_CATALOG = {
  'task.created': define(TOPICS.taskEvents, 1, TaskLifecycleData),
  'task.updated': define(TOPICS.taskEvents, 1, TaskLifecycleData),
  'task.completed': define(TOPICS.taskEvents, 1, TaskLifecycleData),
  'task.reopened': define(TOPICS.taskEvents, 1, TaskLifecycleData),
  'task.deleted': define(TOPICS.taskEvents, 1, TaskLifecycleData),
  'task.changed': define(TOPICS.taskUpdates, 1, TaskChangedData),
  'reminder.due': define(TOPICS.reminders, 1, ReminderDueData),
  'notification.changed': define(TOPICS.notifications, 1, NotificationChangedData),
} as const;

export type EventType = keyof typeof EVENT_CATALOG;

/** The task lifecycle events on task-events, in one list for every consumer that follows tasks. */
export const TASK_LIFECYCLE_TYPES = ['task.created', 'task.updated', 'task.completed', 'task.reopened', 'task.deleted'] as const satisfies readonly EventType[];
export type TaskLifecycleType = (typeof TASK_LIFECYCLE_TYPES)[number];
export type EventData<T extends EventType> = z.infer<(typeof EVENT_CATALOG)[T]['schema']>;
export type TaskLifecycleData = z.infer<typeof TaskLifecycleData>;
export type TaskChangedData = z.infer<typeof TaskChangedData>;
export type ReminderDueData = z.infer<typeof ReminderDueData>;
export type NotificationChangedData = z.infer<typeof NotificationChangedData>;

export const isEventType = (type: string): type is EventType => Object.hasOwn(EVENT_CATALOG, type);

/** Identifies the schema and version of `data`; consumers check it before trusting the payload. */
export const dataSchemaOf = (type: EventType): string => `urn:taskstream:event:${type}:v${EVENT_CATALOG[type].version}`;
