import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tags, tasks } from '@taskstream/db';
import { NextOccurrenceRequest } from '@taskstream/events';
import { createNextOccurrence } from './commands/create-next-occurrence.js';
import { createTask } from './commands/create-task.js';
import { deleteTask } from './commands/delete-task.js';
import { completeTask } from './commands/set-task-status.js';
import { createTag } from './commands/tag-commands.js';
import { updateTask } from './commands/update-task.js';
import type { Actor, TasksContext } from './context.js';
import { TaskError } from './errors.js';
import type { TaskLimits } from './limits.js';
import { CreateTagInput, CreateTaskInput, UpdateTaskInput } from './task-schemas.js';
import { createTasksFixture, occurrenceTask, type TasksFixture } from './testing/tasks-fixture.js';

let f: TasksFixture;
beforeAll(async () => {
  f = await createTasksFixture();
});
afterAll(() => f.close());

const limited = (limits: Partial<TaskLimits>): TasksContext => ({ ...f.ctx, limits: { ...f.ctx.limits, ...limits } });
const task = (ctx: TasksContext, actor: Actor, body: unknown) => createTask(ctx, actor, CreateTaskInput.parse(body));
const taskCount = async (userId: string) => (await f.database.db.select().from(tasks).where(eq(tasks.userId, userId))).length;
const tagNames = async (userId: string) => (await f.database.db.select().from(tags).where(eq(tags.userId, userId))).map((t) => t.name).sort();

async function failure(p: Promise<unknown>): Promise<TaskError> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof TaskError)) throw new Error(`expected a TaskError, got ${String(e)}`);
  return e;
}

describe('tasks per user (TASKS_PER_USER)', () => {
  it('refuses a task beyond the limit with limit_reached, counting completed ones, and takes one again after a delete', async () => {
    const ctx = limited({ tasksPerUser: 2 });
    const ada = await f.newUser();
    const bob = await f.newUser();
    const done = await task(ctx, ada, { title: 'Done already' });
    await completeTask(ctx, ada, done.id);
    await task(ctx, ada, { title: 'Open' });
    await f.takeEvents();

    const e = await failure(task(ctx, ada, { title: 'One too many', tags: ['fresh'] }));
    expect([e.kind, e.code]).toEqual(['conflict', 'limit_reached']);
    expect(e.message).toMatch(/You have 2 tasks, the most one account may keep \(completed ones count too\)\. Delete tasks/);
    expect(await taskCount(ada.userId)).toBe(2);
    expect(await tagNames(ada.userId)).toEqual([]);
    expect(await f.takeEvents()).toEqual([]);

    // Another user's room is their own.
    await task(ctx, bob, { title: 'Bob 1' });
    await task(ctx, bob, { title: 'Bob 2' });

    await deleteTask(ctx, ada, done.id);
    expect((await task(ctx, ada, { title: 'Fits again' })).title).toBe('Fits again');
  });

  it('gives a user at the limit no next occurrence, but still returns one that exists', async () => {
    const ctx = limited({ tasksPerUser: 2 });
    const ada = await f.newUser();
    const first = await task(ctx, ada, { title: 'Review', dueAt: '2026-12-04T16:00', recurrence: { rule: 'FREQ=WEEKLY' } });
    const request = (occurrenceIndex: number) =>
      NextOccurrenceRequest.parse({
        userId: ada.userId,
        seriesId: first.seriesId,
        occurrenceIndex,
        dueAt: '2026-12-11T16:00:00.000Z',
        template: { title: 'Review', description: '', priority: 'medium', tags: [], reminderOffsets: [] },
      });
    const second = await createNextOccurrence(ctx, request(1));
    expect(second.outcome).toBe('created');
    await f.takeEvents();

    const e = await failure(createNextOccurrence(ctx, request(2)));
    expect([e.kind, e.code]).toEqual(['conflict', 'limit_reached']);
    expect(await taskCount(ada.userId)).toBe(2);
    expect(await f.takeEvents()).toEqual([]);
    // A redelivered request for an occurrence that exists is answered as before.
    expect(await createNextOccurrence(ctx, request(1))).toEqual({ task: occurrenceTask(second), outcome: 'exists' });
  });
});

describe('tags per user (TAGS_PER_USER)', () => {
  it('refuses new tags beyond the limit, made directly or named on a task; names the user has still work', async () => {
    const ctx = limited({ tagsPerUser: 2 });
    const ada = await f.newUser();
    await createTag(ctx, ada, CreateTagInput.parse({ name: 'work' }));
    await createTag(ctx, ada, CreateTagInput.parse({ name: 'home' }));

    const direct = await failure(createTag(ctx, ada, CreateTagInput.parse({ name: 'garden' })));
    expect([direct.kind, direct.code, direct.errors.map((x) => x.path)]).toEqual(['conflict', 'limit_reached', ['tags']]);
    expect(direct.message).toMatch(/You have 2 tags and this would add 1; one account may have at most 2\. Use existing tags, or delete tags/);

    const onTask = await failure(task(ctx, ada, { title: 'Dig', tags: ['Work', 'garden'] }));
    expect(onTask.code).toBe('limit_reached');
    expect(await taskCount(ada.userId)).toBe(0);

    const kept = await task(ctx, ada, { title: 'Plan', tags: ['WORK', 'home'] });
    expect(kept.tags.sort()).toEqual(['home', 'work']);
    expect((await failure(updateTask(ctx, ada, kept.id, UpdateTaskInput.parse({ tags: ['garden'] })))).code).toBe('limit_reached');
    expect(await tagNames(ada.userId)).toEqual(['home', 'work']);
  });
});
