import type { Logger } from 'pino';
import type { CloudEvent, TaskLifecycleData } from '@taskstream/events';
import { nextOccurrence } from '../next-occurrence.js';

/** The next task to create; (seriesId, occurrenceIndex) is its idempotency key. */
export interface NextOccurrenceRequest {
  userId: string;
  seriesId: string;
  occurrenceIndex: number;
  dueAt: string;
  template: { title: string; description: string; priority: 'low' | 'medium' | 'high' | 'urgent'; tags: string[]; reminderOffsets: number[] };
}

/** How the service reaches the API: a direct call when embedded, Dapr service invocation when distributed. */
export interface OccurrencePort {
  createNext(request: NextOccurrenceRequest): Promise<'created' | 'exists'>;
}

/** What follows a completed task: its series' next task, nothing as the series has ended, or nothing as it is no completed occurrence of a series. */
export type OccurrencePlan =
  | { kind: 'next'; request: NextOccurrenceRequest }
  | { kind: 'ended'; seriesId: string; occurrenceIndex: number }
  | { kind: 'not_an_occurrence' };

/** Plans what follows a completed task. Shared by the event handler and the recurrence sweep. */
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
 * Handles: task.completed (topic task-events).
 * Effect: creates the series' next task through the API, keyed by (series, occurrence index), so
 * redelivery, concurrent completions and reopen-then-complete give exactly one next task.
 * Retry: a failed API call throws and the bus retries with backoff, then dead-letters.
 */
export function createNextOccurrenceHandler(deps: { occurrences: OccurrencePort; logger: Logger }) {
  return async (event: CloudEvent<'task.completed', TaskLifecycleData>): Promise<void> => {
    const plan = planNextOccurrence(event.data);
    if (plan.kind === 'ended') deps.logger.info({ seriesId: plan.seriesId, occurrenceIndex: plan.occurrenceIndex }, 'series ended');
    if (plan.kind !== 'next') return;
    const { request } = plan;
    const outcome = await deps.occurrences.createNext(request);
    deps.logger.info({ seriesId: request.seriesId, occurrenceIndex: request.occurrenceIndex, outcome }, 'next occurrence');
  };
}
