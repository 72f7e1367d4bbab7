import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { series, tasks } from '@taskstream/db';
import { NextOccurrenceRequest } from '@taskstream/events';
import type { Actor } from '../context.js';
import { TaskError } from '../errors.js';
import { CreateTaskInput, UpdateTaskInput, type TaskView } from '../task-schemas.js';
import { createTasksFixture, occurrenceTask, type TasksFixture } from '../testing/tasks-fixture.js';
import { createNextOccurrence } from './create-next-occurrence.js';
import { createTask } from './create-task.js';
import { deleteTask } from './delete-task.js';
import { endSeries } from './end-series.js';
import { completeTask } from './set-task-status.js';
import { updateTask } from './update-task.js';

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
    const result = await createNextOccurrence(f.ctx, next(ada, first));
    expect(result.outcome).toBe('created');
    const task = occurrenceTask(result);
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
    expect(again).toEqual({ task: occurrenceTask(one), outcome: 'exists' });
    expect((await occurrences(first.seriesId!)).map((t) => t.occurrenceIndex).sort()).toEqual([0, 1]);
    expect(await f.takeEvents()).toEqual([]);
  });

  it('creates one task per index', async () => {
    const ada = await f.newUser();
    const first = await weeklySeries(ada);
    const a = await createNextOccurrence(f.ctx, next(ada, first, 1));
    const b = await createNextOccurrence(f.ctx, next(ada, first, 2));
    expect(occurrenceTask(a).id).not.toBe(occurrenceTask(b).id);
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

  it('a duplicate task.completed after the user deleted the successor creates nothing', async () => {
    const ada = await f.newUser();
    const first = await weeklySeries(ada);
    await completeTask(f.ctx, ada, first.id);
    const successor = occurrenceTask(await createNextOccurrence(f.ctx, next(ada, first)));
    await deleteTask(f.ctx, ada, successor.id);
    await f.takeEvents();

    expect(await createNextOccurrence(f.ctx, next(ada, first))).toEqual({ outcome: 'stopped' });
    expect((await occurrences(first.seriesId!)).map((t) => t.occurrenceIndex)).toEqual([0]);
    expect(await f.takeEvents()).toEqual([]);
  });

  it('makes no successor again once the one made was taken out of the series, even while the series goes on elsewhere', async () => {
    const ada = await f.newUser();
    const first = await weeklySeries(ada);
    const second = occurrenceTask(await createNextOccurrence(f.ctx, next(ada, first, 1)));
    await createNextOccurrence(f.ctx, next(ada, first, 2));
    // Index 1 detached; index 2 still open, so the series lives on.
    await updateTask(f.ctx, ada, second.id, UpdateTaskInput.parse({ recurrence: null }));
    expect(await createNextOccurrence(f.ctx, next(ada, first, 1))).toEqual({ outcome: 'stopped' });
    expect((await createNextOccurrence(f.ctx, next(ada, first, 3))).outcome).toBe('created');
  });

  it('makes nothing for a series that has ended by its rule', async () => {
    const ada = await f.newUser();
    const first = await weeklySeries(ada);
    expect(await endSeries(f.ctx, { userId: ada.userId, seriesId: first.seriesId!, occurrenceIndex: 0 })).toEqual({ outcome: 'ended' });
    expect(await createNextOccurrence(f.ctx, next(ada, first))).toEqual({ outcome: 'stopped' });
    expect(await occurrences(first.seriesId!)).toHaveLength(1);
  });
});

describe('endSeries', () => {
  const stateOf = async (seriesId: string) => {
    const [row] = await f.database.db.select().from(series).where(eq(series.id, seriesId));
    return [row!.state, row!.followedUpTo];
  };

  it('ends the series after the given occurrence, and again harmlessly', async () => {
    const ada = await f.newUser();
    const first = await weeklySeries(ada);
    await endSeries(f.ctx, { userId: ada.userId, seriesId: first.seriesId!, occurrenceIndex: 0 });
    expect(await endSeries(f.ctx, { userId: ada.userId, seriesId: first.seriesId!, occurrenceIndex: 0 })).toEqual({ outcome: 'ended' });
    expect(await stateOf(first.seriesId!)).toEqual(['ended', 0]);
  });

  it('leaves a series that already goes on past that occurrence (a stale event) live', async () => {
    const ada = await f.newUser();
    const first = await weeklySeries(ada);
    await createNextOccurrence(f.ctx, next(ada, first));
    expect(await endSeries(f.ctx, { userId: ada.userId, seriesId: first.seriesId!, occurrenceIndex: 0 })).toEqual({ outcome: 'continues' });
    expect(await stateOf(first.seriesId!)).toEqual(['live', 0]);
  });

  it("answers series_not_found for another user's series and leaves it live", async () => {
    const ada = await f.newUser();
    const bob = await f.newUser();
    const first = await weeklySeries(ada);
    await expect(endSeries(f.ctx, { userId: bob.userId, seriesId: first.seriesId!, occurrenceIndex: 0 })).rejects.toMatchObject({ code: 'series_not_found' });
    expect(await stateOf(first.seriesId!)).toEqual(['live', null]);
  });
});

describe("the owner's decisions end a series", () => {
  const stateOf = async (seriesId: string) => (await f.database.db.select().from(series).where(eq(series.id, seriesId)))[0]!.state;

  it('when its latest task is deleted, detached or given a new rule and no open task remains, and not before', async () => {
    const ada = await f.newUser();
    for (const leave of [
      (id: string) => deleteTask(f.ctx, ada, id),
      (id: string) => updateTask(f.ctx, ada, id, UpdateTaskInput.parse({ recurrence: null })),
      (id: string) => updateTask(f.ctx, ada, id, UpdateTaskInput.parse({ recurrence: { rule: 'FREQ=DAILY' } })),
    ]) {
      const first = await weeklySeries(ada);
      const second = occurrenceTask(await createNextOccurrence(f.ctx, next(ada, first)));
      // The first task is not the latest, and the second is still open.
      await leave(first.id);
      expect(await stateOf(first.seriesId!)).toBe('live');
      await leave(second.id);
      expect(await stateOf(first.seriesId!)).toBe('ended');
    }
  });

  it('not while an older task of it is still open', async () => {
    const ada = await f.newUser();
    const first = await weeklySeries(ada);
    const second = occurrenceTask(await createNextOccurrence(f.ctx, next(ada, first)));
    await deleteTask(f.ctx, ada, second.id);
    expect(await stateOf(first.seriesId!)).toBe('live');
  });
});
