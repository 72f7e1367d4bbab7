import { and, eq } from 'drizzle-orm';
import { tasks } from '@taskstream/db';
import type { Actor, TasksContext } from '../context.js';
import { findOwnTask } from '../queries/get-task.js';
import { endSeriesIfLeft } from '../series-lifecycle.js';
import { recordTaskEvents } from '../task-events.js';
import { toTaskViews } from '../task-views.js';

/**
 * Deletes the task with its reminders and tag links; tags themselves stay. Deleting the latest open
 * task of a series ends the series (see endSeriesIfLeft): the recurrence sweep does not bring it back.
 */
export async function deleteTask(ctx: TasksContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const current = await findOwnTask(tx, actor.userId, id, true);
    const [last] = await toTaskViews(tx, ctx.recurrence, [current]);
    await tx.delete(tasks).where(and(eq(tasks.id, id), eq(tasks.userId, actor.userId)));
    if (current.seriesId !== null && current.occurrenceIndex !== null) {
      await endSeriesIfLeft(tx, { seriesId: current.seriesId, occurrenceIndex: current.occurrenceIndex }, ctx.now());
    }
    // The deleted event carries the task as it was last seen.
    await recordTaskEvents(tx, actor, 'task.deleted', last!, last!, ctx.now());
  });
}
