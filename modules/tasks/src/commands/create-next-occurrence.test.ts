import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '@taskstream/db';
import { NextOccurrenceRequest } from '@taskstream/events';
import type { Actor } from '../context.js';
import { TaskError } from '../errors.js';
import { CreateTaskInput, type TaskView } from '../task-schemas.js';
import { createTasksFixture, type TasksFixture } from '../testing/tasks-fixture.js';
import { createNextOccurrence } from './create-next-occurrence.js';
import { createTask } from './create-task.js';

let f: TasksFixture;
beforeAll(async () => {
  f = await createTasksFixture();
});
afterAll(() => f.close());

const create = (actor: Actor, body: unknown) => createTask(f.ctx, actor, CreateTaskInput.parse(body));

/** A weekly series in Berlin whose first task is due 2026-12-04 16:00 local. */
async function weeklySeries(actor: Actor): Promise<TaskView> {
  return create(actor, { title: 'Review', dueAt: '2026-12-04T16:00', timeZone: 'Europe/Berlin', recurrence: { rule: 'FREQ=WEEKLY' } });
}

const next = (actor: Actor, first: TaskView, occurrenceIndex = 1, template: Partial<NextOccurrenceRequest['template']> = {}): NextOccurrenceRequest =>
  NextOccurrenceRequest.parse({
    userId: actor.userId,
    seriesId: first.seriesId,
    occurrenceIndex,
    dueAt: '2026-12-11T15:00:00.000Z',
    template: { title: 'Review', description: 'the week', priority: 'high', tags: ['work'], reminderOffsets: [15, 60], ...template },
  });

const occurrences = (seriesId: string) => f.database.db.select().from(tasks).where(eq(tasks.seriesId, seriesId));

describe('createNextOccurrence', () => {
  it('creates the next task of the series from the template, in the series\' zone, with relative reminders', async () => {
    const ada = await f.newUser('UTC');
    const first = await weeklySeries(ada);
    await f.takeEvents();
    const { task, created } = await createNextOccurrence(f.ctx, next(ada, first));
    expect(created).toBe(true);
    expect(task).toMatchObject({
      title: 'Review',
      description: 'the week',
      priority: 'high',
      status: 'open',
      tags: ['work'],
      dueAt: '2026-12-11T15:00:00.000Z',
      timeZone: 'Europe/Berlin',
      seriesId: first.seriesId,
      occurrenceIndex: 1,
      recurrence: first.recurrence,
      version: 1,
    });
    expect(task.reminders.map((r) => [r.offsetMinutes, r.firesAt]).sort()).toEqual([
      [15, '2026-12-11T14:45:00.000Z'],
      [60, '2026-12-11T14:00:00.000Z'],
    ]);
    const events = await f.takeEvents();
    expect(events.map((e) => [e.topic, e.event.type])).toEqual([
      ['task-events', 'task.created'],
      ['task-updates', 'task.changed'],
    ]);
    expect(events[0]!.event.data).toMatchObject({ task, series: { seriesId: first.seriesId, occurrenceIndex: 1 } });
  });

  it('is idempotent per (series, index): a second request returns the same task, changes nothing and records nothing', async () => {
    const ada = await f.newUser();
    const first = await weeklySeries(ada);
    const one = await createNextOccurrence(f.ctx, next(ada, first));
    await f.takeEvents();
    const again = await createNextOccurrence(f.ctx, next(ada, first, 1, { title: 'Something else', reminderOffsets: [] }));
    expect(again).toEqual({ task: one.task, created: false });
    expect((await occurrences(first.seriesId!)).map((t) => t.occurrenceIndex).sort()).toEqual([0, 1]);
    expect(await f.takeEvents()).toEqual([]);
  });

  it('creates one task per index', async () => {
    const ada = await f.newUser();
    const first = await weeklySeries(ada);
    const a = await createNextOccurrence(f.ctx, next(ada, first, 1));
    const b = await createNextOccurrence(f.ctx, next(ada, first, 2));
    expect(a.task.id).not.toBe(b.task.id);
    expect((await occurrences(first.seriesId!)).map((t) => t.occurrenceIndex).sort()).toEqual([0, 1, 2]);
  });

  it('answers series_not_found for another user\'s series and creates nothing', async () => {
    const ada = await f.newUser();
    const bob = await f.newUser();
    const first = await weeklySeries(ada);
    await f.takeEvents();
    const e: unknown = await createNextOccurrence(f.ctx, next(bob, first)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TaskError);
    expect(e).toMatchObject({ kind: 'not_found', code: 'series_not_found' });
    expect(await f.database.db.select().from(tasks).where(and(eq(tasks.userId, bob.userId)))).toEqual([]);
    expect(await occurrences(first.seriesId!)).toHaveLength(1);
    expect(await f.takeEvents()).toEqual([]);
  });
});
