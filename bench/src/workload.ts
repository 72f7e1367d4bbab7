import { PRIORITIES, type Priority } from '@taskstream/events';

/** The tasks every run creates: the same for the API and the raw-SQL baseline. */
export interface TaskSpec {
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  /** Local wall-clock time in the user's zone, as the API accepts it ("YYYY-MM-DDTHH:mm"). */
  dueAt: string;
  reminderOffsetMinutes: number;
}

export const USER_TIME_ZONE = 'Europe/Berlin';
const BASE_DUE = Date.UTC(2026, 11, 1, 9, 0);

export function taskSpec(i: number): TaskSpec {
  // Due times spread over ~2 weeks in an order unrelated to creation, so the dueAt keyset is exercised.
  const due = new Date(BASE_DUE + ((i * 7919) % 20_000) * 60_000);
  return {
    title: `Benchmark task ${i}: review quarterly report`,
    description: `Task number ${i}. Read the draft, leave comments and send it back to the team before the deadline.`,
    priority: PRIORITIES[i % PRIORITIES.length] ?? 'medium',
    tags: ['work', 'home'],
    dueAt: due.toISOString().slice(0, 16),
    reminderOffsetMinutes: 30,
  };
}

/** Tasks are dealt to users round-robin: task i belongs to user i % users. */
export function tasksOfUser(user: number, users: number, tasks: number): number {
  return Math.floor(tasks / users) + (user < tasks % users ? 1 : 0);
}
