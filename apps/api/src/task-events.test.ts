import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '@taskstream/db';
import { parseEvent, type AnyEvent } from '@taskstream/events';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';

let t: TestApp;
let ada: TestUser;
let seen = 0;
const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

beforeAll(async () => {
  t = await createTestApp();
  ada = await t.signUp({ timeZone: 'Europe/Berlin' });
});
afterAll(() => t.close());
beforeEach(async () => {
  seen = await count();
});

const count = async () => Number((await queryRows<{ n: string }>(t.database.db, sql`select count(*) as n from outbox`))[0]!.n);

/** Events recorded since the test began, parsed against the catalog (a parse failure fails the test). */
async function newEvents(): Promise<{ topic: string; key: string; event: AnyEvent }[]> {
  const rows = await queryRows<{ topic: string; partition_key: string; event: unknown }>(t.database.db, sql`select topic, partition_key, event from outbox order by id offset ${seen}`);
  return rows.map((r) => {
    const parsed = parseEvent(r.event);
    if (!parsed.ok) throw new Error(parsed.error);
    return { topic: r.topic, key: r.partition_key, event: parsed.event };
  });
}

const call = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { ...ada.headers, traceparent: TRACE }, ...(payload && { payload }) });

describe('every task change becomes documented events, written with the change', () => {
  it('task.created and task.changed with a valid envelope, the task, its series and the trace', async () => {
    const res = await call('POST', '/api/tasks', { title: 'Weekly review', tags: ['work'], dueAt: '2026-12-04T16:00', recurrence: { rule: 'weekly' } });
    const task = res.json();
    const events = await newEvents();
    expect(events.map((e) => [e.topic, e.event.type])).toEqual([
      ['task-events', 'task.created'],
      ['task-updates', 'task.changed'],
    ]);
    for (const { key, event } of events) {
      expect(event).toMatchObject({ specversion: '1.0', source: 'taskstream/api', subject: task.id, partitionkey: ada.id, traceparent: TRACE, datacontenttype: 'application/json' });
      expect(key).toBe(ada.id);
    }
    expect(events[0]!.event.data).toEqual({ taskId: task.id, userId: ada.id, task, previous: {}, series: { seriesId: task.seriesId, occurrenceIndex: 0 } });
    expect(events[1]!.event.data).toEqual({ userId: ada.id, taskId: task.id, operation: 'created', task });
  });

  it('task.updated carries only the changed fields with their previous values', async () => {
    const task = (await call('POST', '/api/tasks', { title: 'Draft', priority: 'low' })).json();
    seen = await count();
    const updated = (await call('PATCH', `/api/tasks/${task.id}`, { title: 'Final', priority: 'high' })).json();
    const [lifecycle, changed] = await newEvents();
    expect(lifecycle!.event.type).toBe('task.updated');
    expect(lifecycle!.event.data).toMatchObject({ task: updated, previous: { title: 'Draft', priority: 'low' }, series: null });
    expect(changed!.event.data).toMatchObject({ operation: 'updated', task: updated });
  });

  it('completing, reopening and deleting produce their own events; repeats and no-ops produce none', async () => {
    const task = (await call('POST', '/api/tasks', { title: 'Lifecycle' })).json();
    seen = await count();
    await call('POST', `/api/tasks/${task.id}/complete`);
    await call('POST', `/api/tasks/${task.id}/complete`);
    await call('PATCH', `/api/tasks/${task.id}`, { title: 'Lifecycle' });
    await call('POST', `/api/tasks/${task.id}/reopen`);
    await call('PATCH', `/api/tasks/${task.id}`, { status: 'completed' });
    await call('DELETE', `/api/tasks/${task.id}`);
    const events = await newEvents();
    expect(events.filter((e) => e.topic === 'task-events').map((e) => e.event.type)).toEqual(['task.completed', 'task.reopened', 'task.completed', 'task.deleted']);
    const changes = events.filter((e) => e.topic === 'task-updates').map((e) => e.event.data as { operation: string; task: unknown });
    expect(changes.map((c) => c.operation)).toEqual(['completed', 'reopened', 'completed', 'deleted']);
    expect(changes.at(-1)!.task).toBeNull();
    const completed = events[0]!.event.data as { previous: Record<string, unknown> };
    expect(completed.previous).toMatchObject({ status: 'open', completedAt: null });
  });

  it('a rejected request records nothing', async () => {
    await call('POST', '/api/tasks', { title: '' });
    await call('POST', '/api/tasks', { title: 'x', dueAt: '2026-12-01T09:00', recurrence: { rule: 'FREQ=NEVER' } });
    await call('PATCH', '/api/tasks/00000000-0000-0000-0000-000000000000', { title: 'ghost' });
    expect(await newEvents()).toEqual([]);
  });

  it('starts a trace when the request carries none', async () => {
    await t.app.inject({ method: 'POST', url: '/api/tasks', headers: ada.headers, payload: { title: 'untraced' } });
    const [first] = await newEvents();
    expect(first!.event.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(first!.event.traceparent).not.toBe(TRACE);
  });
});
