import type { z } from 'zod';
import { describeList, describeTask } from './describe-task.js';
import { HistoryEntry, ToolTag, type ReminderSpec, type TaskToolsPort, type ToolTask } from './task-tools-port.js';
import {
  AddTaskArgs, DeletedResult, HistoryResult, ListTasksArgs, NoArgs, SetRecurrenceArgs, SetReminderArgs,
  TagListResult, TaskIdArgs, TaskListResult, TaskResult, UpdateTaskArgs,
} from './tool-schemas.js';
import type { UndoStep } from './undo-step.js';

export interface ToolOutcome {
  /** Matches the tool's output schema; MCP returns it as structuredContent. */
  structured: Record<string, unknown>;
  /** One plain sentence (or list) saying what happened. */
  summary: string;
  undo?: UndoStep;
}

export interface TaskTool<I extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: z.ZodObject;
  /** `now` is the caller's clock: summaries show a due date's year only when it is not now's. */
  run(port: TaskToolsPort, args: z.output<I>, now: Date): Promise<ToolOutcome>;
}

// Each tool is typed by its own schema; the list holds them under the common shape.
const tool = <I extends z.ZodType>(t: TaskTool<I>): TaskTool => t;

const taskOutcome = (task: ToolTask, summary: string, undo?: UndoStep): ToolOutcome => ({
  structured: { task },
  summary,
  ...(undo && { undo }),
});

function reminderKey(r: ReminderSpec | ToolTask['reminders'][number]): string {
  return 'offsetMinutes' in r && r.offsetMinutes != null ? `o${r.offsetMinutes}` : `a${'remindAt' in r ? new Date(r.remindAt ?? 0).getTime() : ''}`;
}

/** The reminders of a task as inputs, so a change can keep them. */
export function reminderInputs(task: ToolTask): ReminderSpec[] {
  return task.reminders.map((r) => (r.offsetMinutes != null ? { offsetMinutes: r.offsetMinutes } : { remindAt: r.remindAt ?? '' }));
}

export const TASK_TOOLS: TaskTool[] = [
  tool({
    name: 'add_task',
    title: 'Add a task',
    description: 'Create a task for the user, with optional due date, priority, tags, reminders and recurrence.',
    input: AddTaskArgs,
    output: TaskResult,
    async run(port, args, now) {
      const task = await port.addTask(args);
      return taskOutcome(task, `Added ${describeTask(task, port.timeZone, now)}.`, { op: 'delete', taskId: task.id });
    },
  }),
  tool({
    name: 'list_tasks',
    title: 'List tasks',
    description: 'List, filter, search and sort the user\'s tasks (status, priority, tag, due range, full-text search).',
    input: ListTasksArgs,
    output: TaskListResult,
    async run(port, { tag, ...args }, now) {
      const page = await port.listTasks({ ...args, ...(tag && { tags: [tag] }) });
      const summary = page.items.length === 0 ? 'No tasks match.' : `${page.items.length} task${page.items.length > 1 ? 's' : ''}:\n${describeList(page.items, port.timeZone, now)}`;
      return { structured: page, summary };
    },
  }),
  tool({
    name: 'update_task',
    title: 'Update a task',
    description: 'Change a task\'s title, description, priority, status, tags, due date (reschedule) or time zone.',
    input: UpdateTaskArgs,
    output: TaskResult,
    async run(port, { id, ...patch }, now) {
      const before = await port.getTask(id);
      const task = await port.updateTask(id, patch);
      return taskOutcome(task, `Updated ${describeTask(task, port.timeZone, now)}.`, { op: 'restore', before });
    },
  }),
  tool({
    name: 'complete_task',
    title: 'Complete a task',
    description: 'Mark a task completed. A recurring task then gets its next occurrence.',
    input: TaskIdArgs,
    output: TaskResult,
    async run(port, { id }) {
      const before = await port.getTask(id);
      const task = await port.completeTask(id);
      const already = before.status === 'completed';
      return taskOutcome(task, already ? `"${task.title}" was already completed.` : `Completed "${task.title}".`, already ? undefined : { op: 'reopen', taskId: id });
    },
  }),
  tool({
    name: 'reopen_task',
    title: 'Reopen a task',
    description: 'Mark a completed task open again.',
    input: TaskIdArgs,
    output: TaskResult,
    async run(port, { id }) {
      const before = await port.getTask(id);
      const task = await port.reopenTask(id);
      const already = before.status !== 'completed';
      return taskOutcome(task, already ? `"${task.title}" was already open.` : `Reopened "${task.title}".`, already ? undefined : { op: 'complete', taskId: id });
    },
  }),
  tool({
    name: 'delete_task',
    title: 'Delete a task',
    description: 'Delete a task with its reminders (its history stays).',
    input: TaskIdArgs,
    output: DeletedResult,
    async run(port, { id }) {
      const before = await port.getTask(id);
      await port.deleteTask(id);
      return { structured: { deleted: { id, title: before.title } }, summary: `Deleted "${before.title}".`, undo: { op: 'recreate', before } };
    },
  }),
  tool({
    name: 'set_reminder',
    title: 'Set reminders',
    description: 'Add reminders to a task (minutes before the due time, or at an instant), or replace them all (an empty list with replace clears them).',
    input: SetReminderArgs,
    output: TaskResult,
    async run(port, { id, reminders, replace }) {
      const before = await port.getTask(id);
      const kept = replace ? [] : reminderInputs(before);
      const next = [...kept, ...reminders.filter((r) => !kept.some((k) => reminderKey(k) === reminderKey(r)))];
      const task = await port.updateTask(id, { reminders: next });
      const summary = task.reminders.length === 0 ? `"${task.title}" has no reminders now.` : `"${task.title}" now has ${task.reminders.length} reminder${task.reminders.length > 1 ? 's' : ''}.`;
      return taskOutcome(task, summary, { op: 'restore', before });
    },
  }),
  tool({
    name: 'set_recurrence',
    title: 'Set recurrence',
    description: 'Make a task repeat (RRULE, preset or cron; from the due date or from completion), or stop it repeating with null.',
    input: SetRecurrenceArgs,
    output: TaskResult,
    async run(port, { id, recurrence }) {
      const before = await port.getTask(id);
      const task = await port.updateTask(id, { recurrence });
      const summary = task.recurrence ? `"${task.title}" now repeats ${task.recurrence.description}.` : `"${task.title}" no longer repeats.`;
      return taskOutcome(task, summary, { op: 'restore', before });
    },
  }),
  tool({
    name: 'list_tags',
    title: 'List tags',
    description: 'The user\'s tags with their colours and task counts.',
    input: NoArgs,
    output: TagListResult,
    async run(port) {
      // Only the documented fields: adapters may know more than the output schema allows.
      const items = (await port.listTags()).map((t) => ToolTag.parse(t));
      const summary = items.length === 0 ? 'You have no tags yet.' : `Your tags: ${items.map((t) => `#${t.name} (${t.openTaskCount} open)`).join(', ')}.`;
      return { structured: { items }, summary };
    },
  }),
  tool({
    name: 'get_task_history',
    title: 'Task history',
    description: 'What happened to a task, oldest first (kept after deletion).',
    input: TaskIdArgs,
    output: HistoryResult,
    async run(port, { id }) {
      const items = (await port.getTaskHistory(id)).map((e) => HistoryEntry.parse(e));
      const lines = items.map((e) => `${e.occurredAt.slice(0, 16).replace('T', ' ')} UTC: ${e.action}${Object.keys(e.changes).length && e.action === 'updated' ? ` (${Object.keys(e.changes).join(', ')})` : ''}`);
      return { structured: { items }, summary: items.length ? `History of "${items.at(-1)?.taskTitle}":\n${lines.join('\n')}` : 'No history yet.' };
    },
  }),
];

export function findTool(name: string): TaskTool | undefined {
  return TASK_TOOLS.find((t) => t.name === name);
}
