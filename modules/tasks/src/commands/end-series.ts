import { and, eq, gt, sql } from 'drizzle-orm';
import { series, tasks } from '@taskstream/db';
import type { SeriesEndOutcome, SeriesEndRequest } from '@taskstream/events';
import type { TasksContext } from '../context.js';
import { notFound } from '../errors.js';
import { lockSeries } from '../series-lifecycle.js';

/**
 * Records that a series has ended by its rule after occurrence `occurrenceIndex` (COUNT or UNTIL
 * reached), for the recurrence service, so the sweep stops looking at it. A series that already has
 * a later occurrence (a stale event) continues. Idempotent.
 */
export async function endSeries(ctx: TasksContext, input: SeriesEndRequest): Promise<{ outcome: SeriesEndOutcome }> {
  return ctx.db.transaction(async (tx) => {
    const s = await lockSeries(tx, input.seriesId);
    if (!s || s.userId !== input.userId) throw notFound('series', input.seriesId);
    const [later] = await tx
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(eq(tasks.seriesId, s.id), gt(tasks.occurrenceIndex, input.occurrenceIndex)))
      .limit(1);
    if (later) return { outcome: 'continues' as const };
    await tx
      .update(series)
      .set({ state: 'ended', followedUpTo: sql`greatest(coalesce(${series.followedUpTo}, -1), ${input.occurrenceIndex})`, updatedAt: ctx.now() })
      .where(eq(series.id, s.id));
    return { outcome: 'ended' as const };
  });
}
