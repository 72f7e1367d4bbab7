import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { NextOccurrenceRequest, SeriesEndRequest } from '@taskstream/events';
import { createNextOccurrence, endSeries, type TasksContext } from '@taskstream/tasks';
import { HttpProblem, problem } from '../problem.js';
import { hasAppToken } from '../sidecar-token.js';
import { problemResponses } from './problem-schema.js';

/** Where the recurrence service's sidecar invokes the API to create an occurrence. */
export const INTERNAL_OCCURRENCES_PATH = '/internal/occurrences';
/** Where the recurrence service's sidecar invokes the API to record that a series ended by its rule. */
export const INTERNAL_SERIES_ENDS_PATH = '/internal/series-ends';

/**
 * Calls between services, reached only through the Dapr sidecar: it adds the app API token
 * (`dapr-api-token`) and the calling app's id (`dapr-caller-app-id`). In Kubernetes, Dapr's access
 * control (with mTLS identities) is the authority on who may call; these checks are the app's own
 * second lock. Without APP_API_TOKEN configured every internal call is refused.
 */
export const internalRoutes: FastifyPluginAsyncZod<{ ctx: TasksContext; appApiToken: string | undefined; allowedCaller: string }> = async (app, opts) => {
  const admit = (req: FastifyRequest, what: string): void => {
    if (!hasAppToken(req, opts.appApiToken)) {
      throw new HttpProblem(problem(401, 'service_unauthenticated', 'Internal calls come through the Dapr sidecar with the app API token.'));
    }
    const caller = req.headers['dapr-caller-app-id'];
    if (caller !== opts.allowedCaller) {
      throw new HttpProblem(problem(403, 'service_forbidden', `Only ${opts.allowedCaller} may ${what}; the caller was ${typeof caller === 'string' ? caller : 'unknown'}.`));
    }
  };

  app.post(
    INTERNAL_OCCURRENCES_PATH,
    {
      schema: {
        tags: ['internal'],
        summary: 'Create the next occurrence of a series (the recurrence service, by Dapr service invocation); idempotent per (series, index)',
        body: NextOccurrenceRequest,
        response: {
          200: z.object({
            outcome: z.enum(['created', 'exists', 'stopped']).describe('stopped: the series was ended, or its successor deleted or detached by its owner; nothing was created'),
            taskId: z.uuid().optional().describe('the occurrence, unless stopped'),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      admit(req, 'create occurrences');
      const result = await createNextOccurrence(opts.ctx, req.body);
      return result.outcome === 'stopped' ? { outcome: result.outcome } : { outcome: result.outcome, taskId: result.task.id };
    },
  );

  app.post(
    INTERNAL_SERIES_ENDS_PATH,
    {
      schema: {
        tags: ['internal'],
        summary: 'Record that a series ended by its rule (the recurrence service, by Dapr service invocation); idempotent',
        body: SeriesEndRequest,
        response: { 200: z.object({ outcome: z.enum(['ended', 'continues']) }), ...problemResponses },
      },
    },
    async (req) => {
      admit(req, 'end series');
      return endSeries(opts.ctx, req.body);
    },
  );
};
