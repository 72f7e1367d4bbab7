import type { ToolTask } from './task-tools-port.js';

/** "Wed, Apr 1, 09:00" in the zone (year added when it is not this year). */
export function formatWhen(iso: string, zone: string, now = new Date()): string {
  const at = new Date(iso);
  const year = (d: Date) => new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric' }).format(d);
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(year(at) === year(now) ? {} : { year: 'numeric' as const }),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** `"Pay rent" (due Wed, Apr 1, 09:00; repeats every month on day 1; high priority; #home)`. */
export function describeTask(task: ToolTask, zone: string, now?: Date): string {
  const details: string[] = [];
  if (task.status === 'completed') details.push('completed');
  if (task.dueAt) details.push(`due ${formatWhen(task.dueAt, zone, now)}`);
  if (task.recurrence) details.push(`repeats ${task.recurrence.description.replace(/^Every/, 'every')}`);
  if (task.priority !== 'medium') details.push(`${task.priority} priority`);
  if (task.tags.length) details.push(task.tags.map((t) => `#${t}`).join(' '));
  if (task.reminders.length) details.push(`${task.reminders.length} reminder${task.reminders.length > 1 ? 's' : ''}`);
  return details.length ? `"${task.title}" (${details.join('; ')})` : `"${task.title}"`;
}

export function describeList(tasks: ToolTask[], zone: string, now?: Date): string {
  return tasks.map((t, i) => `${i + 1}. ${describeTask(t, zone, now)}`).join('\n');
}
