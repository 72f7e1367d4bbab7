import type { Logger } from 'pino';
import { PermanentError, subscription, type Subscription, type SubscriptionSpec } from '@taskstream/bus';
import { TOPICS, type NextOccurrenceOutcome, type NextOccurrenceRequest, type SeriesEndOutcome, type SeriesEndRequest, type TaskLifecycleData } from '@taskstream/events';
import { nextOccurrence } from '../next-occurrence.js';
import { RecurrenceTooExpensiveError } from '../recurrence-too-expensive-error.js';

/** How the service reaches the API: a direct call when embedded, Dapr service invocation when distributed. */
export interface OccurrencePort {
  createNext(request: NextOccurrenceRequest): Promise<NextOccurrenceOutcome>;
  /** Records that the series ended by its rule, so the API's sweep no longer looks at it. */
  endSeries(request: SeriesEndRequest): Promise<SeriesEndOutcome>;
}

/** What follows a completed task: its series' next task, nothing as the series has ended, or nothing as it is no completed occurrence of a series. */
export type OccurrencePlan =
  | { kind: 'next'; request: NextOccurrenceRequest }
  | { kind: 'ended'; seriesId: string; occurrenceIndex: number }
  | { kind: 'not_an_occurrence' };

/**
 * Plans what follows a completed task. Shared by the event handler and the recurrence sweep.
 * Throws RecurrenceTooExpensiveError for a rule that cannot be evaluated within the walk budget.
 */
export function planNextOccurrence(data: Pick<TaskLifecycleData, 'task' | 'series' | 'userId'>): OccurrencePlan {
  const { task, series, userId } = data;
  if (!series || !task.recurrence || !task.dueAt || !task.completedAt) return { kind: 'not_an_occurrence' };
  const r = task.recurrence;
  const next = nextOccurrence({
    recurrence: { kind: r.kind, rule: r.rule, repeatFrom: r.repeatFrom, count: r.count, until: r.until },
    anchor: new Date(r.anchorAt),
    zone: task.timeZone,
    currentDue: new Date(task.dueAt),
    completedAt: new Date(task.completedAt),
    occurrenceIndex: series.occurrenceIndex,
  });
  if (!next) return { kind: 'ended', seriesId: series.seriesId, occurrenceIndex: series.occurrenceIndex };
  const request: NextOccurrenceRequest = {
    userId,
    seriesId: series.seriesId,
    occurrenceIndex: series.occurrenceIndex + 1,
    dueAt: next.toISOString(),
    template: {
      title: task.title,
      description: task.description,
      priority: task.priority,
      tags: task.tags,
      reminderOffsets: task.reminders.flatMap((rem) => (rem.offsetMinutes === null ? [] : [rem.offsetMinutes])),
    },
  };
  return { kind: 'next', request };
}

/**
 * A completed task of a series; a failed API call is retried with backoff, then dead-lettered. A rule
 * too costly to evaluate is dead-lettered at once: the same walk would cost as much on every retry.
 */
export const CREATE_NEXT_OCCURRENCE = {
  consumer: 'recurrence',
  topic: TOPICS.taskEvents,
  types: ['task.completed'],
  maxAttempts: 5,
} satisfies SubscriptionSpec<'task.completed'>;

/**
 * Creates the series' next task through the API, keyed by (series, occurrence index), so
 * redelivery, concurrent completions and reopen-then-complete give exactly one next task; a
 * series that has ended by its rule is recorded as ended through the API.
 */
export function createNextOccurrence(deps: { occurrences: OccurrencePort; logger: Logger }): Subscription {
  return subscription(CREATE_NEXT_OCCURRENCE, async (event) => {
    const plan = planOrRefuse(event.data);
    if (plan.kind === 'ended') {
      const outcome = await deps.occurrences.endSeries({ userId: event.data.userId, seriesId: plan.seriesId, occurrenceIndex: plan.occurrenceIndex });
      deps.logger.info({ seriesId: plan.seriesId, occurrenceIndex: plan.occurrenceIndex, outcome }, 'series ended');
    }
    if (plan.kind !== 'next') return;
    const { request } = plan;
    const outcome = await deps.occurrences.createNext(request);
    deps.logger.info({ seriesId: request.seriesId, occurrenceIndex: request.occurrenceIndex, outcome }, 'next occurrence');
  });
}

function planOrRefuse(data: TaskLifecycleData): OccurrencePlan {
  try {
    return planNextOccurrence(data);
  } catch (e) {
    if (e instanceof RecurrenceTooExpensiveError) throw new PermanentError(`no next occurrence of series ${data.series?.seriesId ?? '?'}: ${e.code}: ${e.message}`);
    throw e;
  }
}
