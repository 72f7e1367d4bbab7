import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NextOccurrenceRequest } from '@taskstream/events';
import { createNextOccurrence, type TasksContext } from '@taskstream/tasks';
import { HttpProblem, problem } from '../problem.js';
import { hasAppToken } from '../sidecar-token.js';
import { problemResponses } from './problem-schema.js';

/** Where the recurrence service's sidecar invokes the API to create an occurrence. */
export const INTERNAL_OCCURRENCES_PATH = '/internal/occurrences';

/**
 * Calls between services, reached only through the Dapr sidecar: it adds the app API token
 * (`dapr-api-token`) and the calling app's id (`dapr-caller-app-id`). In Kubernetes, Dapr's access
 * control (with mTLS identities) is the authority on who may call; these checks are the app's own
 * second lock. Without APP_API_TOKEN configured every internal call is refused.
 */
export const internalRoutes: FastifyPluginAsyncZod<{ ctx: TasksContext; appApiToken: string | undefined; allowedCaller: string }> = async (app, opts) => {
  app.post(
    INTERNAL_OCCURRENCES_PATH,
    {
      schema: {
        tags: ['internal'],
        summary: 'Create the next occurrence of a series (the recurrence service, by Dapr service invocation); idempotent per (series, index)',
        body: NextOccurrenceRequest,
        response: { 200: z.object({ outcome: z.enum(['created', 'exists']), taskId: z.uuid() }), ...problemResponses },
      },
    },
    async (req) => {
      if (!hasAppToken(req, opts.appApiToken)) {
        throw new HttpProblem(problem(401, 'service_unauthenticated', 'Internal calls come through the Dapr sidecar with the app API token.'));
      }
      const caller = req.headers['dapr-caller-app-id'];
      if (caller !== opts.allowedCaller) {
        throw new HttpProblem(problem(403, 'service_forbidden', `Only ${opts.allowedCaller} may create occurrences; the caller was ${typeof caller === 'string' ? caller : 'unknown'}.`));
      }
      const { task, created } = await createNextOccurrence(opts.ctx, req.body);
      return { outcome: created ? ('created' as const) : ('exists' as const), taskId: task.id };
    },
  );
};
