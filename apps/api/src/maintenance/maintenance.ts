import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '@taskstream/config';
import type { OccurrencePort } from '@taskstream/recurrence';
import type { TasksContext } from '@taskstream/tasks';
import { cronBindingRoute, sidecarRoutes } from '../sidecar-routes.js';
import { dailyCleanup } from './daily-cleanup.js';
import { sweepMissedOccurrences } from './recurrence-sweep.js';

/** Cron binding names (deploy/dapr): each is scoped to the service that answers it. */
export const RECURRENCE_SWEEP_BINDING = 'recurrence-sweep';
export const DAILY_CLEANUP_BINDING = 'daily-cleanup';

export interface Maintenance {
  /** Under Dapr: the routes the cron bindings call. */
  routes: FastifyPluginAsync;
  /** Without Dapr: the same jobs on timers in this process. */
  start(): void;
  stop(): void;
}

/**
 * The recurring processor's sweep (recurrence service) and the daily cleanup (api): cron bindings
 * call them when distributed under Dapr; timers run them otherwise.
 */
export function maintenance(config: Config, deps: { ctx: TasksContext; occurrences: OccurrencePort; logger: Logger }): Maintenance {
  const logger = deps.logger.child({ component: 'maintenance' });
  const jobs: { binding: string; everyMs: number; run: () => Promise<unknown> }[] = [];
  if (config.SERVICES.includes('recurrence')) {
    jobs.push({ binding: RECURRENCE_SWEEP_BINDING, everyMs: 10 * 60_000, run: () => sweepMissedOccurrences({ ctx: deps.ctx, occurrences: deps.occurrences, logger }) });
  }
  if (config.SERVICES.includes('api')) {
    jobs.push({
      binding: DAILY_CLEANUP_BINDING,
      everyMs: 24 * 3600_000,
      run: async () => {
        const removed = await dailyCleanup(deps.ctx.db, config.OUTBOX_RETENTION_HOURS * 3600_000);
        logger.info({ removed }, 'daily cleanup');
        return removed;
      },
    });
  }
  const timers: NodeJS.Timeout[] = [];
  const runLogged = (job: (typeof jobs)[number]) => job.run().catch((err: unknown) => logger.error({ err, job: job.binding }, 'maintenance job failed'));
  return {
    routes: sidecarRoutes((app) => {
      if (config.EVENT_BUS !== 'dapr') return;
      for (const job of jobs) cronBindingRoute(app, job.binding, job.run);
    }),
    start() {
      if (config.EVENT_BUS === 'dapr') return;
      for (const job of jobs) {
        const timer = setInterval(() => void runLogged(job), job.everyMs);
        timer.unref();
        timers.push(timer);
      }
    },
    stop() {
      for (const t of timers) clearInterval(t);
    },
  };
}
