import { parseQuickAdd } from '../quick-add/index.js';
import { addDays, instantOf, wallOf } from '@taskstream/time';
import { formatInZone } from '../quick-add/format-in-zone.js';
import { runTool, type ToolCallRecord } from '../tools/run-tool.js';
import type { TaskToolsPort, ToolTask } from '../tools/task-tools-port.js';
import type { Intent } from './intent.js';

export type TaskIntent = Extract<Intent, { ref: unknown }>;

export interface ActionContext {
  port: TaskToolsPort;
  now: Date;
  zone: string;
}

export interface ActionResult {
  reply: string;
  toolCalls: ToolCallRecord[];
}

const say = (reply: string, toolCalls: ToolCallRecord[] = []): ActionResult => ({ reply, toolCalls });

/** Runs one tool; the reply is `ok` when it worked and says why when it did not. */
async function call(ctx: ActionContext, name: string, args: Record<string, unknown>, ok: (record: ToolCallRecord) => string): Promise<ActionResult> {
  const record = await runTool(ctx.port, name, args, ctx.now);
  return say(record.ok ? ok(record) : `I couldn't do that: ${record.summary}`, [record]);
}

const resultTask = (record: ToolCallRecord) => record.result?.task as ToolTask;

function dueAtOf(ctx: ActionContext, when: string): string | null {
  return parseQuickAdd(`x ${when}`, { now: ctx.now, timeZone: ctx.zone }).dueAt;
}

/** "2 days", "a week", "3 hours" later than the task's due time (calendar days keep the wall-clock time). */
function postponed(ctx: ActionContext, due: string, by: string): string | null {
  const m = /^(\d{1,3}|an?|one|two|three)\s*(minutes?|mins?|hours?|hrs?|days?|weeks?)$/i.exec(by.trim());
  if (!m) return null;
  const n = ({ a: 1, an: 1, one: 1, two: 2, three: 3 } as Record<string, number>)[m[1]!.toLowerCase()] ?? Number(m[1]);
  const unit = m[2]!.toLowerCase();
  if (unit.startsWith('m') || unit.startsWith('h')) {
    return new Date(new Date(due).getTime() + n * (unit.startsWith('h') ? 3_600_000 : 60_000)).toISOString();
  }
  const days = unit.startsWith('w') ? 7 * n : n;
  return instantOf(addDays(wallOf(new Date(due), ctx.zone), days), ctx.zone).toISOString();
}

async function reschedule(ctx: ActionContext, task: ToolTask, due: string | null, what: string): Promise<ActionResult> {
  if (due === null) return say(`When should "${task.title}" be due? I couldn't read "${what}" as a date or time.`);
  return call(ctx, 'update_task', { id: task.id, dueAt: due }, () => `Moved "${task.title}" to ${formatInZone(new Date(due), ctx.zone, ctx.now)}.`);
}

async function remind(ctx: ActionContext, task: ToolTask, when: string): Promise<ActionResult> {
  if (when.trim() === '') return say(`When should I remind you about "${task.title}"? For example "30 minutes before" or "tomorrow at 9am".`);
  const parsed = parseQuickAdd(`x remind me ${when}`, { now: ctx.now, timeZone: ctx.zone });
  const reminders = parsed.reminders.length ? parsed.reminders : parsed.dueAt ? [{ remindAt: parsed.dueAt }] : [];
  if (reminders.length === 0) return say(`I couldn't read "${when}" as a reminder time; try "30 minutes before" or "at 8am".`);
  const relative = reminders.some((r) => 'offsetMinutes' in r);
  const note = relative && !task.dueAt ? ` "${task.title}" has no due date yet, so it will fire once you give it one.` : '';
  const words = reminders.map((r) => ('offsetMinutes' in r ? (r.offsetMinutes === 0 ? 'when it is due' : `${r.offsetMinutes} min before it is due`) : `at ${formatInZone(new Date(r.remindAt), ctx.zone, ctx.now)}`));
  return call(ctx, 'set_reminder', { id: task.id, reminders }, () => `I'll remind you about "${task.title}" ${words.join(' and ')}.${note}`);
}

async function repeat(ctx: ActionContext, task: ToolTask, rule: string | null): Promise<ActionResult> {
  if (rule === null) return call(ctx, 'set_recurrence', { id: task.id, recurrence: null }, () => `"${task.title}" no longer repeats.`);
  const parsed = parseQuickAdd(`x ${rule}`, { now: ctx.now, timeZone: ctx.zone });
  if (!parsed.recurrence) return say(`I couldn't read "${rule}" as a repeat pattern; try "every monday" or "every month on the 1st".`);
  const calls: ToolCallRecord[] = [];
  // A series is anchored at the due date; a task without one gets the rule's first occurrence.
  if (!task.dueAt && parsed.dueAt) {
    const due = await runTool(ctx.port, 'update_task', { id: task.id, dueAt: parsed.dueAt }, ctx.now);
    calls.push(due);
    if (!due.ok) return say(`I couldn't do that: ${due.summary}`, calls);
  }
  const set = await runTool(ctx.port, 'set_recurrence', { id: task.id, recurrence: parsed.recurrence }, ctx.now);
  calls.push(set);
  if (!set.ok) return say(`I couldn't do that: ${set.summary}`, calls);
  const after = resultTask(set);
  const due = after.dueAt ? `, next due ${formatInZone(new Date(after.dueAt), ctx.zone, ctx.now)}` : '';
  return say(`"${task.title}" now repeats ${after.recurrence?.description ?? rule}${due}.`, calls);
}

/** Carries out an action on one resolved task. */
export async function actOnTask(ctx: ActionContext, intent: TaskIntent, task: ToolTask): Promise<ActionResult> {
  const id = task.id;
  switch (intent.kind) {
    case 'complete': return call(ctx, 'complete_task', { id }, (r) => r.summary);
    case 'reopen': return call(ctx, 'reopen_task', { id }, (r) => r.summary);
    case 'delete': return call(ctx, 'delete_task', { id }, (r) => r.summary);
    case 'history': return call(ctx, 'get_task_history', { id }, (r) => r.summary);
    case 'rename': return call(ctx, 'update_task', { id, title: intent.title }, () => `Renamed "${task.title}" to "${intent.title}".`);
    case 'priority': return call(ctx, 'update_task', { id, priority: intent.priority }, () => `Set "${task.title}" to ${intent.priority} priority.`);
    case 'tag': {
      const tags = [...new Set([...task.tags, ...intent.tags])];
      return call(ctx, 'update_task', { id, tags }, () => `Tagged "${task.title}" with ${intent.tags.map((t) => `#${t}`).join(', ')}.`);
    }
    case 'reschedule': return reschedule(ctx, task, dueAtOf(ctx, intent.when), intent.when);
    case 'postpone': {
      if (!task.dueAt) return say(`"${task.title}" has no due date to postpone; say when it is due, e.g. "move ${task.title} to friday".`);
      return reschedule(ctx, task, postponed(ctx, task.dueAt, intent.by), intent.by);
    }
    case 'remind': return remind(ctx, task, intent.when);
    case 'clear-reminders': return call(ctx, 'set_reminder', { id, reminders: [], replace: true }, () => `Removed the reminders from "${task.title}".`);
    case 'repeat': return repeat(ctx, task, intent.rule);
  }
}
