import { parseQuickAdd } from '../quick-add/index.js';
import type { PendingAction, TurnState } from '../store/conversation-store.js';
import { describeList } from '../tools/describe-task.js';
import { runTool, type ToolCallRecord } from '../tools/run-tool.js';
import type { TaskToolsPort, ToolTask } from '../tools/task-tools-port.js';
import { dueRange } from './due-range.js';
import type { Intent, ListFilter } from './intent.js';
import { parseIntent } from './parse-intent.js';
import { byIds, resolveTask, type Preference } from './resolve-task.js';
import { actOnTask, type ActionContext, type TaskIntent } from './task-actions.js';

export interface Turn {
  reply: string;
  toolCalls: ToolCallRecord[];
  state: TurnState;
}

const HELP = [
  'I can manage your tasks. Try:',
  '• "add pay rent every month on the 1st 9am #home !high"',
  '• "what\'s due today?", "what\'s due this week?", "show my high priority tasks", "find dentist"',
  '• "complete the report", "delete buy milk", "reopen the report"',
  '• "move the report to friday 5pm", "rename buy milk to buy oat milk", "make the report urgent"',
  '• "remind me about the dentist 1 hour before", "make gym repeat every monday"',
  '• "undo" reverts my last change.',
].join('\n');

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

async function addTask(ctx: ActionContext, text: string, remind: boolean): Promise<Turn> {
  const q = parseQuickAdd(text, { now: ctx.now, timeZone: ctx.zone });
  if (q.title === '') return { reply: 'What should the task be called?', toolCalls: [], state: {} };
  const reminders = remind && q.dueAt && q.reminders.length === 0 ? [{ offsetMinutes: 0 }] : q.reminders;
  const record = await runTool(ctx.port, 'add_task', {
    title: capitalize(q.title),
    ...(q.dueAt && { dueAt: q.dueAt }),
    ...(q.priority && { priority: q.priority }),
    ...(q.tags.length && { tags: q.tags }),
    ...(reminders.length && { reminders }),
    ...(q.recurrence && q.dueAt && { recurrence: q.recurrence }),
  }, ctx.now);
  if (!record.ok) return { reply: `I couldn't add that: ${record.summary}`, toolCalls: [record], state: {} };
  const task = record.result?.task as ToolTask;
  let reply = record.summary;
  if (remind && q.dueAt && q.reminders.length === 0) reply += ' I\'ll remind you when it is due.';
  if (remind && !q.dueAt) reply += ' You didn\'t say when, so I set no reminder; say e.g. "remind me about it tomorrow at 9am".';
  return { reply, toolCalls: [record], state: { focus: [task.id] } };
}

function listArgs(filter: ListFilter, ctx: ActionContext): Record<string, unknown> {
  const range = filter.due ? dueRange(filter.due, ctx.now, ctx.zone) : undefined;
  return {
    ...(filter.search && { search: filter.search }),
    ...(filter.status && { status: filter.status }),
    ...(filter.priority && { priority: filter.priority }),
    ...(filter.tag && { tag: filter.tag }),
    ...(range && { dueAfter: range.from.toISOString(), dueBefore: range.to.toISOString() }),
    ...(filter.overdue && { overdue: true }),
    ...(filter.sort && { sort: filter.sort }),
    ...(filter.order && { order: filter.order }),
    limit: 20,
  };
}

function heading(filter: ListFilter, count: number): string {
  const what = [
    filter.overdue ? 'overdue' : '',
    filter.status?.includes('completed') ? 'completed' : '',
    filter.priority ? `${filter.priority.join('/')} priority` : '',
  ].filter(Boolean).join(' ');
  const noun = `${what ? `${what} ` : ''}task${count === 1 ? '' : 's'}`;
  const where = [filter.tag ? `tagged #${filter.tag}` : '', filter.due ? `due ${filter.due}` : '', filter.search ? `matching "${filter.search}"` : '']
    .filter(Boolean).join(' ');
  if (count === 0) return `You have no ${noun.replace(/s$/, '')}s${where ? ` ${where}` : ''}.`;
  return `${count} ${noun}${where ? ` ${where}` : ''}:`;
}

async function list(ctx: ActionContext, filter: ListFilter): Promise<Turn> {
  const record = await runTool(ctx.port, 'list_tasks', listArgs(filter, ctx), ctx.now);
  if (!record.ok) return { reply: `I couldn't list them: ${record.summary}`, toolCalls: [record], state: {} };
  const items = (record.result?.items ?? []) as ToolTask[];
  const reply = items.length ? `${heading(filter, items.length)}\n${describeList(items, ctx.zone, ctx.now)}` : heading(filter, 0);
  return { reply, toolCalls: [record], state: { listed: items.map((t) => t.id) } };
}

const PREFERENCE: Partial<Record<TaskIntent['kind'], Preference>> = { complete: 'open', reopen: 'completed', history: 'any', delete: 'any' };

function question(intent: TaskIntent, tasks: ToolTask[], ctx: ActionContext): Turn {
  const { ref: _ref, kind, ...args } = intent;
  const verb = kind === 'complete' ? 'complete' : kind === 'delete' ? 'delete' : kind === 'reopen' ? 'reopen' : 'change';
  const reply = `${tasks.length} tasks match; which one should I ${verb}?\n${describeList(tasks, ctx.zone, ctx.now)}\nSay a number, "both"/"all", or "cancel".`;
  const action: PendingAction = { kind, args };
  return { reply, toolCalls: [], state: { pending: { action, candidates: tasks.map((t) => ({ id: t.id, title: t.title })) }, listed: tasks.map((t) => t.id) } };
}

async function actOnAll(ctx: ActionContext, intent: TaskIntent, tasks: ToolTask[]): Promise<Turn> {
  const replies: string[] = [];
  const toolCalls: ToolCallRecord[] = [];
  for (const task of tasks) {
    const result = await actOnTask(ctx, intent, task);
    replies.push(result.reply);
    toolCalls.push(...result.toolCalls);
  }
  return { reply: replies.join('\n'), toolCalls, state: { focus: tasks.map((t) => t.id) } };
}

async function onTask(ctx: ActionContext, intent: TaskIntent, previous: TurnState | null): Promise<Turn> {
  const found = await resolveTask(ctx.port, intent.ref, previous, PREFERENCE[intent.kind] ?? 'open');
  if (found.kind === 'none') return { reply: found.why, toolCalls: [], state: previous?.listed ? { listed: previous.listed } : {} };
  if (found.kind === 'many') return question(intent, found.tasks, ctx);
  return actOnAll(ctx, intent, [found.task]);
}

async function choose(ctx: ActionContext, choice: Extract<Intent, { kind: 'choose' }>['choice'], previous: TurnState | null): Promise<Turn> {
  const pending = previous?.pending;
  if (!pending) return { reply: 'I\'m not waiting for an answer. What would you like to do?', toolCalls: [], state: {} };
  const intent = { ...pending.action.args, kind: pending.action.kind, ref: { text: '' } } as TaskIntent;
  let ids = pending.candidates.map((c) => c.id);
  if ('ordinal' in choice) {
    const id = choice.ordinal === -1 ? ids.at(-1) : ids[choice.ordinal - 1];
    if (!id) return { reply: `Please pick a number from 1 to ${ids.length}, or say "cancel".`, toolCalls: [], state: previous };
    ids = [id];
  } else if ('text' in choice) {
    const picked = pending.candidates.filter((c) => c.title.toLowerCase().includes(choice.text.toLowerCase()));
    if (picked.length !== 1) return { reply: `Please pick a number from 1 to ${ids.length}, or say "cancel".`, toolCalls: [], state: previous };
    ids = [picked[0]!.id];
  }
  const tasks = await byIds(ctx.port, ids);
  if (tasks.length === 0) {
    // Deleted since the question was asked.
    const gone = pending.candidates.filter((c) => ids.includes(c.id)).map((c) => `"${c.title}"`);
    return { reply: `${gone.join(', ')} no longer exist${gone.length === 1 ? 's' : ''}, so I changed nothing.`, toolCalls: [], state: {} };
  }
  return actOnAll(ctx, intent, tasks);
}

function greet(text: string): string {
  return /thank|cheers/i.test(text) ? 'You\'re welcome!' : `Hello! ${HELP}`;
}

/** The deterministic interpreter: one English message → tool calls and a plain reply. */
export async function interpret(port: TaskToolsPort, message: string, now: Date, previous: TurnState | null): Promise<Turn> {
  const ctx: ActionContext = { port, now, zone: port.timeZone };
  const intent = parseIntent(message, Boolean(previous?.pending));
  switch (intent.kind) {
    case 'add': return addTask(ctx, intent.text, intent.remind ?? false);
    case 'list': return list(ctx, intent.filter);
    case 'tags': {
      const record = await runTool(port, 'list_tags', {}, now);
      return { reply: record.summary, toolCalls: [record], state: {} };
    }
    case 'choose': return choose(ctx, intent.choice, previous);
    case 'cancel': return { reply: previous?.pending ? 'OK, I left everything as it was.' : 'OK.', toolCalls: [], state: {} };
    case 'help': return { reply: HELP, toolCalls: [], state: previous ?? {} };
    case 'greet': return { reply: greet(intent.text), toolCalls: [], state: previous ?? {} };
    case 'undo': return { reply: 'There is nothing to undo.', toolCalls: [], state: {} };
    case 'unknown': return { reply: `Sorry, I didn't understand that.\n${HELP}`, toolCalls: [], state: previous ?? {} };
    default: return onTask(ctx, intent, previous);
  }
}

