import { z } from 'zod';
import { PRIORITIES } from '@taskstream/events';
import { HistoryEntry, RecurrenceSpec, ReminderSpec, sortFields, statuses, ToolTag, ToolTask } from './task-tools-port.js';

/** Input and output schemas of the task tools, shared by MCP (HTTP and stdio), the chat and the LLM. */

const TaskId = z.uuid({ error: 'must be a task id (a UUID) — list_tasks shows them' }).describe('task id');
const Title = z.string().trim().min(1, 'must not be empty').max(500);
const Tag = z.string().trim().min(1).max(40).refine((s) => !s.includes(','), 'must not contain a comma');
const DateTime = z.string().max(40).describe('ISO 8601 instant (2026-04-01T07:00:00Z) or local date-time (2026-04-01T09:00) in the task\'s zone');
const Instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant like 2026-04-01T00:00:00Z' });

export const AddTaskArgs = z.strictObject({
  title: Title,
  description: z.string().max(10_000).optional(),
  priority: z.enum(PRIORITIES).optional().describe('default medium'),
  tags: z.array(Tag).max(20).optional().describe('tag names; new ones are created'),
  dueAt: DateTime.optional(),
  timeZone: z.string().max(64).optional().describe('IANA zone; default the user\'s'),
  reminders: z.array(ReminderSpec).max(10).optional(),
  recurrence: RecurrenceSpec.optional().describe('needs dueAt: the first due date anchors the series'),
});

export const ListTasksArgs = z.strictObject({
  search: z.string().max(200).optional().describe('full-text search over title and description'),
  status: z.array(z.enum(statuses)).max(3).optional().describe('default: all statuses'),
  priority: z.array(z.enum(PRIORITIES)).max(4).optional(),
  tag: Tag.optional().describe('only tasks with this tag'),
  dueAfter: Instant.optional(),
  dueBefore: Instant.optional(),
  overdue: z.boolean().optional(),
  sort: z.enum(sortFields).optional().describe('default: relevance when searching, else dueAt'),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.int().min(1).max(200).default(20),
  cursor: z.string().max(500).optional(),
});

export const UpdateTaskArgs = z
  .strictObject({
    id: TaskId,
    title: Title.optional(),
    description: z.string().max(10_000).optional(),
    priority: z.enum(PRIORITIES).optional(),
    status: z.enum(statuses).optional(),
    tags: z.array(Tag).max(20).optional().describe('replaces the task\'s tags'),
    dueAt: DateTime.nullable().optional().describe('null clears the due date'),
    timeZone: z.string().max(64).optional(),
  })
  .refine((a) => Object.keys(a).length > 1, { message: 'give at least one field to change besides id' });

export const TaskIdArgs = z.strictObject({ id: TaskId });

export const SetReminderArgs = z.strictObject({
  id: TaskId,
  reminders: z.array(ReminderSpec).max(10).describe('relative ({offsetMinutes}) or absolute ({remindAt}) reminders'),
  replace: z.boolean().default(false).describe('true replaces the task\'s reminders (an empty list clears them); false adds'),
});

export const SetRecurrenceArgs = z.strictObject({
  id: TaskId,
  recurrence: RecurrenceSpec.nullable().describe('null stops the task repeating'),
});

export const NoArgs = z.strictObject({});

export const TaskResult = z.object({ task: ToolTask });
export const TaskListResult = z.object({ items: z.array(ToolTask), nextCursor: z.string().nullable() });
export const DeletedResult = z.object({ deleted: z.object({ id: z.string(), title: z.string() }) });
export const TagListResult = z.object({ items: z.array(ToolTag) });
export const HistoryResult = z.object({ items: z.array(HistoryEntry) });
