import type { Logger } from 'pino';
import { PermanentError } from '@taskstream/bus';
import { NextOccurrenceRequest, SeriesEndRequest } from '@taskstream/events';
import type { OccurrencePort } from '@taskstream/recurrence';
import { createNextOccurrence, endSeries, TaskError, type TasksContext } from '@taskstream/tasks';
import { INTERNAL_OCCURRENCES_PATH, INTERNAL_SERIES_ENDS_PATH } from '../http/routes/internal-routes.js';

/**
 * Embedded (the API in the same process): a direct call, with the request parsed by the same
 * schema the API's /internal route parses it with.
 */
export function directOccurrencePort(tasks: TasksContext): OccurrencePort {
  return {
    async createNext(request) {
      try {
        return (await createNextOccurrence(tasks, NextOccurrenceRequest.parse(request))).outcome;
      } catch (e) {
        // Refused as the /internal route would refuse it (series gone, the owner at TASKS_PER_USER): retrying cannot help.
        if (e instanceof TaskError) throw new PermanentError(`occurrence ${request.occurrenceIndex} of series ${request.seriesId} refused: ${e.code}: ${e.message}`);
        throw e;
      }
    },
    async endSeries(request) {
      try {
        return (await endSeries(tasks, SeriesEndRequest.parse(request))).outcome;
      } catch (e) {
        if (e instanceof TaskError) throw new PermanentError(`end of series ${request.seriesId} refused: ${e.code}: ${e.message}`);
        throw e;
      }
    },
  };
}

/**
 * Distributed: the recurrence service asks the API (the only writer of tasks) to create the next
 * occurrence, or to record that a series ended, by Dapr service invocation. Both calls are
 * idempotent, so a retried call is harmless.
 */
export function daprOccurrencePort(options: { daprHttpPort: number; apiAppId: string; timeoutMs?: number; logger?: Pick<Logger, 'error'> }): OccurrencePort {
  const invoke = async <T extends string>(path: string, request: { seriesId: string; occurrenceIndex: number }, what: string, outcomes: readonly T[]): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${options.daprHttpPort}/v1.0/invoke/${options.apiAppId}/method${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    // The API refused the call itself: its sidecar forwarded no app token, or another one than the
    // API holds (APP_API_TOKEN). That is configuration, which no retry repairs, and while it lasts
    // no recurring task gets its next occurrence: say so loudly, once per event.
    if (res.status === 401 || res.status === 403) {
      const message = `${options.apiAppId} refused the service invocation of ${path} with ${res.status}: the API and its Dapr sidecar must share one app token (APP_API_TOKEN; the chart's dapr.appTokenSecret). No next occurrence is created until they do; ${what} is dead-lettered (the recurrence sweep retries it later). ${text.slice(0, 300)}`;
      options.logger?.error({ status: res.status, apiAppId: options.apiAppId, seriesId: request.seriesId, occurrenceIndex: request.occurrenceIndex }, message);
      throw new PermanentError(message);
    }
    // The series is gone (deleted with its user), the request is refused as invalid, or its owner is
    // at TASKS_PER_USER (409 limit_reached): retrying cannot help; the recurrence sweep tries again later.
    if (res.status === 404 || res.status === 400 || res.status === 409 || res.status === 422) {
      throw new PermanentError(`${options.apiAppId} refused ${what}: ${res.status} ${text.slice(0, 500)}`);
    }
    if (!res.ok) throw new Error(`${what} through ${options.apiAppId} failed: ${res.status} ${text.slice(0, 500)}`);
    const body = JSON.parse(text) as { outcome?: unknown };
    const outcome = outcomes.find((o) => o === body.outcome);
    if (outcome === undefined) throw new Error(`unexpected answer from ${options.apiAppId}: ${text.slice(0, 200)}`);
    return outcome;
  };
  return {
    createNext: (request) =>
      invoke(INTERNAL_OCCURRENCES_PATH, request, `occurrence ${request.occurrenceIndex} of series ${request.seriesId}`, ['created', 'exists', 'stopped'] as const),
    endSeries: (request) =>
      invoke(INTERNAL_SERIES_ENDS_PATH, request, `the end of series ${request.seriesId} after occurrence ${request.occurrenceIndex}`, ['ended', 'continues'] as const),
  };
}
