// The API's own schemas are the source of these types; type-only imports add nothing to the bundle.
// Bodies and queries are the schemas' z.input (what a client sends, before defaults and transforms),
// answers their z.infer (what the server sends back).
import type { z } from 'zod';
import type { AuditEntryView, AuditPage as AuditPageSchema, ActivityQuery as ActivityQuerySchema } from '@taskstream/audit';
import type { NotificationChangedData, NotificationView, TaskChangedData } from '@taskstream/events';
import type {
  NotificationPage as NotificationPageSchema,
  NotificationQuery as NotificationQuerySchema,
  PushSubscriptionInput as PushSubscriptionSchema,
  SnoozeInput as SnoozeSchema,
} from '@taskstream/notifications';
import type {
  CreateTagInput as CreateTagSchema,
  CreateTaskInput as CreateTaskSchema,
  ListTasksQuery as ListTasksSchema,
  MeView,
  RecurrenceInput as RecurrenceSchema,
  ReminderInput as ReminderSchema,
  TagView,
  TaskPage as TaskPageSchema,
  TaskView,
  UpdateMeInput as UpdateMeSchema,
  UpdateTagInput as UpdateTagSchema,
  UpdateTaskInput as UpdateTaskSchema,
} from '@taskstream/tasks';

export type Task = TaskView;
export type TaskPage = z.infer<typeof TaskPageSchema>;
export type Tag = TagView;
export type Me = MeView;
export type AuditEntry = AuditEntryView;
export type AuditPage = z.infer<typeof AuditPageSchema>;
export type Notification = NotificationView;
export type NotificationPage = z.infer<typeof NotificationPageSchema>;
export type { TaskChangedData, NotificationChangedData };

export { PRIORITIES, type Priority } from '@taskstream/events/priorities';
export type Status = Task['status'];

/** A query string's fields; z.coerce.number() types its input as unknown, and the UI sends a number. */
type QueryInput<S extends z.ZodType> = { [K in keyof z.input<S>]: unknown extends z.input<S>[K] ? number | undefined : z.input<S>[K] };

export type CreateTaskInput = z.input<typeof CreateTaskSchema>;
export type UpdateTaskInput = z.input<typeof UpdateTaskSchema>;
export type ReminderInput = z.input<typeof ReminderSchema>;
export type RecurrenceInput = z.input<typeof RecurrenceSchema>;
export type TaskQuery = QueryInput<typeof ListTasksSchema>;
export type ActivityQuery = QueryInput<typeof ActivityQuerySchema>;
export type CreateTagInput = z.input<typeof CreateTagSchema>;
export type UpdateTagInput = z.input<typeof UpdateTagSchema>;
export type UpdateMeInput = z.input<typeof UpdateMeSchema>;
export type NotificationQuery = QueryInput<typeof NotificationQuerySchema>;
export type SnoozeInput = z.input<typeof SnoozeSchema>;
export type PushSubscriptionInput = z.input<typeof PushSubscriptionSchema>;

// The server declares these inline in its routes or in Better Auth (no exported schema to derive them from).

/** GET /api/tags: every tag on one page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** GET /api/recurrence/preview's query. */
export interface RecurrencePreviewQuery {
  rule: string;
  zone?: string;
  start?: string;
  count?: number;
  repeatFrom?: 'due' | 'completion';
  until?: string;
  ruleCount?: number;
}

/** GET /api/recurrence/preview: the next occurrences of a rule and a sentence describing it. */
export interface RecurrencePreview {
  kind: 'rrule' | 'cron';
  rule: string;
  zone: string;
  occurrences: string[];
  description: string;
}

export interface SignUpInput {
  name: string;
  email: string;
  password: string;
  timeZone: string;
}

export interface SignInInput {
  email: string;
  password: string;
}
