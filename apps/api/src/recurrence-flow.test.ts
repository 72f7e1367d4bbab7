import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { series as seriesTable } from '@taskstream/db';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';

// Completing a recurring task makes the recurrence service (in-process, fed by the outbox)
// create the next task through the tasks module, exactly once.
let t: TestApp;
let ada: TestUser;
let now = new Date('2026-03-28T10:00:00Z');

beforeAll(async () => {
  t = await createTestApp({ events: true, now: () => now });
  ada = await t.signUp({ timeZone: 'Europe/Berlin' });
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: ada.headers, ...(payload && { payload }) });

async function series(seriesId: string) {
  const res = await call('GET', '/api/tasks?recurring=true&limit=200&sort=dueAt');
  return res.json<{ items: any[] }>().items.filter((i) => i.seriesId === seriesId);
}

describe('recurrence service (embedded)', () => {
  it('creates exactly one next task at 09:00 local across the spring DST change', async () => {
    const first = (
      await call('POST', '/api/tasks', {
        title: 'Water plants',
        priority: 'high',
        tags: ['home'],
        dueAt: '2026-03-28T09:00',
        reminders: [{ offsetMinutes: 15 }, { remindAt: '2026-03-28T07:00' }],
        recurrence: { rule: 'daily' },
      })
    ).json();
    expect(first.dueAt).toBe('2026-03-28T08:00:00.000Z');
    await call('POST', `/api/tasks/${first.id}/complete`);
    await expect.poll(async () => (await series(first.seriesId)).length, { timeout: 10_000 }).toBe(2);
    const next = (await series(first.seriesId))[1];
    // 09:00 in Berlin on the 29th is summer time: 07:00 UTC.
    expect(next).toMatchObject({
      title: 'Water plants',
      priority: 'high',
      tags: ['home'],
      status: 'open',
      dueAt: '2026-03-29T07:00:00.000Z',
      timeZone: 'Europe/Berlin',
      occurrenceIndex: 1,
      seriesId: first.seriesId,
    });
    expect(next.reminders.map((r: any) => [r.offsetMinutes, r.firesAt])).toEqual([[15, '2026-03-29T06:45:00.000Z']]);

    // Reopening and completing again does not fork the series.
    await call('POST', `/api/tasks/${first.id}/reopen`);
    await call('POST', `/api/tasks/${first.id}/complete`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await series(first.seriesId)).toHaveLength(2);

    await call('POST', `/api/tasks/${next.id}/complete`);
    await expect.poll(async () => (await series(first.seriesId)).map((i) => i.dueAt), { timeout: 10_000 }).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('stops after the count', async () => {
    const first = (await call('POST', '/api/tasks', { title: 'Twice', dueAt: '2026-04-01T09:00', recurrence: { rule: 'weekly', count: 2 } })).json();
    await call('POST', `/api/tasks/${first.id}/complete`);
    await expect.poll(async () => (await series(first.seriesId)).length, { timeout: 10_000 }).toBe(2);
    const second = (await series(first.seriesId))[1];
    await call('POST', `/api/tasks/${second.id}/complete`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await series(first.seriesId)).toHaveLength(2);
  });

  it('an hourly series moved to 2140 completes in bounded time', async () => {
    const first = (await call('POST', '/api/tasks', { title: 'Hourly', dueAt: '2026-04-02T10:00', recurrence: { rule: 'FREQ=HOURLY' } })).json();
    const moved = (await call('PATCH', `/api/tasks/${first.id}`, { dueAt: '2140-01-01T00:00Z' })).json();
    // The series restarts at the new due, so its walk starts there and not a million hours earlier.
    expect(moved.recurrence.anchorAt).toBe('2140-01-01T00:00:00.000Z');
    await call('POST', `/api/tasks/${first.id}/complete`);
    await expect.poll(async () => (await series(first.seriesId)).map((i) => i.dueAt), { timeout: 10_000 }).toEqual([
      '2140-01-01T00:00:00.000Z',
      '2140-01-01T01:00:00.000Z',
    ]);
  });

  it('records a series that ended by its count as ended (the sweep looks only at live ones)', async () => {
    const first = (await call('POST', '/api/tasks', { title: 'Once more', dueAt: '2026-04-03T09:00', recurrence: { rule: 'daily', count: 2 } })).json();
    await call('POST', `/api/tasks/${first.id}/complete`);
    await expect.poll(async () => (await series(first.seriesId)).length, { timeout: 10_000 }).toBe(2);
    await call('POST', `/api/tasks/${(await series(first.seriesId))[1].id}/complete`);
    const stateOf = async () => (await t.database.db.select().from(seriesTable).where(eq(seriesTable.id, first.seriesId)))[0]?.state;
    await expect.poll(stateOf, { timeout: 10_000 }).toBe('ended');
  });

  it('repeats from the completion when asked', async () => {
    const first = (await call('POST', '/api/tasks', { title: 'Haircut', dueAt: '2026-04-01T10:00', recurrence: { rule: 'FREQ=DAILY;INTERVAL=3', repeatFrom: 'completion' } })).json();
    now = new Date('2026-04-10T15:00:00Z');
    await call('POST', `/api/tasks/${first.id}/complete`);
    await expect.poll(async () => (await series(first.seriesId)).length, { timeout: 10_000 }).toBe(2);
    // Completed on the 10th (local): next is three days later at the series' 10:00.
    expect((await series(first.seriesId))[1].dueAt).toBe('2026-04-13T08:00:00.000Z');
  });
});
