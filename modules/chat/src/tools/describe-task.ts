import { formatInZone } from '../quick-add/format-in-zone.js';
import type { ToolTask } from './task-tools-port.js';

/** `"Pay rent" (due Wed, Apr 1, 09:00; repeats every month on day 1; high priority; #home)`; the year shows when it is not `now`'s. */
export function describeTask(task: ToolTask, zone: string, now: Date): string {
  const details: string[] = [];
  if (task.status === 'completed') details.push('completed');
  if (task.dueAt) details.push(`due ${formatInZone(new Date(task.dueAt), zone, now)}`);
  if (task.recurrence) details.push(`repeats ${task.recurrence.description.replace(/^Every/, 'every')}`);
  if (task.priority !== 'medium') details.push(`${task.priority} priority`);
  if (task.tags.length) details.push(task.tags.map((t) => `#${t}`).join(' '));
  if (task.reminders.length) details.push(`${task.reminders.length} reminder${task.reminders.length > 1 ? 's' : ''}`);
  return details.length ? `"${task.title}" (${details.join('; ')})` : `"${task.title}"`;
}

export function describeList(tasks: ToolTask[], zone: string, now: Date): string {
  return tasks.map((t, i) => `${i + 1}. ${describeTask(t, zone, now)}`).join('\n');
}
