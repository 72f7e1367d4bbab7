import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';

let t: TestApp;
let ada: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await createTestApp({ events: true });
  ada = await t.signUp({ timeZone: 'Europe/Berlin' });
  bob = await t.signUp();
});
afterAll(() => t.close());

const call = (user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: user.headers, ...(payload && { payload }) });

describe('audit service (embedded)', () => {
  it('records create, update, complete and delete, and keeps the history after deletion', async () => {
    const task = (await call(ada, 'POST', '/api/tasks', { title: 'Tax return', priority: 'medium', tags: ['admin'] })).json();
    await call(ada, 'PATCH', `/api/tasks/${task.id}`, { title: 'Tax return 2026', priority: 'urgent' });
    await call(ada, 'POST', `/api/tasks/${task.id}/complete`);
    await call(ada, 'DELETE', `/api/tasks/${task.id}`);

    await expect.poll(async () => (await call(ada, 'GET', `/api/tasks/${task.id}/history`)).json().items?.length, { timeout: 10_000 }).toBe(4);
    const { items } = (await call(ada, 'GET', `/api/tasks/${task.id}/history`)).json();
    expect(items.map((e: any) => e.action)).toEqual(['created', 'updated', 'completed', 'deleted']);
    expect(items[0].changes).toMatchObject({ title: { from: null, to: 'Tax return' }, priority: { from: null, to: 'medium' }, tags: { from: null, to: ['admin'] } });
    expect(items[1].changes).toEqual({ title: { from: 'Tax return', to: 'Tax return 2026' }, priority: { from: 'medium', to: 'urgent' } });
    expect(items[2].changes.status).toEqual({ from: 'open', to: 'completed' });
    for (const e of items) {
      expect(e).toMatchObject({ taskId: task.id, actorId: ada.id, eventId: expect.any(String), occurredAt: expect.any(String) });
    }
    expect(new Set(items.map((e: any) => e.eventId)).size).toBe(4);
  });

  it('serves a paged, filtered activity feed of the user\'s own changes only', async () => {
    const a = (await call(ada, 'POST', '/api/tasks', { title: 'Feed A' })).json();
    await call(ada, 'POST', `/api/tasks/${a.id}/complete`);
    await call(bob, 'POST', '/api/tasks', { title: 'Bob secret' });
    await expect.poll(async () => (await call(ada, 'GET', '/api/activity?limit=200')).json().items.length, { timeout: 10_000 }).toBe(6);

    const completed = (await call(ada, 'GET', '/api/activity?action=completed')).json();
    expect(completed.items.map((e: any) => e.taskTitle)).toEqual(['Feed A', 'Tax return 2026']);
    const page1 = (await call(ada, 'GET', '/api/activity?limit=4')).json();
    const page2 = (await call(ada, 'GET', `/api/activity?limit=4&cursor=${page1.nextCursor}`)).json();
    expect([...page1.items, ...page2.items].map((e: any) => e.id)).toEqual((await call(ada, 'GET', '/api/activity?limit=200')).json().items.map((e: any) => e.id));
    expect(page2.nextCursor).toBeNull();
    expect(JSON.stringify((await call(ada, 'GET', '/api/activity?limit=200')).json())).not.toContain('Bob secret');
    await expect.poll(async () => (await call(bob, 'GET', '/api/activity')).json().items.length, { timeout: 10_000 }).toBe(1);
    expect((await call(bob, 'GET', `/api/tasks/${a.id}/history`)).statusCode).toBe(404);
    expect((await call(ada, 'GET', '/api/activity?action=exploded')).statusCode).toBe(400);
  });

  it('pages a task\'s history with limit and cursor, oldest first, and says what is wrong with a bad cursor', async () => {
    const task = (await call(ada, 'POST', '/api/tasks', { title: 'Draft 0' })).json();
    for (let i = 1; i <= 4; i++) await call(ada, 'PATCH', `/api/tasks/${task.id}`, { title: `Draft ${i}` });
    await expect.poll(async () => (await call(ada, 'GET', `/api/tasks/${task.id}/history`)).json().items?.length, { timeout: 10_000 }).toBe(5);

    const first = (await call(ada, 'GET', `/api/tasks/${task.id}/history?limit=3`)).json();
    expect(first.items.map((e: any) => e.taskTitle)).toEqual(['Draft 0', 'Draft 1', 'Draft 2']);
    const rest = (await call(ada, 'GET', `/api/tasks/${task.id}/history?limit=3&cursor=${first.nextCursor}`)).json();
    expect(rest).toMatchObject({ items: [{ taskTitle: 'Draft 3' }, { taskTitle: 'Draft 4' }], nextCursor: null });
    expect((await call(ada, 'GET', `/api/tasks/${task.id}/history?cursor=x`)).json()).toMatchObject({ status: 400, errors: [{ path: 'query.cursor' }] });
    expect((await call(bob, 'GET', `/api/tasks/${task.id}/history?cursor=${first.nextCursor}`)).statusCode).toBe(404);
  });
});
