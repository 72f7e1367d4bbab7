import type { Task } from '../api/types.js';

let n = 0;

/** A task as the API returns it, with the given fields changed. */
export function taskFixture(fields: Partial<Task> = {}): Task {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    title: `Task ${n}`,
    description: '',
    status: 'open',
    priority: 'medium',
    tags: [],
    dueAt: null,
    timeZone: 'Europe/Berlin',
    reminders: [],
    recurrence: null,
    seriesId: null,
    occurrenceIndex: null,
    completedAt: null,
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    version: 1,
    ...fields,
  };
}
