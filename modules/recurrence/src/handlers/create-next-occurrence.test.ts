import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createEvent, type TaskSnapshot } from '@taskstream/events';
import { createNextOccurrenceHandler, planNextOccurrence, type NextOccurrenceRequest } from './create-next-occurrence.js';

const taskId = '00000000-0000-4000-8000-000000000001';
const seriesId = '00000000-0000-4000-8000-000000000002';
const userId = 'user-1';
const series = { seriesId, occurrenceIndex: 1 };

function completed(recurrence: Partial<NonNullable<TaskSnapshot['recurrence']>> | null, overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
  const t = '2026-03-06T08:00:00.000Z';
  return {
    id: taskId, title: 'Stretch', description: 'ten minutes', status: 'completed', priority: 'high', tags: ['health'], dueAt: t, timeZone: 'UTC',
    reminders: [
      { id: '00000000-0000-4000-8000-000000000003', remindAt: null, offsetMinutes: 15, firesAt: '2026-03-06T07:45:00.000Z' },
      { id: '00000000-0000-4000-8000-000000000004', remindAt: '2026-03-05T20:00:00.000Z', offsetMinutes: null, firesAt: '2026-03-05T20:00:00.000Z' },
    ],
    recurrence: recurrence && { kind: 'rrule', rule: 'FREQ=DAILY', repeatFrom: 'due', count: null, until: null, anchorAt: '2026-03-05T08:00:00.000Z', description: 'Every day', ...recurrence },
    seriesId, occurrenceIndex: 1, completedAt: t, createdAt: t, updatedAt: t, version: 2,
    ...overrides,
  };
}

/**
 * Runs the handler on a task.completed event. The API, which the real port reaches over HTTP or
 * service invocation, is stood in for by a recorder of the requests it receives.
 */
async function handle(task: TaskSnapshot, answer: () => Promise<'created' | 'exists'> = async () => 'created') {
  const requests: NextOccurrenceRequest[] = [];
  const occurrences = { createNext: async (request: NextOccurrenceRequest) => (requests.push(request), answer()) };
  const event = createEvent('task.completed', { taskId, userId, task, previous: {}, series }, { source: 'test', subject: taskId, partitionKey: userId });
  await createNextOccurrenceHandler({ occurrences, logger: pino({ level: 'silent' }) })(event);
  return requests;
}

describe('createNextOccurrenceHandler', () => {
  it('asks the API for the series\' next task, carrying over the template and only the relative reminders', async () => {
    expect(await handle(completed({}))).toEqual([
      {
        userId,
        seriesId,
        occurrenceIndex: 2,
        dueAt: '2026-03-07T08:00:00.000Z',
        template: { title: 'Stretch', description: 'ten minutes', priority: 'high', tags: ['health'], reminderOffsets: [15] },
      },
    ]);
  });

  it('asks for nothing when the series has ended or the task no longer repeats', async () => {
    expect(await handle(completed({ count: 2 }))).toEqual([]);
    expect(await handle(completed(null))).toEqual([]);
  });

  it('fails when the API call fails, so the bus retries', async () => {
    await expect(handle(completed({}), () => Promise.reject(new Error('api unavailable')))).rejects.toThrow('api unavailable');
  });
});

describe('planNextOccurrence', () => {
  it('tells a series that has ended, with its position, from a task that is no occurrence', () => {
    expect(planNextOccurrence({ userId, series, task: completed({ count: 2 }) })).toEqual({ kind: 'ended', seriesId, occurrenceIndex: 1 });
    expect(planNextOccurrence({ userId, series, task: completed(null) })).toEqual({ kind: 'not_an_occurrence' });
    expect(planNextOccurrence({ userId, series: null, task: completed({}) })).toEqual({ kind: 'not_an_occurrence' });
    expect(planNextOccurrence({ userId, series, task: completed({}, { completedAt: null }) })).toEqual({ kind: 'not_an_occurrence' });
  });

  it('plans from the completion\'s day, at the anchor\'s time, when the series repeats from completion', () => {
    const plan = planNextOccurrence({ userId, series, task: completed({ repeatFrom: 'completion' }, { completedAt: '2026-03-08T10:00:00.000Z' }) });
    expect(plan).toMatchObject({ kind: 'next', request: { occurrenceIndex: 2, dueAt: '2026-03-09T08:00:00.000Z' } });
  });
});
