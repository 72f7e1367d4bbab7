import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@taskstream/db';
import { createNextOccurrence } from '@taskstream/recurrence';
import { directOccurrencePort } from './services/occurrence-ports.js';
import { sweepMissedOccurrences } from './services/recurrence-sweep.js';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';

// Without the event pipeline no task.completed reaches the recurrence service: every completion
// here is one whose event was lost, which the sweep makes up for. What the sweep must not do is
// undo what the user decided about a successor it made.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const logger = pino({ level: 'silent' });
const port = () => directOccurrencePort(t.process.tasks);
const sweep = () => sweepMissedOccurrences({ tasks: t.process.tasks, occurrences: port(), logger, graceSeconds: 0 });

interface Task { id: string; title: string; seriesId: string | null; occurrenceIndex: number | null; dueAt: string }

function as(user: TestUser) {
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload && { payload }) });
  return {
    call,
    tasks: async () => (await call('GET', '/api/tasks?limit=200&sort=createdAt&order=asc')).json<{ items: Task[] }>().items,
    inSeries: async (seriesId: string) =>
      (await call('GET', '/api/tasks?limit=200')).json<{ items: Task[] }>().items.filter((i) => i.seriesId === seriesId).map((i) => i.occurrenceIndex).sort(),
  };
}

/** A weekly task, completed, and the successor the sweep made for it. */
async function completedWithSuccessor(user: TestUser): Promise<{ first: Task; successor: Task }> {
  const api = as(user);
  const first = (await api.call('POST', '/api/tasks', { title: 'Stand-up', dueAt: '2026-12-01T09:30', recurrence: { rule: 'FREQ=WEEKLY' } })).json<Task>();
  await api.call('POST', `/api/tasks/${first.id}/complete`);
  await sweep();
  const successor = (await api.tasks()).find((i) => i.seriesId === first.seriesId && i.occurrenceIndex === 1);
  if (!successor) throw new Error('the sweep made no successor');
  return { first, successor };
}

describe('the recurrence sweep and the decisions of the user', () => {
  it('a genuine miss (completion event lost) is still created by the sweep, once', async () => {
    const ada = await t.signUp({ timeZone: 'UTC' });
    const first = (await as(ada).call('POST', '/api/tasks', { title: 'Stand-up', dueAt: '2026-12-01T09:30', recurrence: { rule: 'FREQ=WEEKLY' } })).json<Task>();
    await as(ada).call('POST', `/api/tasks/${first.id}/complete`);
    expect(await sweep()).toEqual({ checked: 1, created: 1, refused: 0 });
    expect(await sweep()).toEqual({ checked: 0, created: 0, refused: 0 });
    expect((await as(ada).tasks()).map((i) => [i.occurrenceIndex, i.dueAt])).toEqual([[0, '2026-12-01T09:30:00.000Z'], [1, '2026-12-08T09:30:00.000Z']]);
  });

  it('a deleted next occurrence is not brought back by the sweep', async () => {
    const ada = await t.signUp();
    const { first, successor } = await completedWithSuccessor(ada);
    expect((await as(ada).call('DELETE', `/api/tasks/${successor.id}`)).statusCode).toBe(204);
    await sweep();
    expect(await as(ada).inSeries(first.seriesId!)).toEqual([0]);
  });

  it('a next occurrence whose recurrence was removed is not brought back', async () => {
    const ada = await t.signUp();
    const { first, successor } = await completedWithSuccessor(ada);
    expect((await as(ada).call('PATCH', `/api/tasks/${successor.id}`, { recurrence: null })).json()).toMatchObject({ seriesId: null });
    await sweep();
    expect(await as(ada).inSeries(first.seriesId!)).toEqual([0]);
    expect(await as(ada).tasks()).toHaveLength(2);
  });

  it('a changed rule does not duplicate the series', async () => {
    const ada = await t.signUp();
    const { first, successor } = await completedWithSuccessor(ada);
    const daily = (await as(ada).call('PATCH', `/api/tasks/${successor.id}`, { recurrence: { rule: 'FREQ=DAILY' } })).json<Task>();
    expect(daily.seriesId).not.toBe(first.seriesId);
    await sweep();
    expect(await as(ada).inSeries(first.seriesId!)).toEqual([0]);
    expect((await as(ada).tasks()).map((i) => i.id)).toEqual([first.id, successor.id]);
  });

  it('a duplicate task.completed after the user deleted the successor creates nothing', async () => {
    const ada = await t.signUp();
    const { first, successor } = await completedWithSuccessor(ada);
    await as(ada).call('DELETE', `/api/tasks/${successor.id}`);
    // The completion's event, delivered to the recurrence service again (at least once means it can be).
    const [row] = await queryRows<{ event: unknown }>(t.database.db, sql`select event from outbox where type = 'task.completed' and event->'data'->>'taskId' = ${first.id}`);
    const handler = createNextOccurrence({ occurrences: port(), logger });
    await handler.handler(row!.event as Parameters<typeof handler.handler>[0], { attempt: 1 });
    expect(await as(ada).inSeries(first.seriesId!)).toEqual([0]);
  });
});
