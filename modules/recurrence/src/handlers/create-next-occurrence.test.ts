import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createEvent, type NextOccurrenceRequest, type SeriesEndRequest, type TaskSnapshot } from '@taskstream/events';
import { createNextOccurrence, planNextOccurrence } from './create-next-occurrence.js';

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

const event = (task: TaskSnapshot, type: 'task.completed' | 'task.updated' = 'task.completed') =>
  createEvent(type, { taskId, userId, task, previous: {}, series }, { source: 'test', subject: taskId, partitionKey: userId });

/**
 * The subscription, with the API (which the real port reaches directly or by service invocation)
 * stood in for by a recorder of the requests it receives.
 */
function subscribe(answer: () => Promise<'created' | 'exists' | 'stopped'> = async () => 'created') {
  const requests: NextOccurrenceRequest[] = [];
  const ends: SeriesEndRequest[] = [];
  const occurrences = {
    createNext: async (request: NextOccurrenceRequest) => (requests.push(request), answer()),
    endSeries: async (request: SeriesEndRequest) => (ends.push(request), 'ended' as const),
  };
  const sub = createNextOccurrence({ occurrences, logger: pino({ level: 'silent' }) });
  return { requests, ends, sub, deliver: (e: Parameters<typeof sub.handler>[0]) => sub.handler(e, { attempt: 1 }) };
}

describe('the createNextOccurrence subscription', () => {
  it('follows task.completed on task-events as the recurrence consumer', () => {
    expect(subscribe().sub).toMatchObject({ consumer: 'recurrence', topic: 'task-events', types: ['task.completed'] });
  });

  it("asks the API for the series' next task, carrying over the template and only the relative reminders", async () => {
    const { requests, deliver } = subscribe();
    await deliver(event(completed({})));
    expect(requests).toEqual([
      {
        userId,
        seriesId,
        occurrenceIndex: 2,
        dueAt: '2026-03-07T08:00:00.000Z',
        template: { title: 'Stretch', description: 'ten minutes', priority: 'high', tags: ['health'], reminderOffsets: [15] },
      },
    ]);
  });

  it('asks for nothing when the series has ended, the task no longer repeats, or the event is another task event', async () => {
    const { requests, deliver } = subscribe();
    await deliver(event(completed({ count: 2 })));
    await deliver(event(completed(null)));
    await deliver(event(completed({}), 'task.updated'));
    expect(requests).toEqual([]);
  });

  it('records a series that has ended by its rule, with the occurrence it ended after, and only that', async () => {
    const { ends, deliver } = subscribe();
    await deliver(event(completed({ count: 2 })));
    await deliver(event(completed({ until: '2026-03-06T12:00:00.000Z' })));
    await deliver(event(completed({})));
    await deliver(event(completed(null)));
    expect(ends).toEqual([
      { userId, seriesId, occurrenceIndex: 1 },
      { userId, seriesId, occurrenceIndex: 1 },
    ]);
  });

  it('fails when the API call fails, so the bus retries', async () => {
    const { deliver } = subscribe(() => Promise.reject(new Error('api unavailable')));
    await expect(deliver(event(completed({})))).rejects.toThrow('api unavailable');
  });

  it('dead-letters at once, without calling the API, a completion whose rule costs too much to evaluate', async () => {
    const { requests, deliver } = subscribe();
    // Every 7 days on Tuesday, from a Thursday anchor: the walk gives up, which no retry changes.
    const error = await deliver(event(completed({ rule: 'FREQ=DAILY;INTERVAL=7;BYDAY=TU' }))).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PermanentError', message: expect.stringContaining('recurrence_too_expensive') });
    expect(requests).toEqual([]);
  });

  it('dead-letters an event that does not parse instead of calling the API', async () => {
    const { requests, deliver } = subscribe();
    const bad = { ...event(completed({})), data: { taskId: 'not-a-uuid' } } as unknown as Parameters<typeof deliver>[0];
    await expect(deliver(bad)).rejects.toMatchObject({ name: 'PermanentError' });
    expect(requests).toEqual([]);
  });
});

describe('planNextOccurrence', () => {
  it('tells a series that has ended, with its position, from a task that is no occurrence', () => {
    expect(planNextOccurrence({ userId, series, task: completed({ count: 2 }) })).toEqual({ kind: 'ended', seriesId, occurrenceIndex: 1 });
    expect(planNextOccurrence({ userId, series, task: completed(null) })).toEqual({ kind: 'not_an_occurrence' });
    expect(planNextOccurrence({ userId, series: null, task: completed({}) })).toEqual({ kind: 'not_an_occurrence' });
    expect(planNextOccurrence({ userId, series, task: completed({}, { completedAt: null }) })).toEqual({ kind: 'not_an_occurrence' });
  });

  it("plans from the completion's day, at the anchor's time, when the series repeats from completion", () => {
    const plan = planNextOccurrence({ userId, series, task: completed({ repeatFrom: 'completion' }, { completedAt: '2026-03-08T10:00:00.000Z' }) });
    expect(plan).toMatchObject({ kind: 'next', request: { occurrenceIndex: 2, dueAt: '2026-03-09T08:00:00.000Z' } });
  });
});
