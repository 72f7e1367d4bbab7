import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { composeProcess, type ComposedProcess } from '@taskstream/api';
import type { Subscription } from '@taskstream/bus';
import { loadConfig } from '@taskstream/config';
import type { DatabaseHandle } from '@taskstream/db';

/** What the scheduler's lateness hook reported: what it measures is not reachable through HTTP. */
export interface SchedulerLog {
  /** Claim time − fire instant of every reminder fired, ms. */
  fired: number[];
  /** Reminders per scheduler claim. */
  batchSizes: number[];
}

/**
 * The embedded stack as startServer composes it, without the real-time service and without
 * listening, with `observer` subscribed beside the consumers. Not started yet.
 */
export async function composeStack(database: DatabaseHandle, observer: Subscription): Promise<{ stack: ComposedProcess; scheduler: SchedulerLog }> {
  const scheduler: SchedulerLog = { fired: [], batchSizes: [] };
  const stack = await composeProcess(loadConfig({ LOG_LEVEL: 'warn', SERVICES: 'api,audit,recurrence,notifications', AUTH_SECRET: randomBytes(32).toString('hex') }), {
    logger: pino({ level: 'warn' }),
    database,
    notifications: {
      onFired: (ms) => {
        scheduler.batchSizes.push(ms.length);
        for (const m of ms) scheduler.fired.push(m);
      },
    },
    observers: [observer],
  });
  return { stack, scheduler };
}
