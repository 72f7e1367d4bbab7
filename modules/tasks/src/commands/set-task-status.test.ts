import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../context.js';
import { TaskError } from '../errors.js';
import { getTask } from '../queries/get-task.js';
import { CreateTaskInput } from '../task-schemas.js';
import { createTasksFixture, type TasksFixture } from '../testing/tasks-fixture.js';
import { createTask } from './create-task.js';
import { completeTask, reopenTask } from './set-task-status.js';

let f: TasksFixture;
beforeAll(async () => {
  f = await createTasksFixture();
});
afterAll(() => f.close());

const create = (actor: Actor, body: unknown) => createTask(f.ctx, actor, CreateTaskInput.parse(body));

describe('completeTask and reopenTask', () => {
  it('completes: status, completedAt and version change, and task.completed says what was before', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T', dueAt: '2026-12-01T09:00:00Z', recurrence: { rule: 'FREQ=DAILY' } });
    await f.takeEvents();
    f.clock.advance(60_000);
    const done = await completeTask(f.ctx, ada, task.id);
    expect(done).toMatchObject({ status: 'completed', completedAt: f.clock.now.toISOString(), updatedAt: f.clock.now.toISOString(), version: 2 });
    const events = await f.takeEvents();
    expect(events.map((e) => [e.topic, e.event.type])).toEqual([
      ['task-events', 'task.completed'],
      ['task-updates', 'task.changed'],
    ]);
    // The recurrence service needs the series position to plan the next occurrence.
    expect(events[0]!.event.data).toEqual({ taskId: task.id, userId: ada.userId, task: done, previous: { status: 'open', completedAt: null }, series: { seriesId: task.seriesId, occurrenceIndex: 0 } });
    expect(events[1]!.event.data).toMatchObject({ operation: 'completed', task: done });
  });

  it('completing twice changes nothing the second time: same task, same version, no events', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T' });
    const done = await completeTask(f.ctx, ada, task.id);
    await f.takeEvents();
    f.clock.advance(60_000);
    expect(await completeTask(f.ctx, ada, task.id)).toEqual(done);
    expect(await getTask(f.ctx, ada, task.id)).toEqual(done);
    expect(await f.takeEvents()).toEqual([]);
  });

  it('reopens a completed task: open, completedAt cleared, task.reopened', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T' });
    const done = await completeTask(f.ctx, ada, task.id);
    await f.takeEvents();
    const reopened = await reopenTask(f.ctx, ada, task.id);
    expect(reopened).toMatchObject({ status: 'open', completedAt: null, version: 3 });
    const [lifecycle, changed] = await f.takeEvents();
    expect(lifecycle!.event.type).toBe('task.reopened');
    expect(lifecycle!.event.data).toMatchObject({ previous: { status: 'completed', completedAt: done.completedAt } });
    expect(changed!.event.data).toMatchObject({ operation: 'reopened' });
  });

  it('reopening a task that is not completed changes nothing, so in progress stays in progress', async () => {
    const ada = await f.newUser();
    const open = await create(ada, { title: 'Open' });
    const busy = await create(ada, { title: 'Busy', status: 'in_progress' });
    await f.takeEvents();
    expect(await reopenTask(f.ctx, ada, open.id)).toEqual(open);
    expect(await reopenTask(f.ctx, ada, busy.id)).toEqual(busy);
    expect(await f.takeEvents()).toEqual([]);
  });

  it('answers task_not_found for another user\'s task and for a malformed id, changing nothing', async () => {
    const ada = await f.newUser();
    const bob = await f.newUser();
    const task = await create(ada, { title: 'Mine' });
    await f.takeEvents();
    for (const [actor, id] of [[bob, task.id], [ada, 'not-a-uuid']] as const) {
      for (const change of [completeTask, reopenTask]) {
        const e: unknown = await change(f.ctx, actor, id).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(TaskError);
        expect(e).toMatchObject({ kind: 'not_found', code: 'task_not_found' });
      }
    }
    expect(await getTask(f.ctx, ada, task.id)).toEqual(task);
    expect(await f.takeEvents()).toEqual([]);
  });
});
