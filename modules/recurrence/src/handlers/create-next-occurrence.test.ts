import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createEvent, type NextOccurrenceRequest, type TaskSnapshot } from '@taskstream/events';
import { createNextOccurrence, planNextOccurrence } from './create-next-occurrence.js';

const taskId = '00000000-0000-4000-8000-000000000001';
const seriesId = '00000000-0000-4000-8000-000000000002';
const userId = 'user-1';
const series = { seriesId, occurrenceIndex: 1 };

function completed(recurrence: Partial<NonNullable<TaskSnapshot['recurrence']>> | null): TaskSnapshot {
  const t = '2026-03-06T08:00:00.000Z';
  return {
    id: taskId, title: 'Stretch', description: '', status: 'completed', priority: 'medium', tags: ['health'], dueAt: t, timeZone: 'UTC',
    reminders: [{ id: '00000000-0000-4000-8000-000000000003', remindAt: null, offsetMinutes: 15, firesAt: null }, { id: '00000000-0000-4000-8000-000000000004', remindAt: t, offsetMinutes: null, firesAt: t }],
    recurrence: recurrence && { kind: 'rrule', rule: 'FREQ=DAILY', repeatFrom: 'due', count: null, until: null, anchorAt: '2026-03-05T08:00:00.000Z', description: 'Every day', ...recurrence },
    seriesId, occurrenceIndex: 1, completedAt: t, createdAt: t, updatedAt: t, version: 2,
  };
}

describe('planNextOccurrence', () => {
  it('plans the next task of a series that goes on, carrying relative reminders only', () => {
    expect(planNextOccurrence({ task: completed({}), series, userId })).toEqual({
      kind: 'next',
      request: {
        userId, seriesId, occurrenceIndex: 2, dueAt: '2026-03-07T08:00:00.000Z',
        template: { title: 'Stretch', description: '', priority: 'medium', tags: ['health'], reminderOffsets: [15] },
      },
    });
  });

  it('says the series ended when its count is used up, and tells that apart from a task that is no occurrence', () => {
    expect(planNextOccurrence({ task: completed({ count: 2 }), series, userId })).toEqual({ kind: 'ended', seriesId, occurrenceIndex: 1 });
    // An occurrence whose repeating was stopped has no next one, but no series ran out either.
    expect(planNextOccurrence({ task: completed(null), series, userId })).toEqual({ kind: 'not_an_occurrence' });
    expect(planNextOccurrence({ task: completed({}), series: null, userId })).toEqual({ kind: 'not_an_occurrence' });
  });
});

describe('the createNextOccurrence subscription', () => {
  const event = (task: TaskSnapshot, type: 'task.completed' | 'task.updated' = 'task.completed') =>
    createEvent(type, { taskId, userId, task, previous: {}, series }, { source: 'test', subject: taskId, partitionKey: userId });
  const subscribe = () => {
    const created: NextOccurrenceRequest[] = [];
    const occurrences = { createNext: async (request: NextOccurrenceRequest) => (created.push(request), 'created' as const) };
    return { created, sub: createNextOccurrence({ occurrences, logger: pino({ level: 'silent' }) }) };
  };

  it('asks the API for the planned occurrence on task.completed, and for nothing on other task events', async () => {
    const { created, sub } = subscribe();
    expect(sub).toMatchObject({ consumer: 'recurrence', topic: 'task-events', types: ['task.completed'] });
    await sub.handler(event(completed({}), 'task.updated'), { attempt: 1 });
    expect(created).toEqual([]);
    await sub.handler(event(completed({})), { attempt: 1 });
    expect(created).toMatchObject([{ seriesId, occurrenceIndex: 2, dueAt: '2026-03-07T08:00:00.000Z' }]);
    await sub.handler(event(completed({ count: 2 })), { attempt: 1 });
    expect(created).toHaveLength(1);
  });

  it('dead-letters an event that does not parse instead of calling the API', async () => {
    const { created, sub } = subscribe();
    const bad = { ...event(completed({})), data: { taskId: 'not-a-uuid' } } as unknown as Parameters<typeof sub.handler>[0];
    await expect(sub.handler(bad, { attempt: 1 })).rejects.toMatchObject({ name: 'PermanentError' });
    expect(created).toEqual([]);
  });
});
