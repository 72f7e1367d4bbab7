import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { isTraceparent } from '@taskstream/events';
import { traceparentOf as traceparentOfSpan } from '@taskstream/telemetry';
import { canonicalZone } from '@taskstream/time';
import type { Actor } from '@taskstream/tasks';
import type { Auth } from './auth.js';
import { HttpProblem, problem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** Resolves the session cookie or bearer token to the user every later query is scoped to. */
export function authenticator(auth: Auth) {
  return async (request: FastifyRequest): Promise<void> => {
    const headers = new Headers();
    for (const name of ['cookie', 'authorization'] as const) {
      const v = request.headers[name];
      if (typeof v === 'string') headers.set(name, v);
    }
    const result = await auth.api.getSession({ headers });
    if (!result) {
      throw new HttpProblem(
        problem(401, 'unauthenticated', 'Sign in first: send the session cookie, or "Authorization: Bearer <token>" from POST /api/auth/sign-in/email.'),
      );
    }
    const stored = (result.user as { timeZone?: string }).timeZone ?? 'UTC';
    // Every default and rendering downstream trusts the actor's zone: a bad stored one reads as UTC.
    const zone = canonicalZone(stored);
    if (!zone) request.log.warn({ userId: result.user.id, timeZone: stored }, 'stored time zone is not IANA; using UTC');
    request.actor = { userId: result.user.id, timeZone: zone ?? 'UTC', traceparent: traceparentOf(request) };
  };
}

/**
 * The trace the request's events carry: the request's span when tracing is on (so the relay's
 * publish and every consumer nest under it); without it the caller's W3C trace when it sent one,
 * else a new trace for this request.
 */
function traceparentOf(request: FastifyRequest): string {
  const traced = traceparentOfRequestSpan(request);
  if (traced) return traced;
  const given = request.headers.traceparent;
  if (typeof given === 'string' && isTraceparent(given) && !given.startsWith('ff')) return given;
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('route is missing the authenticate hook');
  return request.actor;
}

/** Fastify's request span, which @fastify/otel adds (as request.opentelemetry()) when tracing is on. */
function traceparentOfRequestSpan(request: FastifyRequest): string | undefined {
  const otel = (request as { opentelemetry?: () => { span?: Parameters<typeof traceparentOfSpan>[0] | null } }).opentelemetry;
  if (typeof otel !== 'function') return undefined;
  return traceparentOfSpan(otel.call(request).span ?? undefined);
}
