import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@taskstream/db';
import { createEvent, type TaskLifecycleData, type TaskLifecycleType, type TaskSnapshot } from '@taskstream/events';
import { createTestDatabase } from '@taskstream/testing';
import { auditMigrations } from './audit-migrations.js';
import { auditEntries } from './audit-schema.js';
import { changesOf, recordTaskHistory } from './record-task-history.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase([auditMigrations]);
});
afterAll(() => database.close());

const T0 = '2026-03-01T12:00:00.000Z';

function snapshot(overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return {
    id: randomUUID(), title: 'Water plants', description: '', status: 'open', priority: 'medium', tags: [], dueAt: null, timeZone: 'UTC',
    reminders: [], recurrence: null, seriesId: null, occurrenceIndex: null, completedAt: null, createdAt: T0, updatedAt: T0, version: 1,
    ...overrides,
  };
}

function lifecycle(type: TaskLifecycleType, task: TaskSnapshot, previous: Record<string, unknown>, userId: string, time = T0) {
  const data: TaskLifecycleData = { taskId: task.id, userId, task, previous, series: null };
  return createEvent(type, data, { source: 'test', subject: task.id, partitionKey: userId, time: new Date(time) });
}

const entriesOf = (taskId: string) => database.db.select().from(auditEntries).where(eq(auditEntries.taskId, taskId)).orderBy(auditEntries.id);

/** The audit consumer's handler, as the bus calls it. */
const handlerOf = (db: DatabaseHandle['db']) => {
  const { handler } = recordTaskHistory(db);
  return (event: Parameters<typeof handler>[0]) => handler(event, { attempt: 1 });
};

describe('recordTaskHistory', () => {
  it('records one entry per event: action, actor, title at the time, changes and when it happened', async () => {
    const handle = handlerOf(database.db);
    const userId = randomUUID();
    const created = snapshot({ priority: 'high' });
    const renamed = { ...created, title: 'Water all plants', version: 2 };
    const done = { ...renamed, status: 'completed' as const, completedAt: '2026-03-01T13:00:00.000Z', version: 3 };
    await handle(lifecycle('task.created', created, {}, userId, '2026-03-01T12:00:00.000Z'));
    await handle(lifecycle('task.updated', renamed, { title: 'Water plants' }, userId, '2026-03-01T12:30:00.000Z'));
    await handle(lifecycle('task.completed', done, { status: 'open', completedAt: null }, userId, '2026-03-01T13:00:00.000Z'));
    await handle(lifecycle('task.deleted', done, {}, userId, '2026-03-01T14:00:00.000Z'));

    const rows = await entriesOf(created.id);
    expect(rows.map((r) => [r.action, r.userId, r.actorId, r.taskTitle, r.occurredAt.toISOString()])).toEqual([
      ['created', userId, userId, 'Water plants', '2026-03-01T12:00:00.000Z'],
      ['updated', userId, userId, 'Water all plants', '2026-03-01T12:30:00.000Z'],
      ['completed', userId, userId, 'Water all plants', '2026-03-01T13:00:00.000Z'],
      ['deleted', userId, userId, 'Water all plants', '2026-03-01T14:00:00.000Z'],
    ]);
    expect(rows.map((r) => r.changes)).toEqual([
      { title: { from: null, to: 'Water plants' }, status: { from: null, to: 'open' }, priority: { from: null, to: 'high' }, timeZone: { from: null, to: 'UTC' } },
      { title: { from: 'Water plants', to: 'Water all plants' } },
      { status: { from: 'open', to: 'completed' }, completedAt: { from: null, to: '2026-03-01T13:00:00.000Z' } },
      {},
    ]);
  });

  it('makes redelivery of the same event id a no-op, even when the copy differs', async () => {
    const handle = handlerOf(database.db);
    const userId = randomUUID();
    const task = snapshot();
    const event = lifecycle('task.created', task, {}, userId);
    await handle(event);
    await handle(event);
    await handle({ ...event, data: { ...event.data, task: { ...task, title: 'Tampered' } } });
    const rows = await entriesOf(task.id);
    expect(rows.map((r) => [r.eventId, r.taskTitle])).toEqual([[event.id, 'Water plants']]);
  });

  it('keeps recording other events after a duplicate', async () => {
    const handle = handlerOf(database.db);
    const userId = randomUUID();
    const task = snapshot();
    const first = lifecycle('task.created', task, {}, userId);
    await handle(first);
    await handle(first);
    await handle(lifecycle('task.deleted', task, {}, userId));
    expect((await entriesOf(task.id)).map((r) => r.action)).toEqual(['created', 'deleted']);
  });
});

describe('changesOf', () => {
  const userId = 'user-1';
  const data = (task: TaskSnapshot, previous: Record<string, unknown> = {}): TaskLifecycleData => ({ taskId: task.id, userId, task, previous, series: null });

  it('lists, for a created task, each tracked field that has a value, from null', () => {
    const task = snapshot({
      description: 'on the balcony',
      tags: ['home'],
      dueAt: '2026-03-02T08:00:00.000Z',
      reminders: [{ id: randomUUID(), remindAt: null, offsetMinutes: 10, firesAt: '2026-03-02T07:50:00.000Z' }],
    });
    expect(changesOf('task.created', data(task))).toEqual({
      title: { from: null, to: 'Water plants' },
      description: { from: null, to: 'on the balcony' },
      status: { from: null, to: 'open' },
      priority: { from: null, to: 'medium' },
      tags: { from: null, to: ['home'] },
      dueAt: { from: null, to: '2026-03-02T08:00:00.000Z' },
      timeZone: { from: null, to: 'UTC' },
      reminders: { from: null, to: task.reminders },
    });
  });

  it('leaves out empty text, empty lists, nulls and bookkeeping fields of a created task', () => {
    expect(Object.keys(changesOf('task.created', data(snapshot())))).toEqual(['title', 'status', 'priority', 'timeZone']);
  });

  it('pairs each previous value of an update with the value after it', () => {
    const task = snapshot({ title: 'New', dueAt: null, tags: ['a'] });
    expect(changesOf('task.updated', data(task, { title: 'Old', dueAt: '2026-03-02T08:00:00.000Z', tags: [] }))).toEqual({
      title: { from: 'Old', to: 'New' },
      dueAt: { from: '2026-03-02T08:00:00.000Z', to: null },
      tags: { from: [], to: ['a'] },
    });
  });

  it('records no field changes for a deletion', () => {
    expect(changesOf('task.deleted', data(snapshot(), { title: 'ignored' }))).toEqual({});
  });
});
