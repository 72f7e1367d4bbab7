import { and, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetters } from '@taskstream/db';
import { directOccurrencePort } from './services/occurrence-ports.js';
import { sweepMissedOccurrences } from './services/recurrence-sweep.js';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';

// A recurring series of a user at TASKS_PER_USER: the event path cannot create the next task, and
// must not hide that; the sweep brings the series back once the user has made room.
let t: TestApp;
let ada: TestUser;

beforeAll(async () => {
  t = await createTestApp({ events: true, env: { TASKS_PER_USER: '2' } });
  ada = await t.signUp();
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: ada.headers, ...(payload && { payload }) });

describe('next occurrence of a user at the task limit', () => {
  it('is dead-lettered at once with the reason, and the sweep creates it once the user has made room', async () => {
    const standUp = (await call('POST', '/api/tasks', { title: 'Stand-up', dueAt: '2026-12-01T09:30', recurrence: { rule: 'FREQ=WEEKLY' } })).json();
    const other = (await call('POST', '/api/tasks', { title: 'Other' })).json();
    expect((await call('POST', '/api/tasks', { title: 'Third' })).json()).toMatchObject({ status: 409, code: 'limit_reached' });
    expect((await call('POST', `/api/tasks/${standUp.id}/complete`)).statusCode).toBe(200);

    const letters = () =>
      t.database.db
        .select()
        .from(deadLetters)
        .where(and(eq(deadLetters.consumer, 'recurrence'), sql`${deadLetters.event}->'data'->>'taskId' = ${standUp.id}`));
    await expect.poll(async () => (await letters()).length, { timeout: 10_000 }).toBe(1);
    // Refused, not failed: no retries that cannot help.
    expect((await letters())[0]).toMatchObject({ attempts: 1, error: expect.stringMatching(/refused: limit_reached: You have 2 tasks/) });
    expect((await call('GET', '/api/tasks?limit=200')).json().items).toHaveLength(2);

    expect((await call('DELETE', `/api/tasks/${other.id}`)).statusCode).toBe(204);
    const tasks = t.process.tasks;
    const swept = await sweepMissedOccurrences({ tasks, occurrences: directOccurrencePort(tasks), logger: pino({ level: 'silent' }), graceSeconds: 0 });
    expect(swept).toMatchObject({ created: 1, refused: 0 });
    const open = (await call('GET', '/api/tasks?status=open')).json().items;
    expect(open).toEqual([expect.objectContaining({ title: 'Stand-up', seriesId: standUp.seriesId, occurrenceIndex: 1 })]);
  });
});
