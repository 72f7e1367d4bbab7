import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpProblem, problem } from './problem.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Whether the request carries Dapr's app API token (the `dapr-api-token` header daprd adds to every
 * call it makes to its app). Compared as digests, in constant time, so neither the content nor the
 * length of the token leaks through timing.
 */
export function hasAppToken(request: FastifyRequest, appApiToken: string | undefined): boolean {
  const sent = request.headers['dapr-api-token'];
  return appApiToken !== undefined && typeof sent === 'string' && timingSafeEqual(digest(sent), digest(appApiToken));
}

/** An onRequest hook that lets through only requests with the app token: for the routes only the sidecar calls. */
export function requireAppToken(appApiToken: string) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!hasAppToken(request, appApiToken)) {
      throw new HttpProblem(problem(401, 'sidecar_unauthenticated', 'Only the Dapr sidecar calls this route, with the app API token (dapr-api-token).'));
    }
  };
}
