import { and, eq } from 'drizzle-orm';
import { tasks, type DbOrTx, isUuid } from '@taskstream/db';
import type { Actor, TasksContext } from '../context.js';
import { notFound } from '../errors.js';
import type { TaskView } from '../task-schemas.js';
import { toTaskViews, type TaskRow } from '../task-views.js';

/** Another user's task is indistinguishable from a missing one. */
export async function findOwnTask(db: DbOrTx, userId: string, id: string, lock = false): Promise<TaskRow> {
  if (!isUuid(id)) throw notFound('task', id);
  const query = db.select().from(tasks).where(and(eq(tasks.id, id), eq(tasks.userId, userId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('task', id);
  return row;
}

export async function getTask(ctx: TasksContext, actor: Actor, id: string): Promise<TaskView> {
  const row = await findOwnTask(ctx.db, actor.userId, id);
  const [view] = await toTaskViews(ctx.db, ctx.recurrence, [row]);
  return view!;
}
