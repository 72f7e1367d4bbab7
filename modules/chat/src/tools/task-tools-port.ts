import { z } from 'zod';
import { TaskSnapshot, type Priority } from '@taskstream/events';

/*
 * What the chat module needs from the task system, in plain types. The API wires an
 * adapter over the tasks and audit modules (the same commands as REST, so the same
 * events); the stdio MCP server wires one over the REST API. Each adapter is bound
 * to one signed-in user, so every call acts for that user only.
 */

export const ToolTask = TaskSnapshot;
export type ToolTask = z.infer<typeof ToolTask>;

export const statuses = ['open', 'in_progress', 'completed'] as const;
export const sortFields = ['dueAt', 'priority', 'createdAt', 'updatedAt', 'title'] as const;

export const ReminderSpec = z.union([
  z.strictObject({ offsetMinutes: z.int().min(0).max(525_600).describe('minutes before the due time') }),
  z.strictObject({ remindAt: z.string().max(40).describe('ISO 8601 instant, or a local date-time in the task\'s zone') }),
]);
export type ReminderSpec = z.infer<typeof ReminderSpec>;

export const RecurrenceSpec = z.strictObject({
  rule: z.string().trim().min(1).max(500).describe('RRULE body (FREQ=WEEKLY;BYDAY=MO), preset (daily, weekdays, weekly, monthly, yearly) or 5-field cron'),
  repeatFrom: z.enum(['due', 'completion']).default('due'),
  count: z.int().min(1).max(1000).optional().describe('end after this many occurrences'),
  until: z.string().max(40).optional().describe('end at this instant'),
});
export type RecurrenceSpec = z.infer<typeof RecurrenceSpec>;

export interface NewTask {
  title: string;
  description?: string;
  priority?: Priority;
  tags?: string[];
  dueAt?: string | null;
  timeZone?: string;
  reminders?: ReminderSpec[];
  recurrence?: RecurrenceSpec | null;
}

export interface TaskPatch extends Partial<NewTask> {
  status?: (typeof statuses)[number];
}

export interface TaskQuery {
  search?: string;
  status?: Array<(typeof statuses)[number]>;
  priority?: Array<Priority>;
  tags?: string[];
  dueAfter?: string;
  dueBefore?: string;
  overdue?: boolean;
  sort?: (typeof sortFields)[number];
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

/** A query as the parameters of GET /api/tasks (unset fields left out), so adapters read it with the REST route's own schema. */
export function taskQueryParams(q: TaskQuery): Record<string, string> {
  const raw = {
    q: q.search, status: q.status?.join(','), priority: q.priority?.join(','), tags: q.tags?.join(','),
    dueAfter: q.dueAfter, dueBefore: q.dueBefore, overdue: q.overdue?.toString(), sort: q.sort, order: q.order,
    limit: q.limit?.toString(), cursor: q.cursor,
  };
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => e[1] !== undefined));
}

export const ToolTag = z.object({ name: z.string(), color: z.string(), taskCount: z.number(), openTaskCount: z.number() });
export type ToolTag = z.infer<typeof ToolTag>;

export const HistoryEntry = z.object({
  action: z.enum(['created', 'updated', 'completed', 'reopened', 'deleted']),
  taskTitle: z.string(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  occurredAt: z.string(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export interface TaskToolsPort {
  /** The user's IANA zone: relative dates ("tomorrow") are read in it. */
  readonly timeZone: string;
  addTask(input: NewTask): Promise<ToolTask>;
  listTasks(query: TaskQuery): Promise<{ items: ToolTask[]; nextCursor: string | null }>;
  getTask(id: string): Promise<ToolTask>;
  updateTask(id: string, patch: TaskPatch): Promise<ToolTask>;
  completeTask(id: string): Promise<ToolTask>;
  reopenTask(id: string): Promise<ToolTask>;
  deleteTask(id: string): Promise<void>;
  listTags(): Promise<ToolTag[]>;
  getTaskHistory(id: string): Promise<HistoryEntry[]>;
}

/** A failure the caller can act on (unknown task, invalid value); adapters translate theirs into it. */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: 'not_found' | 'validation' | 'conflict' | 'unavailable' = 'validation',
  ) {
    super(message);
    this.name = 'ToolError';
  }
}
