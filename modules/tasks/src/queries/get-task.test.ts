import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../commands/create-task.js';
import { TaskError } from '../errors.js';
import { CreateTaskInput } from '../task-schemas.js';
import { createTasksFixture, type TasksFixture } from '../testing/tasks-fixture.js';
import { getTask } from './get-task.js';

let f: TasksFixture;
beforeAll(async () => {
  f = await createTasksFixture();
});
afterAll(() => f.close());

describe('getTask', () => {
  it('returns the user\'s task as it was created, with its tags, reminders and recurrence', async () => {
    const ada = await f.newUser();
    const created = await createTask(
      f.ctx,
      ada,
      CreateTaskInput.parse({ title: 'T', tags: ['b', 'a'], dueAt: '2026-12-01T09:00:00Z', reminders: [{ offsetMinutes: 5 }], recurrence: { rule: 'FREQ=DAILY' } }),
    );
    const task = await getTask(f.ctx, ada, created.id);
    expect(task).toEqual(created);
    expect(task.tags).toEqual(['a', 'b']);
  });

  it('answers task_not_found for another user\'s task, exactly as for a missing or malformed id', async () => {
    const ada = await f.newUser();
    const bob = await f.newUser();
    const created = await createTask(f.ctx, ada, CreateTaskInput.parse({ title: 'Private' }));
    for (const [actor, id] of [[bob, created.id], [ada, '01900000-0000-7000-8000-000000000000'], [ada, 'nope'], [ada, "1' or '1'='1"]] as const) {
      const e: unknown = await getTask(f.ctx, actor, id).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TaskError);
      expect(e).toMatchObject({ kind: 'not_found', code: 'task_not_found', message: `No task with id ${id}.` });
    }
  });
});
