import type { StoredMessage } from '../store/conversation-store.js';
import { runTool, toolCallView, type ToolCallRecord } from '../tools/run-tool.js';
import { reminderInputs } from '../tools/task-tools.js';
import { ToolError, type TaskToolsPort, type ToolTask } from '../tools/task-tools-port.js';
import type { UndoStep } from '../tools/undo-step.js';

function recurrenceInput(task: ToolTask): Record<string, unknown> | null {
  const r = task.recurrence;
  if (!r) return null;
  return { rule: r.rule, repeatFrom: r.repeatFrom, ...(r.count !== null && { count: r.count }), ...(r.until !== null && { until: r.until }) };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Puts a task back as it was: only the fields that differ, so an untouched series is not restarted. */
async function restore(port: TaskToolsPort, before: ToolTask, now: Date): Promise<ToolCallRecord[]> {
  const current = await port.getTask(before.id);
  const patch: Record<string, unknown> = {};
  for (const key of ['title', 'description', 'priority', 'status', 'dueAt', 'timeZone'] as const) {
    if (!same(current[key], before[key])) patch[key] = before[key];
  }
  if (!same([...current.tags].sort(), [...before.tags].sort())) patch.tags = before.tags;
  const calls: ToolCallRecord[] = [];
  if (Object.keys(patch).length) calls.push(await runTool(port, 'update_task', { id: before.id, ...patch }, now));
  if (!same(reminderInputs(current), reminderInputs(before))) {
    calls.push(await runTool(port, 'set_reminder', { id: before.id, reminders: reminderInputs(before), replace: true }, now));
  }
  if (!same(recurrenceInput(current), recurrenceInput(before))) {
    calls.push(await runTool(port, 'set_recurrence', { id: before.id, recurrence: recurrenceInput(before) }, now));
  }
  return calls;
}

/** A deleted task comes back as a new task with the same fields (a new id: ids are never reused). */
async function recreate(port: TaskToolsPort, before: ToolTask, now: Date): Promise<ToolCallRecord[]> {
  const recurrence = recurrenceInput(before);
  const added = await runTool(port, 'add_task', {
    title: before.title,
    ...(before.description && { description: before.description }),
    priority: before.priority,
    tags: before.tags,
    ...(before.dueAt && { dueAt: before.dueAt }),
    timeZone: before.timeZone,
    reminders: reminderInputs(before),
    ...(recurrence && before.dueAt && { recurrence }),
  }, now);
  const id = (added.result?.task as ToolTask | undefined)?.id;
  if (!added.ok || !id || before.status === 'open') return [added];
  if (before.status === 'completed') return [added, await runTool(port, 'complete_task', { id }, now)];
  return [added, await runTool(port, 'update_task', { id, status: before.status }, now)];
}

async function revert(port: TaskToolsPort, step: UndoStep, now: Date): Promise<ToolCallRecord[]> {
  switch (step.op) {
    case 'delete': return [await runTool(port, 'delete_task', { id: step.taskId }, now)];
    case 'reopen': return [await runTool(port, 'reopen_task', { id: step.taskId }, now)];
    case 'complete': return [await runTool(port, 'complete_task', { id: step.taskId }, now)];
    case 'restore': return restore(port, step.before, now);
    case 'recreate': return recreate(port, step.before, now);
  }
}

/** Reverts every change of one assistant turn, newest first. The undo itself is not undoable. */
export async function undoTurn(port: TaskToolsPort, turn: StoredMessage, now: Date): Promise<{ reply: string; toolCalls: ToolCallRecord[] }> {
  const steps = turn.toolCalls.filter((c) => c.ok && c.undo).map((c) => c.undo!).reverse();
  const toolCalls: ToolCallRecord[] = [];
  const missing: string[] = [];
  for (const step of steps) {
    try {
      toolCalls.push(...(await revert(port, step, now)));
    } catch (e) {
      // restore reads the task first: it may have been deleted since.
      if (!(e instanceof ToolError)) throw e;
      missing.push(step.op === 'restore' && e.kind === 'not_found' ? `"${step.before.title}" no longer exists.` : e.message);
    }
  }
  const calls = toolCalls.map(toolCallView);
  const failed = [...calls.filter((c) => !c.ok).map((c) => c.summary), ...missing];
  const done = calls.filter((c) => c.ok).map((c) => c.summary);
  const what = turn.content ? ` ("${firstLine(turn.content)}")` : '';
  if (done.length === 0 && failed.length) return { reply: `I couldn't undo your last change${what}: ${failed.join(' ')}`, toolCalls: calls };
  const lines = [`Undid your last change${what}.`, ...done];
  if (failed.length) lines.push(`Some of it could not be undone: ${failed.join(' ')}`);
  return { reply: lines.join('\n'), toolCalls: calls };
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}
