import { inArray, sql } from 'drizzle-orm';
import { queryRows, tasks } from '@taskstream/db';
import type { TasksContext } from '../context.js';
import type { TaskView } from '../task-schemas.js';
import { toTaskViews } from '../task-views.js';

/**
 * Completed occurrences of the last week of live series, past the last occurrence whose successor
 * was decided and with no later occurrence: the recurrence service's safety net looks here for a
 * task.completed that never reached it (dead-lettered, or the service down past the retries). A
 * successor the user deleted or took out of the series, and a series that ended, are no candidates.
 * Completions younger than `graceSeconds` are left to the event path. Oldest first, at most `limit`.
 */
export async function unfollowedOccurrences(ctx: TasksContext, options: { graceSeconds: number; limit: number }): Promise<{ userId: string; task: TaskView }[]> {
  const grace = `${options.graceSeconds} seconds`;
  const candidates = await queryRows<{ id: string }>(
    ctx.db,
    sql`
    select t.id from series s
    join tasks t on t.series_id = s.id and t.occurrence_index > coalesce(s.followed_up_to, -1)
    where s.state = 'live' and t.status = 'completed'
      and t.completed_at < now() - ${grace}::interval and t.completed_at > now() - interval '7 days'
      and not exists (select 1 from tasks n where n.series_id = t.series_id and n.occurrence_index > t.occurrence_index)
    order by t.completed_at
    limit ${options.limit}`,
  );
  if (candidates.length === 0) return [];
  const rows = await ctx.db.select().from(tasks).where(inArray(tasks.id, candidates.map((c) => c.id)));
  const order = new Map(candidates.map((c, i) => [c.id, i]));
  rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const views = await toTaskViews(ctx.db, ctx.recurrence, rows);
  return views.map((task, i) => ({ userId: rows[i]!.userId, task }));
}
