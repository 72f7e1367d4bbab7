import { and, eq } from 'drizzle-orm';
import { tasks } from '@taskstream/db';
import type { Actor, TasksContext } from '../context.js';
import { findOwnTask } from '../queries/get-task.js';

/** Deletes the task with its reminders and tag links; tags themselves stay. */
export async function deleteTask(ctx: TasksContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await findOwnTask(tx, actor.userId, id, true);
    await tx.delete(tasks).where(and(eq(tasks.id, id), eq(tasks.userId, actor.userId)));
  });
}
