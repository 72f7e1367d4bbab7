import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { cronBindingRoute } from './sidecar-routes.js';

/**
 * Background work a service does on a schedule. Under Dapr a cron binding of the same name calls
 * it (deploy/dapr scopes each binding to the app that answers it); otherwise a timer in this
 * process runs it every `everyMs`. Without `everyMs` it runs only when a binding calls it.
 */
export interface Job {
  name: string;
  everyMs?: number;
  /** Without Dapr, also run once this long after start: a process restarted more often than `everyMs` still runs it. */
  firstRunAfterMs?: number;
  run(): Promise<unknown>;
}

/** Under Dapr: each job's cron binding route, in the sidecar scope. */
export function registerJobRoutes(app: FastifyInstance, jobs: readonly Job[]): void {
  for (const job of jobs) cronBindingRoute(app, job.name, job.run);
}

/** Without Dapr: each job on timers of its own (unref'd: they never hold the process open); a failed run is logged and the next one comes. */
export function startJobTimers(jobs: readonly Job[], logger: Logger): () => void {
  const timers = jobs.flatMap((job) => {
    if (!job.everyMs) return [];
    const run = () => void job.run().catch((err: unknown) => logger.error({ err, job: job.name }, 'background job failed'));
    const started = [setInterval(run, job.everyMs)];
    if (job.firstRunAfterMs !== undefined) started.push(setTimeout(run, job.firstRunAfterMs));
    for (const timer of started) timer.unref();
    return started;
  });
  return () => {
    // clearTimeout and clearInterval cancel either kind of timer.
    for (const timer of timers) clearTimeout(timer);
  };
}
