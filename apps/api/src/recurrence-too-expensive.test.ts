import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directOccurrencePort } from './services/occurrence-ports.js';
import { sweepMissedOccurrences } from './services/recurrence-sweep.js';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';

// Every 7 days on Tuesday finds no occurrence from a Monday: the walk gives up after its idle
// budget, which is what any rule too costly to evaluate meets.
const TUESDAYS_FROM_MONDAY = 'FREQ=DAILY;INTERVAL=7;BYDAY=TU';
const MONDAY = '2026-12-07T09:00';
const TUESDAY = '2026-12-08T09:00';

let t: TestApp;
let ada: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  ada = await t.signUp({ timeZone: 'UTC' });
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, user = ada) =>
  t.app.inject({ method, url, headers: user.headers, ...(payload && { payload }) });

function expectTooExpensive(res: Awaited<ReturnType<typeof call>>, path: string): void {
  expect(res.statusCode).toBe(422);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ code: 'recurrence_too_expensive', detail: expect.stringContaining(TUESDAYS_FROM_MONDAY), errors: [{ path }] });
}

describe('a rule that cannot be evaluated within the walk budget', () => {
  it('is refused with 422 recurrence_too_expensive when a task is created with it', async () => {
    expectTooExpensive(await call('POST', '/api/tasks', { title: 'Never again', dueAt: MONDAY, recurrence: { rule: TUESDAYS_FROM_MONDAY } }), 'recurrence.rule');
    expect((await call('GET', '/api/tasks?q=never')).json().items).toEqual([]);
  });

  it('is refused when a task is given it, and so is a due date from which its series cannot be evaluated', async () => {
    const plain = (await call('POST', '/api/tasks', { title: 'Plain', dueAt: MONDAY })).json();
    expectTooExpensive(await call('PATCH', `/api/tasks/${plain.id}`, { recurrence: { rule: TUESDAYS_FROM_MONDAY } }), 'recurrence.rule');

    const tuesdays = (await call('POST', '/api/tasks', { title: 'Tuesdays', dueAt: TUESDAY, recurrence: { rule: TUESDAYS_FROM_MONDAY } })).json();
    expect(tuesdays.recurrence.rule).toBe(TUESDAYS_FROM_MONDAY);
    // Moving the series' latest task to a Monday would restart the series there.
    expectTooExpensive(await call('PATCH', `/api/tasks/${tuesdays.id}`, { dueAt: MONDAY }), 'dueAt');
    expect((await call('GET', `/api/tasks/${tuesdays.id}`)).json()).toMatchObject({ dueAt: '2026-12-08T09:00:00.000Z', version: 1 });
  });

  it('is refused by the recurrence preview', async () => {
    expectTooExpensive(await call('GET', `/api/recurrence/preview?rule=${encodeURIComponent(TUESDAYS_FROM_MONDAY)}&start=${MONDAY}&zone=UTC`), 'query.rule');
  });

  it('is skipped by the recurrence sweep, which goes on to the other series', async () => {
    const bob = await t.signUp({ timeZone: 'UTC' });
    // Repeating from completion restarts the series on the completion's day: today, from which
    // every 7 days never reaches tomorrow's weekday.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const weekday = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][tomorrow.getUTCDay()]!;
    const rule = `FREQ=DAILY;INTERVAL=7;BYDAY=${weekday}`;
    const stuck = (await call('POST', '/api/tasks', { title: 'Stuck', dueAt: `${tomorrow.toISOString().slice(0, 10)}T09:00`, recurrence: { rule, repeatFrom: 'completion' } }, bob)).json();
    const weekly = (await call('POST', '/api/tasks', { title: 'Weekly', dueAt: TUESDAY, recurrence: { rule: 'FREQ=WEEKLY' } }, bob)).json();
    await call('POST', `/api/tasks/${stuck.id}/complete`, undefined, bob);
    await call('POST', `/api/tasks/${weekly.id}/complete`, undefined, bob);

    const tasks = t.process.tasks;
    const swept = await sweepMissedOccurrences({ tasks, occurrences: directOccurrencePort(tasks), logger: pino({ level: 'silent' }), graceSeconds: 0 });
    expect(swept).toEqual({ checked: 2, created: 1, refused: 1 });
    const open = (await call('GET', '/api/tasks?status=open', undefined, bob)).json().items;
    expect(open.map((i: { title: string; dueAt: string }) => [i.title, i.dueAt])).toEqual([['Weekly', '2026-12-15T09:00:00.000Z']]);
  });
});
