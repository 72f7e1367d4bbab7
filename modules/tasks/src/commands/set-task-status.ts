import { and, eq } from 'drizzle-orm';
import { tasks } from '@taskstream/db';
import type { Actor, TasksContext } from '../context.js';
import { findOwnTask } from '../queries/get-task.js';
import type { TaskView } from '../task-schemas.js';
import { recordTaskEvents } from '../task-events.js';
import { toTaskViews } from '../task-views.js';

/** Completing a completed task (or reopening an open one) changes nothing, so retries are safe. */
export async function completeTask(ctx: TasksContext, actor: Actor, id: string): Promise<TaskView> {
  return transition(ctx, actor, id, 'completed');
}

export async function reopenTask(ctx: TasksContext, actor: Actor, id: string): Promise<TaskView> {
  return transition(ctx, actor, id, 'open');
}

async function transition(ctx: TasksContext, actor: Actor, id: string, to: 'completed' | 'open'): Promise<TaskView> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const current = await findOwnTask(tx, actor.userId, id, true);
    const already = to === 'completed' ? current.status === 'completed' : current.status !== 'completed';
    const [before] = await toTaskViews(tx, ctx.recurrence, [current]);
    if (already) return before!;
    const [updated] = await tx
      .update(tasks)
      .set({ status: to, completedAt: to === 'completed' ? now : null, version: current.version + 1, updatedAt: now })
      .where(and(eq(tasks.id, id), eq(tasks.userId, actor.userId)))
      .returning();
    const [after] = await toTaskViews(tx, ctx.recurrence, [updated!]);
    await recordTaskEvents(tx, actor, to === 'completed' ? 'task.completed' : 'task.reopened', before!, after!, now);
    return after!;
  });
}
