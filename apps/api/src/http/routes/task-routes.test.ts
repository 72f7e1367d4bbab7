import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

let t: TestApp;
let ada: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  ada = await t.signUp({ timeZone: 'Europe/Berlin' });
  bob = await t.signUp({ timeZone: 'America/New_York' });
});
afterAll(() => t.close());

const post = (user: TestUser, url: string, payload?: unknown) =>
  t.app.inject({ method: 'POST', url, headers: user.headers, ...(payload !== undefined && { payload: payload as object }) });
const get = (user: TestUser, url: string) => t.app.inject({ method: 'GET', url, headers: user.headers });
const patch = (user: TestUser, url: string, payload: unknown) => t.app.inject({ method: 'PATCH', url, headers: user.headers, payload: payload as object });
const del = (user: TestUser, url: string) => t.app.inject({ method: 'DELETE', url, headers: user.headers });

async function create(user: TestUser, body: Record<string, unknown>) {
  const res = await post(user, '/api/tasks', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Record<string, any>>();
}

describe('create and read', () => {
  it('creates a weekly task with tags, a local due date and two reminders', async () => {
    const res = await post(ada, '/api/tasks', {
      title: '  Team meeting  ',
      description: 'agenda',
      priority: 'high',
      tags: ['work', 'Meetings', 'WORK'],
      dueAt: '2026-12-01T09:00',
      reminders: [{ offsetMinutes: 15 }, { remindAt: '2026-11-30T18:00' }],
      recurrence: { rule: 'FREQ=WEEKLY;BYDAY=TU' },
    });
    expect(res.statusCode).toBe(201);
    const task = res.json();
    expect(res.headers.location).toBe(`/api/tasks/${task.id}`);
    expect(task).toMatchObject({
      title: 'Team meeting',
      priority: 'high',
      status: 'open',
      tags: ['Meetings', 'work'],
      // 09:00 in Berlin in winter is 08:00 UTC.
      dueAt: '2026-12-01T08:00:00.000Z',
      timeZone: 'Europe/Berlin',
      occurrenceIndex: 0,
      recurrence: { kind: 'rrule', rule: 'FREQ=WEEKLY;BYDAY=TU', repeatFrom: 'due', count: null, until: null },
    });
    expect(task.recurrence.description).toMatch(/every week on Tuesday at 09:00/);
    expect(task.seriesId).toMatch(/^[0-9a-f-]{36}$/);
    expect(task.reminders.map((r: any) => r.firesAt)).toEqual(['2026-12-01T07:45:00.000Z', '2026-11-30T17:00:00.000Z']);
    expect((await get(ada, `/api/tasks/${task.id}`)).json()).toEqual(task);
  });

  it('defaults the zone to the user\'s and keeps instants given with an offset', async () => {
    const task = await create(bob, { title: 'x', dueAt: '2026-07-01T12:00:00+02:00' });
    expect(task.timeZone).toBe('America/New_York');
    expect(task.dueAt).toBe('2026-07-01T10:00:00.000Z');
    const local = await create(bob, { title: 'y', dueAt: '2026-07-01T09:00' });
    expect(local.dueAt).toBe('2026-07-01T13:00:00.000Z');
  });

  it('rejects what it cannot store, saying which field is wrong', async () => {
    const cases: [unknown, number, string][] = [
      [{ title: '' }, 400, 'body.title'],
      [{ title: '   ' }, 400, 'body.title'],
      [{ title: 'x'.repeat(501) }, 400, 'body.title'],
      [{ title: 'x', description: 'd'.repeat(10_001) }, 400, 'body.description'],
      [{ title: 'x', dueAt: '2026-12-01', reminders: Array.from({ length: 11 }, () => ({ offsetMinutes: 5 })) }, 400, 'body.reminders'],
      [{ title: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 400, 'body.tags'],
      [{ title: 'x', tags: ['t'.repeat(41)] }, 400, 'body.tags.0'],
      [{ title: 'x', priority: 'critical' }, 400, 'body.priority'],
      [{ title: 'x', status: 'done' }, 400, 'body.status'],
      [{ title: 'x', colour: 'red' }, 400, 'body'],
      [{ title: 'x', reminders: [{ remindAt: '2026-12-01T09:00', offsetMinutes: 5 }] }, 400, 'body.reminders.0'],
      [{ title: 'x', dueAt: 'tomorrow' }, 422, 'dueAt'],
      [{ title: 'x', dueAt: '2026-02-30T09:00' }, 422, 'dueAt'],
      [{ title: 'x', timeZone: 'Mars/Olympus' }, 422, 'timeZone'],
      [{ title: 'x', reminders: [{ offsetMinutes: 10 }] }, 422, 'reminders.0.offsetMinutes'],
      [{ title: 'x', recurrence: { rule: 'daily' } }, 422, 'recurrence'],
      [{ title: 'x', dueAt: '2026-12-01T09:00', recurrence: { rule: 'FREQ=FORTNIGHTLY' } }, 422, 'recurrence.rule'],
      [{ title: 'x', dueAt: '2026-12-01T09:00', recurrence: { rule: '61 * * * *' } }, 422, 'recurrence.rule'],
      [{ title: 'x', dueAt: '2026-12-01T09:00', recurrence: { rule: 'daily', repeatFrom: 'whenever' } }, 400, 'body.recurrence.repeatFrom'],
    ];
    const before = (await get(ada, '/api/tasks?limit=200')).json().items.length;
    for (const [body, status, path] of cases) {
      const res = await post(ada, '/api/tasks', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const p = res.json();
      expect(p.code, JSON.stringify(body)).toMatch(/^[a-z_]+$/);
      expect(p.detail).toBeTruthy();
      expect(p.errors.map((e: any) => e.path), JSON.stringify(body)).toContain(path);
    }
    expect((await get(ada, '/api/tasks?limit=200')).json().items.length).toBe(before);
  });

  it('accepts the limits themselves', async () => {
    const task = await create(ada, {
      title: 'x'.repeat(500),
      description: 'd'.repeat(10_000),
      dueAt: '2026-12-01T09:00',
      tags: Array.from({ length: 20 }, (_, i) => `limit-${i}-${'t'.repeat(30)}`),
      reminders: Array.from({ length: 10 }, (_, i) => ({ offsetMinutes: i })),
    });
    expect(task.tags).toHaveLength(20);
    expect(task.reminders).toHaveLength(10);
  });
});

describe('update, complete, reopen, delete', () => {
  it('patches fields and moves relative reminders with the due time', async () => {
    const task = await create(ada, { title: 'Dentist', dueAt: '2026-12-01T09:00', reminders: [{ offsetMinutes: 60 }, { remindAt: '2026-11-29T10:00' }] });
    const res = await patch(ada, `/api/tasks/${task.id}`, { title: 'Dentist (moved)', dueAt: '2026-12-02T10:30', tags: ['health'] });
    expect(res.statusCode).toBe(200);
    const updated = res.json();
    expect(updated).toMatchObject({ title: 'Dentist (moved)', dueAt: '2026-12-02T09:30:00.000Z', tags: ['health'], version: 2 });
    expect(updated.reminders.map((r: any) => r.firesAt)).toEqual(['2026-12-02T08:30:00.000Z', '2026-11-29T09:00:00.000Z']);
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(task.updatedAt).getTime());

    const cleared = await patch(ada, `/api/tasks/${task.id}`, { dueAt: null });
    expect(cleared.statusCode).toBe(422);
    expect(cleared.json().errors[0].path).toBe('dueAt');
    expect((await get(ada, `/api/tasks/${task.id}`)).json().dueAt).toBe('2026-12-02T09:30:00.000Z');
  });

  it('keeps the instant when only the zone changes, and reads a new local due time in the new zone', async () => {
    const task = await create(ada, { title: 'Call', dueAt: '2026-12-01T09:00' });
    const moved = (await patch(ada, `/api/tasks/${task.id}`, { timeZone: 'Asia/Tokyo' })).json();
    expect(moved).toMatchObject({ timeZone: 'Asia/Tokyo', dueAt: '2026-12-01T08:00:00.000Z' });
    const local = (await patch(ada, `/api/tasks/${task.id}`, { dueAt: '2026-12-01T09:00' })).json();
    expect(local.dueAt).toBe('2026-12-01T00:00:00.000Z');
  });

  it('changes and removes recurrence', async () => {
    const task = await create(ada, { title: 'Standup', dueAt: '2026-12-01T09:00', recurrence: { rule: 'weekdays' } });
    const changed = (await patch(ada, `/api/tasks/${task.id}`, { recurrence: { rule: 'FREQ=DAILY;INTERVAL=2', count: 5 } })).json();
    expect(changed.recurrence).toMatchObject({ rule: 'FREQ=DAILY;INTERVAL=2', count: 5 });
    expect(changed.seriesId).not.toBe(task.seriesId);
    const stopped = (await patch(ada, `/api/tasks/${task.id}`, { recurrence: null })).json();
    expect(stopped).toMatchObject({ recurrence: null, seriesId: null, occurrenceIndex: null });
    const listed = (await get(ada, '/api/tasks?recurring=true&limit=200')).json();
    expect(listed.items.map((i: any) => i.id)).not.toContain(task.id);
  });

  it('rejects an empty patch and unknown fields', async () => {
    const task = await create(ada, { title: 'p' });
    expect((await patch(ada, `/api/tasks/${task.id}`, {})).statusCode).toBe(400);
    expect((await patch(ada, `/api/tasks/${task.id}`, { id: 'x' })).statusCode).toBe(400);
    expect((await patch(ada, `/api/tasks/${task.id}`, { createdAt: '2020-01-01T00:00:00Z' })).statusCode).toBe(400);
  });

  it('completes and reopens idempotently', async () => {
    const task = await create(ada, { title: 'Laundry' });
    const done = (await post(ada, `/api/tasks/${task.id}/complete`)).json();
    expect(done.status).toBe('completed');
    expect(done.completedAt).toBeTruthy();
    const again = (await post(ada, `/api/tasks/${task.id}/complete`)).json();
    expect(again).toEqual(done);
    const open = (await post(ada, `/api/tasks/${task.id}/reopen`)).json();
    expect(open).toMatchObject({ status: 'open', completedAt: null, version: done.version + 1 });
    expect((await post(ada, `/api/tasks/${task.id}/reopen`)).json()).toEqual(open);
  });

  it('deletes a task and then says it is gone', async () => {
    const task = await create(ada, { title: 'Temp', tags: ['keepme'], dueAt: '2026-12-01T09:00', reminders: [{ offsetMinutes: 1 }] });
    expect((await del(ada, `/api/tasks/${task.id}`)).statusCode).toBe(204);
    const res = await get(ada, `/api/tasks/${task.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('task_not_found');
    expect((await del(ada, `/api/tasks/${task.id}`)).statusCode).toBe(404);
    const tags = (await get(ada, '/api/tags')).json().items.map((g: any) => g.name);
    expect(tags).toContain('keepme');
  });
});

describe('isolation', () => {
  it('answers 404 for another user\'s task on every route and changes nothing', async () => {
    const mine = await create(ada, { title: 'Private diary', tags: ['secret'] });
    const attempts = [
      get(bob, `/api/tasks/${mine.id}`),
      patch(bob, `/api/tasks/${mine.id}`, { title: 'hacked' }),
      post(bob, `/api/tasks/${mine.id}/complete`),
      post(bob, `/api/tasks/${mine.id}/reopen`),
      del(bob, `/api/tasks/${mine.id}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Private diary');
    }
    expect((await get(ada, `/api/tasks/${mine.id}`)).json()).toEqual(mine);
    const bobs = (await get(bob, '/api/tasks?limit=200&q=diary')).json();
    expect(bobs.items).toEqual([]);
    expect((await get(bob, '/api/tags')).json().items.map((g: any) => g.name)).not.toContain('secret');
  });

  it('treats malformed and unknown ids as not found', async () => {
    for (const id of ['nope', '00000000-0000-0000-0000-000000000000', "1' or '1'='1"]) {
      const res = await get(ada, `/api/tasks/${encodeURIComponent(id)}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('task_not_found');
    }
  });
});
