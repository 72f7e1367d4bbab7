import type { Logger } from 'pino';
import { PermanentError } from '@taskstream/bus';
import { planNextOccurrence, RecurrenceTooExpensiveError, type OccurrencePlan, type OccurrencePort } from '@taskstream/recurrence';
import { unfollowedOccurrences, type TasksContext } from '@taskstream/tasks';

/**
 * The recurring processor's safety net: a completed occurrence of the last week of a live series
 * with no next one (its task.completed was dead-lettered, or the service was down past the
 * retries) gets its next occurrence now, or its series is recorded as ended when its rule says so.
 * Creation is keyed by (series, index), so racing the event path is harmless; the grace period
 * leaves fresh completions to it.
 */
export async function sweepMissedOccurrences(deps: { tasks: TasksContext; occurrences: OccurrencePort; logger: Logger; graceSeconds?: number }): Promise<{ checked: number; created: number; refused: number }> {
  const candidates = await unfollowedOccurrences(deps.tasks, { graceSeconds: deps.graceSeconds ?? 60, limit: 500 });
  let created = 0;
  let refused = 0;
  for (const { userId, task } of candidates) {
    if (task.seriesId === null || task.occurrenceIndex === null) continue;
    let plan: OccurrencePlan;
    try {
      plan = planNextOccurrence({ task, series: { seriesId: task.seriesId, occurrenceIndex: task.occurrenceIndex }, userId });
    } catch (err) {
      // One series whose rule costs too much to evaluate must not hold up the others.
      if (!(err instanceof RecurrenceTooExpensiveError)) throw err;
      refused += 1;
      deps.logger.warn({ err, userId, seriesId: task.seriesId, occurrenceIndex: task.occurrenceIndex }, 'recurrence sweep skipped a series whose rule is too expensive to evaluate');
      continue;
    }
    if (plan.kind === 'not_an_occurrence') continue;
    try {
      if (plan.kind === 'ended') await deps.occurrences.endSeries({ userId, seriesId: plan.seriesId, occurrenceIndex: plan.occurrenceIndex });
      else if ((await deps.occurrences.createNext(plan.request)) === 'created') created += 1;
    } catch (err) {
      // A refusal (its owner at TASKS_PER_USER) must not hold up the other series; it is tried again next run.
      if (!(err instanceof PermanentError)) throw err;
      refused += 1;
      deps.logger.warn({ err, userId, seriesId: task.seriesId, occurrenceIndex: task.occurrenceIndex }, 'recurrence sweep could not follow up an occurrence; will try again');
    }
  }
  if (created > 0) deps.logger.warn({ created, checked: candidates.length }, 'recurrence sweep created occurrences the event path had missed');
  return { checked: candidates.length, created, refused };
}
