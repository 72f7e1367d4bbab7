import { newId, user, type DatabaseHandle } from '@taskstream/db';
import type { ComposedProcess } from '@taskstream/api';
import { createTask, CreateTaskInput } from '@taskstream/tasks';
import { params } from './params.js';

/** One run's handles, for the steps that create tasks and wait on the pipeline. */
export interface ReminderRun {
  label: string;
  database: DatabaseHandle;
  signal: AbortSignal;
  /** Creates a task of user `u` (taken modulo the users) with one reminder at `remindAt`. */
  createOne: (u: number, title: string, remindAt: Date) => ReturnType<typeof createTask>;
}

/**
 * Users, as rows (sign-up is not what is measured): in-app notifications on, email and push off.
 * Tasks are then created through the tasks commands, so schedules arrive through task-events.
 */
export async function setupUsers(label: string, database: DatabaseHandle, stack: ComposedProcess, signal: AbortSignal): Promise<ReminderRun> {
  const userIds = Array.from({ length: params.users + 1 }, () => newId());
  await database.db.insert(user).values(userIds.map((id, i) => ({ id, name: `bench ${i}`, email: `bench-reminders-${i}-${id}@example.com` })));
  const createOne = (u: number, title: string, remindAt: Date) =>
    createTask(stack.tasks, { userId: userIds[u % params.users]!, timeZone: 'UTC' }, CreateTaskInput.parse({ title, reminders: [{ remindAt: remindAt.toISOString() }] }));
  return { label, database, signal, createOne };
}
