import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Subscription } from '@taskstream/bus';
import type { Job } from '../compose/jobs.js';
import type { Shared } from '../compose/shared.js';

/** What one service (a role of SERVICES) adds to the process that runs it. */
export interface Contribution<Handle = undefined> {
  /** Its consumers, subscribed before the bus starts (and before the app listens: Dapr reads them once). */
  subscriptions?: Subscription[];
  /** Its HTTP routes on the app: the REST API, GET /ws. */
  routes?: FastifyPluginAsync[];
  /** Routes only its Dapr sidecar calls (job callbacks): registered only under Dapr, behind the app token; bodies are taken as text there. */
  sidecarRoutes?: ((app: FastifyInstance) => void)[];
  /** Its scheduled work: Dapr cron bindings when EVENT_BUS=dapr, timers otherwise. */
  jobs?: Job[];
  /** Background work started once the app listens and the bus runs (schedulers, workers). */
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** What tests and benchmarks may reach of it (the notification service, the real-time hub). */
  handle?: Handle;
}

/** A row of the service table: builds a service's contribution from what the process shares. */
export type ServiceRow<Handle = undefined> = (shared: Shared) => Promise<Contribution<Handle>>;
