import type { Logger } from 'pino';
import { PermanentError } from '@taskstream/bus';
import { NextOccurrenceRequest } from '@taskstream/events';
import type { OccurrencePort } from '@taskstream/recurrence';
import { createNextOccurrence, TaskError, type TasksContext } from '@taskstream/tasks';
import { INTERNAL_OCCURRENCES_PATH } from '../http/routes/internal-routes.js';

/**
 * Embedded (the API in the same process): a direct call, with the request parsed by the same
 * schema the API's /internal route parses it with.
 */
export function directOccurrencePort(tasks: TasksContext): OccurrencePort {
  return {
    async createNext(request) {
      try {
        const { created } = await createNextOccurrence(tasks, NextOccurrenceRequest.parse(request));
        return created ? 'created' : 'exists';
      } catch (e) {
        // Refused as the /internal route would refuse it (series gone, the owner at TASKS_PER_USER): retrying cannot help.
        if (e instanceof TaskError) throw new PermanentError(`occurrence ${request.occurrenceIndex} of series ${request.seriesId} refused: ${e.code}: ${e.message}`);
        throw e;
      }
    },
  };
}

/**
 * Distributed: the recurrence service asks the API (the only writer of tasks) to create the next
 * occurrence by Dapr service invocation. The (series, index) key makes a retried call harmless.
 */
export function daprOccurrencePort(options: { daprHttpPort: number; apiAppId: string; timeoutMs?: number; logger?: Pick<Logger, 'error'> }): OccurrencePort {
  const url = `http://127.0.0.1:${options.daprHttpPort}/v1.0/invoke/${options.apiAppId}/method${INTERNAL_OCCURRENCES_PATH}`;
  return {
    async createNext(request) {
      const res = await fetch(url, {
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
        const message = `${options.apiAppId} refused the service invocation of ${INTERNAL_OCCURRENCES_PATH} with ${res.status}: the API and its Dapr sidecar must share one app token (APP_API_TOKEN; the chart's dapr.appTokenSecret). No next occurrence is created until they do; occurrence ${request.occurrenceIndex} of series ${request.seriesId} is dead-lettered (the recurrence sweep retries it later). ${text.slice(0, 300)}`;
        options.logger?.error({ status: res.status, apiAppId: options.apiAppId, seriesId: request.seriesId, occurrenceIndex: request.occurrenceIndex }, message);
        throw new PermanentError(message);
      }
      // The series is gone (deleted with its user), the request is refused as invalid, or its owner is
      // at TASKS_PER_USER (409 limit_reached): retrying cannot help; the recurrence sweep tries again later.
      if (res.status === 404 || res.status === 400 || res.status === 409 || res.status === 422) {
        throw new PermanentError(`${options.apiAppId} refused occurrence ${request.occurrenceIndex} of series ${request.seriesId}: ${res.status} ${text.slice(0, 500)}`);
      }
      if (!res.ok) throw new Error(`creating occurrence ${request.occurrenceIndex} of series ${request.seriesId} through ${options.apiAppId} failed: ${res.status} ${text.slice(0, 500)}`);
      const body = JSON.parse(text) as { outcome?: unknown };
      if (body.outcome !== 'created' && body.outcome !== 'exists') throw new Error(`unexpected answer from ${options.apiAppId}: ${text.slice(0, 200)}`);
      return body.outcome;
    },
  };
}
