import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { createEvent, type TaskSnapshot } from '@taskstream/events';
import { createNextOccurrenceHandler, type NextOccurrenceRequest } from './create-next-occurrence.js';

const taskId = '00000000-0000-4000-8000-000000000001';
const seriesId = '00000000-0000-4000-8000-000000000002';
const userId = 'user-1';

function completed(recurrence: Partial<NonNullable<TaskSnapshot['recurrence']>> | null): TaskSnapshot {
  const t = '2026-03-06T08:00:00.000Z';
  return {
    id: taskId, title: 'Stretch', description: '', status: 'completed', priority: 'medium', tags: [], dueAt: t, timeZone: 'UTC', reminders: [],
    recurrence: recurrence && { kind: 'rrule', rule: 'FREQ=DAILY', repeatFrom: 'due', count: null, until: null, anchorAt: '2026-03-05T08:00:00.000Z', description: 'Every day', ...recurrence },
    seriesId, occurrenceIndex: 1, completedAt: t, createdAt: t, updatedAt: t, version: 2,
  };
}

/** Runs the handler on a task.completed event; returns what it logged and what it asked to create. */
async function handle(task: TaskSnapshot) {
  const logged: string[] = [];
  const created: NextOccurrenceRequest[] = [];
  const logger = { info: (_fields: object, message: string) => logged.push(message) } as unknown as Logger;
  const occurrences = { createNext: async (request: NextOccurrenceRequest) => (created.push(request), 'created' as const) };
  const event = createEvent('task.completed', { taskId, userId, task, previous: {}, series: { seriesId, occurrenceIndex: 1 } }, { source: 'test', subject: taskId, partitionKey: userId });
  await createNextOccurrenceHandler({ occurrences, logger })(event);
  return { logged, created };
}

describe('createNextOccurrenceHandler', () => {
  it('creates the next task of a series that goes on', async () => {
    const { logged, created } = await handle(completed({}));
    expect(created).toMatchObject([{ seriesId, occurrenceIndex: 2, dueAt: '2026-03-07T08:00:00.000Z' }]);
    expect(logged).toEqual(['next occurrence']);
  });

  it('logs "series ended" only for a series that has ended', async () => {
    expect(await handle(completed({ count: 2 }))).toEqual({ logged: ['series ended'], created: [] });
    // An occurrence whose repeating was stopped has no next one, but no series ran out either.
    expect(await handle(completed(null))).toEqual({ logged: [], created: [] });
  });
});
