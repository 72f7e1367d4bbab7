import { lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { pruneDeadLetters, pruneInbox } from '@taskstream/bus';
import type { Config } from '@taskstream/config';
import { rateLimit, session, verification, type Db } from '@taskstream/db';
import { pruneNotificationBookkeeping } from '@taskstream/notifications';
import { ConflictError, TableStateStore } from '@taskstream/state';
import type { Job } from '../compose/jobs.js';

/** Name of the Dapr cron binding of the daily cleanup (deploy/dapr scopes it to the api app). */
export const DAILY_CLEANUP_BINDING = 'daily-cleanup';

/** The state key a running cleanup holds (exported for the tests, which play the other replica). */
export const LEASE_KEY = 'api:daily-cleanup:running';
/** A replica that died mid-run holds the lease no longer than this. */
const LEASE_SECONDS = 3600;
const DAY_MS = 24 * 3600_000;

type CleanupConfig = Pick<Config, 'OUTBOX_RETENTION_HOURS' | 'DEAD_LETTER_RETENTION_DAYS'>;

/** Deletes what only grows: bookkeeping past its retention, old dead letters, expired sessions, idle rate-limit counters. */
async function prune(db: Db, config: CleanupConfig, now: Date): Promise<Record<string, number>> {
  const cutoff = new Date(now.getTime() - config.OUTBOX_RETENTION_HOURS * 3600_000);
  const count = async (rows: Promise<unknown[]>) => (await rows).length;
  return {
    inbox: await pruneInbox(db, cutoff),
    ...(await pruneNotificationBookkeeping(db, cutoff)),
    deadLetters: await pruneDeadLetters(db, new Date(now.getTime() - config.DEAD_LETTER_RETENTION_DAYS * DAY_MS)),
    // Better Auth stamps these with the real clock and drops an expired one only when it is presented.
    sessions: await count(db.delete(session).where(lt(session.expiresAt, sql`now()`)).returning({ id: session.id })),
    verifications: await count(db.delete(verification).where(lt(verification.expiresAt, sql`now()`)).returning({ id: verification.id })),
    // A counter idle for a day is one no window (≤ a day) still reads: the next call starts a fresh one.
    rateLimits: await count(
      db.delete(rateLimit).where(lt(rateLimit.lastRequest, sql`(extract(epoch from now()) * 1000)::bigint - ${DAY_MS}`)).returning({ id: rateLimit.id }),
    ),
  };
}

/**
 * The api service's daily cleanup. Without Dapr a timer runs it a minute after start and then
 * daily, so a process restarted more often than daily still cleans; under Dapr the cron binding
 * calls it on every replica. A lease in the shared state table lets one replica run it at a
 * time: the others skip, rather than delete the same rows in the same moment.
 */
export function dailyCleanupJob(deps: { db: Db; config: CleanupConfig; now: () => Date; logger: Logger }): Job {
  const lease = new TableStateStore(deps.db);
  return {
    name: DAILY_CLEANUP_BINDING,
    everyMs: DAY_MS,
    firstRunAfterMs: 60_000,
    async run() {
      try {
        await lease.set(LEASE_KEY, { startedAt: new Date().toISOString() }, { etag: null, ttlSeconds: LEASE_SECONDS });
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        deps.logger.info('daily cleanup is running on another replica; skipped');
        return { skipped: true };
      }
      try {
        const removed = await prune(deps.db, deps.config, deps.now());
        deps.logger.info({ removed }, 'daily cleanup');
        return removed;
      } finally {
        await lease.delete(LEASE_KEY);
      }
    },
  };
}
