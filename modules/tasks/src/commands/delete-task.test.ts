import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminders, taskTags } from '@taskstream/db';
import type { Actor } from '../context.js';
import { TaskError } from '../errors.js';
import { getTask } from '../queries/get-task.js';
import { listTags } from '../queries/list-tags.js';
import { CreateTaskInput } from '../task-schemas.js';
import { createTasksFixture, type TasksFixture } from '../testing/tasks-fixture.js';
import { createTask } from './create-task.js';
import { deleteTask } from './delete-task.js';

let f: TasksFixture;
beforeAll(async () => {
  f = await createTasksFixture();
});
afterAll(() => f.close());

const create = (actor: Actor, body: unknown) => createTask(f.ctx, actor, CreateTaskInput.parse(body));
const notFound = (p: Promise<unknown>) => expect(p).rejects.toSatisfy((e) => e instanceof TaskError && e.code === 'task_not_found' && e.kind === 'not_found');

describe('deleteTask', () => {
  it('removes the task with its reminders and tag links; the tags stay', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T', tags: ['errand'], dueAt: '2026-12-01T09:00:00Z', reminders: [{ offsetMinutes: 5 }] });
    await deleteTask(f.ctx, ada, task.id);
    await notFound(getTask(f.ctx, ada, task.id));
    expect(await f.database.db.select().from(reminders).where(eq(reminders.taskId, task.id))).toEqual([]);
    expect(await f.database.db.select().from(taskTags).where(eq(taskTags.taskId, task.id))).toEqual([]);
    expect((await listTags(f.ctx, ada)).items.map((t) => [t.name, t.taskCount])).toEqual([['errand', 0]]);
  });

  it('records task.deleted with the task as last seen, and task.changed without a task', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T', dueAt: '2026-12-01T09:00:00Z', recurrence: { rule: 'FREQ=DAILY' } });
    await f.takeEvents();
    f.clock.advance(60_000);
    await deleteTask(f.ctx, ada, task.id);
    const events = await f.takeEvents();
    expect(events.map((e) => [e.topic, e.event.type, e.partitionKey])).toEqual([
      ['task-events', 'task.deleted', ada.userId],
      ['task-updates', 'task.changed', ada.userId],
    ]);
    expect(events[0]!.event).toMatchObject({ subject: task.id, time: f.clock.now.toISOString() });
    expect(events[0]!.event.data).toEqual({ taskId: task.id, userId: ada.userId, task, previous: {}, series: { seriesId: task.seriesId, occurrenceIndex: 0 } });
    expect(events[1]!.event.data).toEqual({ userId: ada.userId, taskId: task.id, operation: 'deleted', task: null });
  });

  it('answers task_not_found the second time, and records nothing', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'T' });
    await deleteTask(f.ctx, ada, task.id);
    await f.takeEvents();
    await notFound(deleteTask(f.ctx, ada, task.id));
    expect(await f.takeEvents()).toEqual([]);
  });

  it('answers task_not_found for another user\'s task and a malformed id, and deletes nothing', async () => {
    const ada = await f.newUser();
    const bob = await f.newUser();
    const task = await create(ada, { title: 'Mine' });
    await f.takeEvents();
    await notFound(deleteTask(f.ctx, bob, task.id));
    await notFound(deleteTask(f.ctx, bob, 'nope'));
    expect(await getTask(f.ctx, ada, task.id)).toEqual(task);
    expect(await f.takeEvents()).toEqual([]);
  });
});
