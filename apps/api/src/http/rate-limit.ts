import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { queryRows, type Db } from '@taskstream/db';
import { actorOf } from './authenticate.js';
import { HttpProblem, problem } from './problem.js';

export interface UserRateLimit {
  /** Names the counter (`chat`, `mcp`) and, in messages, what was called too often. */
  scope: string;
  what: string;
  max: number;
  windowSeconds: number;
}

/**
 * Counts one call of the signed-in user in a fixed window. The counter is a row of Better Auth's
 * rate_limit table (key `user-rate:<scope>:<userId>`; for these keys last_request holds the
 * window's start), so every replica counts into the same one, and the database's clock decides
 * when a window ends, so replicas with drifting clocks agree too.
 */
export async function countCall(db: Db, key: string, windowSeconds: number): Promise<{ count: number; retryAfterSeconds: number }> {
  const windowMs = windowSeconds * 1000;
  const [row] = await queryRows<{ count: number; window_start: string; now: string }>(
    db,
    sql`
    with clock as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms)
    insert into rate_limit (id, key, count, last_request)
    select ${randomUUID()}, ${key}, 1, ms from clock
    on conflict (key) do update set
      count = case when rate_limit.last_request <= excluded.last_request - ${windowMs} then 1 else rate_limit.count + 1 end,
      last_request = case when rate_limit.last_request <= excluded.last_request - ${windowMs} then excluded.last_request else rate_limit.last_request end
    returning count, last_request as window_start, (select ms from clock) as now`,
  );
  const ends = Number(row!.window_start) + windowMs;
  return { count: Number(row!.count), retryAfterSeconds: Math.max(1, Math.ceil((ends - Number(row!.now)) / 1000)) };
}

/** A preHandler (after authentication) that answers 429 problem+json with Retry-After beyond the limit. */
export function userRateLimit(db: Db, limit: UserRateLimit) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { userId } = actorOf(request);
    const { count, retryAfterSeconds } = await countCall(db, `user-rate:${limit.scope}:${userId}`, limit.windowSeconds);
    if (count <= limit.max) return;
    void reply.header('retry-after', String(retryAfterSeconds));
    request.log.info({ scope: limit.scope, count, max: limit.max }, 'rate limit reached');
    throw new HttpProblem(
      problem(429, 'rate_limited', `Too many ${limit.what}: at most ${limit.max} per ${limit.windowSeconds} seconds for one user. Try again in ${retryAfterSeconds} seconds.`),
    );
  };
}
