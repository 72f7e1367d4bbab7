import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@taskstream/db';
import { createEvent, type TaskLifecycleType, type TaskSnapshot } from '@taskstream/events';
import { createTestDatabase } from '@taskstream/testing';
import { auditMigrations } from './audit-migrations.js';
import { activityFeed, ActivityQuery, HistoryQuery, taskHistory } from './audit-queries.js';
import { recordTaskHistory } from './record-task-history.js';

let database: DatabaseHandle;
let record: (event: Parameters<ReturnType<typeof recordTaskHistory>['handler']>[0]) => Promise<void>;
beforeAll(async () => {
  database = await createTestDatabase([auditMigrations]);
  const { handler } = recordTaskHistory(database.db);
  record = (event) => handler(event, { attempt: 1 });
});
afterAll(() => database.close());

function snapshot(id: string, title: string): TaskSnapshot {
  const t = '2026-03-01T12:00:00.000Z';
  return {
    id, title, description: '', status: 'open', priority: 'medium', tags: [], dueAt: null, timeZone: 'UTC', reminders: [], recurrence: null,
    seriesId: null, occurrenceIndex: null, completedAt: null, createdAt: t, updatedAt: t, version: 1,
  };
}

/** Records one event as the audit consumer would receive it; returns its id. */
async function happened(userId: string, taskId: string, type: TaskLifecycleType, at: string, title = 'Task'): Promise<string> {
  const event = createEvent(type, { taskId, userId, task: snapshot(taskId, title), previous: {}, series: null }, { source: 'test', subject: taskId, partitionKey: userId, time: new Date(at) });
  await record(event);
  return event.id;
}

const feed = (userId: string, query: Record<string, string> = {}) => activityFeed(database.db, userId, ActivityQuery.parse(query));
const history = (userId: string, taskId: string, query: Record<string, string> = {}) => taskHistory(database.db, userId, taskId, HistoryQuery.parse(query));

describe('taskHistory', () => {
  it('lists one task\'s entries oldest first, in the order they were recorded', async () => {
    const ada = randomUUID();
    const task = randomUUID();
    const ids = [
      await happened(ada, task, 'task.created', '2026-03-01T12:00:00Z', 'Plan'),
      await happened(ada, task, 'task.updated', '2026-03-01T12:05:00Z', 'Plan trip'),
      await happened(ada, task, 'task.completed', '2026-03-01T12:10:00Z', 'Plan trip'),
      await happened(ada, task, 'task.deleted', '2026-03-01T12:15:00Z', 'Plan trip'),
    ];
    await happened(ada, randomUUID(), 'task.created', '2026-03-01T12:07:00Z');
    const entries = (await history(ada, task))!.items;
    expect(entries.map((e) => [e.eventId, e.action, e.taskTitle, e.occurredAt])).toEqual([
      [ids[0], 'created', 'Plan', '2026-03-01T12:00:00.000Z'],
      [ids[1], 'updated', 'Plan trip', '2026-03-01T12:05:00.000Z'],
      [ids[2], 'completed', 'Plan trip', '2026-03-01T12:10:00.000Z'],
      [ids[3], 'deleted', 'Plan trip', '2026-03-01T12:15:00.000Z'],
    ]);
    expect(entries.every((e) => e.taskId === task && e.actorId === ada)).toBe(true);
  });

  it('shows only the user\'s own entries, and nothing for a task they have no history of', async () => {
    const ada = randomUUID();
    const bob = randomUUID();
    const task = randomUUID();
    await happened(ada, task, 'task.created', '2026-03-01T12:00:00Z');
    // Not possible through the API today, but the query must not rely on that.
    await happened(bob, task, 'task.updated', '2026-03-01T12:01:00Z');
    expect((await history(ada, task))!.items.map((e) => e.actorId)).toEqual([ada]);
    expect(await history(ada, randomUUID())).toBeNull();
  });
});

describe('taskHistory pages', () => {
  it('pages one task\'s entries oldest first by entry id, each once, with no cursor after the last page', async () => {
    const ada = randomUUID();
    const task = randomUUID();
    const recorded: string[] = [];
    for (let i = 0; i < 7; i++) recorded.push(await happened(ada, task, i === 0 ? 'task.created' : 'task.updated', `2026-03-01T12:0${i}:00Z`));
    await happened(ada, randomUUID(), 'task.created', '2026-03-01T12:30:00Z');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof history>> = await history(ada, task, { limit: '3', ...(cursor && { cursor }) });
      seen.push(...page!.items.map((e) => e.eventId));
      cursor = page!.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(recorded);
    expect(pages).toBe(3);
    expect((await history(ada, task))!.nextCursor).toBeNull();
    // Past the end of a history the user has: an empty page; of one they have not: nothing.
    expect(await history(ada, task, { cursor: '999999999' })).toEqual({ items: [], nextCursor: null });
    expect(await history(randomUUID(), task, { cursor: '1' })).toBeNull();
  });
});

describe('activityFeed', () => {
  it('lists the user\'s entries newest first and none of anyone else\'s', async () => {
    const ada = randomUUID();
    const bob = randomUUID();
    const a = await happened(ada, randomUUID(), 'task.created', '2026-03-01T12:00:00Z');
    const b = await happened(ada, randomUUID(), 'task.created', '2026-03-01T12:01:00Z');
    await happened(bob, randomUUID(), 'task.created', '2026-03-01T12:02:00Z');
    const c = await happened(ada, randomUUID(), 'task.deleted', '2026-03-01T12:03:00Z');
    expect(await feed(ada)).toMatchObject({ items: [{ eventId: c }, { eventId: b }, { eventId: a }], nextCursor: null });
    expect((await feed(bob)).items).toHaveLength(1);
  });

  it('pages by entry id: every entry once, in order, and no cursor after the last page', async () => {
    const ada = randomUUID();
    const recorded: string[] = [];
    for (let i = 0; i < 7; i++) recorded.push(await happened(ada, randomUUID(), 'task.created', `2026-03-01T12:0${i}:00Z`));
    await happened(randomUUID(), randomUUID(), 'task.created', '2026-03-01T12:30:00Z');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await feed(ada, { limit: '3', ...(cursor && { cursor }) });
      seen.push(...page.items.map((e) => e.eventId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...recorded].reverse());
    expect(pages).toBe(3);
    expect((await feed(ada, { limit: '7' })).nextCursor).toBeNull();
  });

  it('filters by action, task and time range (since inclusive, until exclusive)', async () => {
    const ada = randomUUID();
    const task = randomUUID();
    await happened(ada, task, 'task.created', '2026-03-01T12:00:00Z');
    await happened(ada, task, 'task.completed', '2026-03-01T13:00:00Z');
    await happened(ada, randomUUID(), 'task.created', '2026-03-01T14:00:00Z');
    await happened(ada, task, 'task.deleted', '2026-03-01T15:00:00Z');
    const actions = async (query: Record<string, string>) => (await feed(ada, query)).items.map((e) => [e.action, e.occurredAt.slice(11, 13)]);
    expect(await actions({ action: 'completed,deleted' })).toEqual([['deleted', '15'], ['completed', '13']]);
    expect(await actions({ taskId: task })).toEqual([['deleted', '15'], ['completed', '13'], ['created', '12']]);
    expect(await actions({ since: '2026-03-01T13:00:00Z', until: '2026-03-01T15:00:00Z' })).toEqual([['created', '14'], ['completed', '13']]);
  });

  it('refuses a cursor it did not hand out and an unknown action in the query', () => {
    expect(ActivityQuery.safeParse({ cursor: 'abc' }).success).toBe(false);
    const bad = ActivityQuery.safeParse({ action: 'created,renamed' });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'))).toEqual(['action.1']);
  });
});
