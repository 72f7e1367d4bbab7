import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { queryRows } from '@taskstream/db';
import { planNextOccurrence, type OccurrencePort } from '@taskstream/recurrence';
import { getTask, type TasksContext } from '@taskstream/tasks';

/**
 * The recurring processor's safety net: a completed occurrence of the last week with no next one
 * (its task.completed was dead-lettered, or the service was down past the retries) gets its next
 * occurrence now. Creation is keyed by (series, index), so racing the event path is harmless; the
 * grace period leaves fresh completions to it.
 */
export async function sweepMissedOccurrences(deps: { ctx: TasksContext; occurrences: OccurrencePort; logger: Logger; graceSeconds?: number }): Promise<{ checked: number; created: number }> {
  const grace = `${deps.graceSeconds ?? 60} seconds`;
  const candidates = await queryRows<{ id: string; user_id: string }>(
    deps.ctx.db,
    sql`
    select t.id, t.user_id from tasks t
    where t.series_id is not null and t.status = 'completed'
      and t.completed_at < now() - ${grace}::interval and t.completed_at > now() - interval '7 days'
      and not exists (select 1 from tasks n where n.series_id = t.series_id and n.occurrence_index > t.occurrence_index)
    order by t.completed_at
    limit 500`,
  );
  let created = 0;
  for (const c of candidates) {
    const task = await getTask(deps.ctx, { userId: c.user_id, timeZone: 'UTC' }, c.id);
    if (task.seriesId === null || task.occurrenceIndex === null) continue;
    const plan = planNextOccurrence({ task, series: { seriesId: task.seriesId, occurrenceIndex: task.occurrenceIndex }, userId: c.user_id });
    if (plan.kind !== 'next') continue;
    if ((await deps.occurrences.createNext(plan.request)) === 'created') created += 1;
  }
  if (created > 0) deps.logger.warn({ created, checked: candidates.length }, 'recurrence sweep created occurrences the event path had missed');
  return { checked: candidates.length, created };
}
