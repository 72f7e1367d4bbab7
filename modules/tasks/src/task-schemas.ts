import { z } from 'zod';
import { PRIORITIES, TaskSnapshot } from '@taskstream/events';

export const TASK_LIMITS = {
  title: 500,
  description: 10_000,
  reminders: 10,
  tags: 20,
  tagName: 40,
  pageSize: 200,
} as const;

export const statuses = ['open', 'in_progress', 'completed'] as const;
export const sortFields = ['dueAt', 'priority', 'createdAt', 'updatedAt', 'title'] as const;

export const Priority = z.enum(PRIORITIES);
export const Status = z.enum(statuses);

const title = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(TASK_LIMITS.title, `must be at most ${TASK_LIMITS.title} characters`);
const description = z
  .string()
  .max(TASK_LIMITS.description, `must be at most ${TASK_LIMITS.description} characters`);
export const TagName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(TASK_LIMITS.tagName, `must be at most ${TASK_LIMITS.tagName} characters`)
  .refine((s) => !s.includes(','), 'must not contain a comma (commas separate tags in filters)');
export const Color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c')
  .transform((s) => s.toLowerCase());
export const TimeZone = z.string().min(1).max(64).describe('IANA time zone, e.g. Europe/Berlin');
const DateTimeText = z
  .string()
  .max(40)
  .describe('ISO 8601 instant, or a local date-time (no offset) read in the task\'s time zone');

export const ReminderInput = z
  .strictObject({
    remindAt: DateTimeText.optional(),
    offsetMinutes: z
      .int()
      .min(0)
      .max(525_600, 'must be at most 525600 (one year)')
      .optional()
      .describe('minutes before the due time'),
  })
  .refine((r) => (r.remindAt === undefined) !== (r.offsetMinutes === undefined), {
    message: 'give exactly one of remindAt or offsetMinutes',
  });

export const RecurrenceInput = z.strictObject({
  rule: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(500)
    .describe('an RRULE (FREQ=WEEKLY;BYDAY=MO,FR), a preset (daily, weekdays, weekly, monthly, yearly) or a 5-field cron expression'),
  repeatFrom: z.enum(['due', 'completion']).default('due'),
  count: z.int().min(1).max(1000).optional().describe('end after this many occurrences'),
  until: DateTimeText.optional().describe('end at this instant'),
});

const taskFields = {
  title,
  description,
  status: Status,
  priority: Priority,
  tags: z.array(TagName).max(TASK_LIMITS.tags, `at most ${TASK_LIMITS.tags} tags`),
  dueAt: DateTimeText.nullable(),
  timeZone: TimeZone,
  reminders: z.array(ReminderInput).max(TASK_LIMITS.reminders, `at most ${TASK_LIMITS.reminders} reminders`),
  recurrence: RecurrenceInput.nullable(),
};

export const CreateTaskInput = z.strictObject({
  title: taskFields.title,
  description: taskFields.description.default(''),
  status: taskFields.status.default('open'),
  priority: taskFields.priority.default('medium'),
  tags: taskFields.tags.default([]),
  dueAt: taskFields.dueAt.optional(),
  timeZone: taskFields.timeZone.optional().describe('defaults to the user\'s time zone'),
  reminders: taskFields.reminders.default([]),
  recurrence: taskFields.recurrence.optional(),
});
export type CreateTaskInput = z.infer<typeof CreateTaskInput>;

export const UpdateTaskInput = z
  .strictObject({
    title: taskFields.title.optional(),
    description: taskFields.description.optional(),
    status: taskFields.status.optional(),
    priority: taskFields.priority.optional(),
    tags: taskFields.tags.optional(),
    dueAt: taskFields.dueAt.optional(),
    timeZone: taskFields.timeZone.optional(),
    reminders: taskFields.reminders.optional(),
    recurrence: taskFields.recurrence.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one field to change' });
export type UpdateTaskInput = z.infer<typeof UpdateTaskInput>;

const bool = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .transform((v) => v === 'true');
const commaList = <T extends z.ZodType<unknown, string>>(item: T, max = 50) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(max));

export const ListTasksQuery = z.strictObject({
  q: z.string().max(200).optional().describe('full-text search, websearch syntax; words match as prefixes'),
  status: commaList(Status).optional(),
  priority: commaList(Priority).optional(),
  tags: commaList(z.string().trim().min(1).max(TASK_LIMITS.tagName)).optional(),
  tagMode: z.enum(['any', 'all']).default('any'),
  dueAfter: z.iso.datetime({ offset: true }).optional(),
  dueBefore: z.iso.datetime({ offset: true }).optional(),
  overdue: bool.optional(),
  recurring: bool.optional(),
  hasReminders: bool.optional(),
  sort: z.enum(sortFields).optional().describe('default: relevance with q, else dueAt'),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(TASK_LIMITS.pageSize).default(50),
  // A title-sorted cursor carries the (lowercased) title, up to 500 characters of it, base64-encoded.
  cursor: z.string().max(4096).optional(),
});
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

export const CreateTagInput = z.strictObject({ name: TagName, color: Color.optional() });
export const UpdateTagInput = z
  .strictObject({ name: TagName.optional(), color: Color.optional() })
  .refine((p) => p.name !== undefined || p.color !== undefined, { message: 'give name or color' });
export type CreateTagInput = z.infer<typeof CreateTagInput>;
export type UpdateTagInput = z.infer<typeof UpdateTagInput>;

// Responses

/** The API's view of a task is exactly what events carry, so a client can redraw from either. */
export const TaskView = TaskSnapshot;
export type TaskView = z.infer<typeof TaskView>;
export const TaskPage = z.object({ items: z.array(TaskView), nextCursor: z.string().nullable() });
export type TaskPage = z.infer<typeof TaskPage>;

export const TagView = z.object({
  id: z.uuid(),
  name: z.string(),
  color: z.string(),
  taskCount: z.number(),
  openTaskCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TagView = z.infer<typeof TagView>;
