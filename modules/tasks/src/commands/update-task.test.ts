import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminders, tasks } from '@taskstream/db';
import type { Actor } from '../context.js';
import { TaskError } from '../errors.js';
import { getTask } from '../queries/get-task.js';
import { CreateTaskInput, UpdateTaskInput, type TaskView } from '../task-schemas.js';
import { createTasksFixture, occurrenceTask, type TasksFixture } from '../testing/tasks-fixture.js';
import { createNextOccurrence } from './create-next-occurrence.js';
import { createTask } from './create-task.js';
import { updateTask } from './update-task.js';

let f: TasksFixture;
beforeAll(async () => {
  f = await createTasksFixture();
});
afterAll(() => f.close());

const create = (actor: Actor, body: unknown) => createTask(f.ctx, actor, CreateTaskInput.parse(body));
const update = (actor: Actor, id: string, body: unknown) => updateTask(f.ctx, actor, id, UpdateTaskInput.parse(body));

/** The series' occurrence 1, as the recurrence service would ask for it, with the first task's title. */
const secondOccurrence = (actor: Actor, first: TaskView, dueAt: string) =>
  createNextOccurrence(f.ctx, {
    userId: actor.userId,
    seriesId: first.seriesId!,
    occurrenceIndex: 1,
    dueAt,
    template: { title: first.title, description: '', priority: 'medium', tags: [], reminderOffsets: [] },
  });

async function failure(p: Promise<unknown>): Promise<TaskError> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof TaskError)) throw new Error(`expected a TaskError, got ${String(e)}`);
  return e;
}

describe('updateTask', () => {
  it('changes the given fields, bumps the version and records only the changed fields in previous', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'Draft', description: 'notes', priority: 'low' });
    await f.takeEvents();
    f.clock.advance(60_000);
    const updated = await update(ada, task.id, { title: 'Final', priority: 'high', description: 'notes' });
    expect(updated).toMatchObject({ title: 'Final', priority: 'high', description: 'notes', version: 2, updatedAt: f.clock.now.toISOString(), createdAt: task.createdAt });
    const events = await f.takeEvents();
    expect(events.map((e) => [e.topic, e.event.type])).toEqual([
      ['task-events', 'task.updated'],
      ['task-updates', 'task.changed'],
    ]);
    expect(events[0]!.event.data).toEqual({ taskId: task.id, userId: ada.userId, task: updated, previous: { title: 'Draft', priority: 'low' }, series: null });
    expect(events[1]!.event.data).toMatchObject({ operation: 'updated', task: updated });
  });

  it('changes nothing for a patch that changes nothing: same version, no events', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'Same', tags: ['work'] });
    await f.takeEvents();
    f.clock.advance(60_000);
    const again = await update(ada, task.id, { title: 'Same', tags: ['Work'] });
    expect(again).toEqual(task);
    const [row] = await f.database.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row!.version).toBe(1);
    expect(await f.takeEvents()).toEqual([]);
  });

  it('replaces tags as a whole', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T', tags: ['a', 'b'] });
    const updated = await update(ada, task.id, { tags: ['c'] });
    expect(updated.tags).toEqual(['c']);
  });

  it('completes through a status patch: completedAt set, and the event is task.completed', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T' });
    await f.takeEvents();
    const updated = await update(ada, task.id, { status: 'completed' });
    expect(updated.completedAt).toBe(f.clock.now.toISOString());
    const [lifecycle] = await f.takeEvents();
    expect(lifecycle!.event.type).toBe('task.completed');
    expect(lifecycle!.event.data).toMatchObject({ previous: { status: 'open', completedAt: null } });
  });

  it('moves relative reminders with the due time, re-arms one that fired, and leaves absolute ones', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T', dueAt: '2026-12-01T09:00:00Z', reminders: [{ offsetMinutes: 60 }, { remindAt: '2026-11-30T18:00:00Z' }] });
    const relativeId = task.reminders.find((r) => r.offsetMinutes !== null)!.id;
    const absoluteId = task.reminders.find((r) => r.offsetMinutes === null)!.id;
    const firedAt = new Date('2026-12-01T08:00:00Z');
    await f.database.db.update(reminders).set({ firedAt }).where(eq(reminders.taskId, task.id));

    const updated = await update(ada, task.id, { dueAt: '2026-12-02T09:00:00Z' });
    expect(updated.reminders.find((r) => r.id === relativeId)?.firesAt).toBe('2026-12-02T08:00:00.000Z');
    expect(updated.reminders.find((r) => r.id === absoluteId)?.firesAt).toBe('2026-11-30T18:00:00.000Z');
    const rows = await f.database.db.select().from(reminders).where(eq(reminders.taskId, task.id));
    expect(rows.find((r) => r.id === relativeId)?.firedAt).toBeNull();
    expect(rows.find((r) => r.id === absoluteId)?.firedAt).toEqual(firedAt);
  });

  it('refuses to clear the due date of a task with relative reminders, and changes nothing', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T', dueAt: '2026-12-01T09:00:00Z', reminders: [{ offsetMinutes: 15 }] });
    await f.takeEvents();
    const e = await failure(update(ada, task.id, { dueAt: null }));
    expect([e.kind, e.code, e.errors.map((x) => x.path)]).toEqual(['validation', 'validation_failed', ['dueAt']]);
    expect(await getTask(f.ctx, ada, task.id)).toEqual(task);
    expect(await f.takeEvents()).toEqual([]);
  });

  it('clears the due date when the same patch replaces the relative reminders with absolute ones', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T', dueAt: '2026-12-01T09:00:00Z', reminders: [{ offsetMinutes: 15 }] });
    const updated = await update(ada, task.id, { dueAt: null, reminders: [{ remindAt: '2026-12-01T08:00:00Z' }] });
    expect(updated.dueAt).toBeNull();
    expect(updated.reminders.map((r) => [r.offsetMinutes, r.firesAt])).toEqual([[null, '2026-12-01T08:00:00.000Z']]);
  });

  it('clears the due date of a task whose reminders are all absolute, keeping them', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T', dueAt: '2026-12-01T09:00:00Z', reminders: [{ remindAt: '2026-12-01T08:00:00Z' }] });
    const updated = await update(ada, task.id, { dueAt: null });
    expect(updated.dueAt).toBeNull();
    expect(updated.reminders).toEqual(task.reminders);
  });

  it('keeps the instant when only the zone changes, and reads a new local due time in the new zone', async () => {
    const ada = await f.newUser('Europe/Berlin');
    const task = await create(ada, { title: 'T', dueAt: '2026-12-01T09:00' });
    const moved = await update(ada, task.id, { timeZone: 'America/New_York' });
    expect([moved.dueAt, moved.timeZone]).toEqual(['2026-12-01T08:00:00.000Z', 'America/New_York']);
    const local = await update(ada, task.id, { dueAt: '2026-12-01T09:00' });
    expect(local.dueAt).toBe('2026-12-01T14:00:00.000Z');
  });

  it('starts a new series for a new rule, detaches on recurrence: null, and refuses a recurring task without a due date', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T', dueAt: '2026-12-01T09:00:00Z', recurrence: { rule: 'FREQ=DAILY' } });
    const weekly = await update(ada, task.id, { recurrence: { rule: 'FREQ=WEEKLY' } });
    expect(weekly.seriesId).not.toBe(task.seriesId);
    expect([weekly.occurrenceIndex, weekly.recurrence?.rule]).toEqual([0, 'FREQ=WEEKLY']);

    const e = await failure(update(ada, task.id, { dueAt: null }));
    expect([e.code, e.errors.map((x) => x.path)]).toEqual(['recurrence_needs_due', ['dueAt']]);

    const single = await update(ada, task.id, { recurrence: null, dueAt: null });
    expect([single.seriesId, single.occurrenceIndex, single.recurrence, single.dueAt]).toEqual([null, null, null, null]);
  });

  it('keeps the series when a save repeats the recurrence the task follows (as the edit form does), so its count and numbering go on', async () => {
    const ada = await f.newUser();
    const first = await create(ada, { title: 'Pills', dueAt: '2026-12-01T09:00', timeZone: 'Europe/Berlin', recurrence: { rule: 'FREQ=DAILY', count: 3, until: '2026-12-31T23:59' } });
    const next = await secondOccurrence(ada, first, '2026-12-02T08:00:00.000Z');
    const second = occurrenceTask(next);
    const same = { rule: 'FREQ=DAILY', count: 3, until: '2026-12-31T23:59' };
    const renamed = await update(ada, second.id, { title: 'Vitamins', timeZone: 'Europe/Berlin', recurrence: same });
    expect([renamed.title, renamed.seriesId, renamed.occurrenceIndex, renamed.recurrence?.count]).toEqual(['Vitamins', first.seriesId, 1, 3]);

    // The same rule with a moved due time re-anchors the series, as a patch without it would.
    const moved = await update(ada, second.id, { dueAt: '2026-12-02T10:00', recurrence: same });
    expect([moved.seriesId, moved.occurrenceIndex, moved.recurrence?.anchorAt]).toEqual([first.seriesId, 1, '2026-12-02T09:00:00.000Z']);

    // Any difference (here the count) is a new rule: a new series from this task.
    const changed = await update(ada, second.id, { recurrence: { ...same, count: 4 } });
    expect([changed.seriesId === first.seriesId, changed.occurrenceIndex]).toEqual([false, 0]);
  });

  it("moving the due of a series' latest task restarts the series there, keeping its count; moving an older task does not", async () => {
    const ada = await f.newUser();
    const first = await create(ada, { title: 'Stand-up', dueAt: '2026-12-01T09:00:00Z', recurrence: { rule: 'FREQ=DAILY', count: 5 } });
    const next = await secondOccurrence(ada, first, '2026-12-02T09:00:00.000Z');
    const moved = await update(ada, occurrenceTask(next).id, { dueAt: '2140-01-01T00:00:00Z' });
    expect(moved.recurrence).toMatchObject({ anchorAt: '2140-01-01T00:00:00.000Z', count: 5 });
    expect(moved.occurrenceIndex).toBe(1);

    // The first task is no longer the latest: its own move leaves the series where it is.
    const older = await update(ada, first.id, { dueAt: '2026-12-01T10:00:00Z' });
    expect(older.recurrence?.anchorAt).toBe('2140-01-01T00:00:00.000Z');
  });

  it('answers task_not_found for another user\'s task and leaves it alone', async () => {
    const ada = await f.newUser();
    const bob = await f.newUser();
    const task = await create(ada, { title: 'Mine' });
    await f.takeEvents();
    const e = await failure(update(bob, task.id, { title: 'Stolen' }));
    expect([e.kind, e.code]).toEqual(['not_found', 'task_not_found']);
    const [row] = await f.database.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect([row!.title, row!.version]).toEqual(['Mine', 1]);
    expect(await f.takeEvents()).toEqual([]);
  });

  it('refuses an empty patch and unknown fields in the schema', () => {
    expect(UpdateTaskInput.safeParse({}).success).toBe(false);
    expect(UpdateTaskInput.safeParse({ version: 3 }).success).toBe(false);
  });
});
