import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { OutboxRelay, type BusObserver, type EventBus } from '@taskstream/bus';
import type { Config, Role } from '@taskstream/config';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '@taskstream/db';
import type { TasksContext } from '@taskstream/tasks';
import { buildApp } from '../http/app.js';
import { eventMetrics } from '../http/event-metrics.js';
import { createMetricsRegistry } from '../http/metrics.js';
import type { Contribution } from '../services/contribution.js';
import { daprOccurrencePort, directOccurrencePort } from '../services/occurrence-ports.js';
import { SERVICE_TABLE, type ServiceHandles } from '../services/service-table.js';
import { createEventBus } from './event-bus.js';
import { registerJobRoutes, startJobTimers, type Job } from './jobs.js';
import { MODULE_MIGRATIONS } from './module-migrations.js';
import { recurrenceAdapter } from './recurrence-adapter.js';
import { sharedAuth, sharedVapidKeys, type ComposeOptions, type Shared } from './shared.js';
import { sidecarRoutes, sidecarScope } from './sidecar-routes.js';

export type { ComposeOptions } from './shared.js';

/** One process as SERVICES describes it, built but not yet listening or consuming. */
export interface ComposedProcess {
  readonly config: Config;
  readonly roles: readonly Role[];
  readonly app: FastifyInstance;
  readonly database: DatabaseHandle;
  readonly bus: EventBus;
  readonly tasks: TasksContext;
  /** What the running roles expose (the notification service, the real-time hub). */
  readonly services: Partial<ServiceHandles>;
  /** The scheduled jobs of the running roles, by name (tests run them directly). */
  readonly jobs: ReadonlyMap<string, Job>;
  /** Listens (when given where) or readies the app, then starts the bus, the relay and every role's work. */
  start(listen?: { host: string; port: number }): Promise<void>;
  /** Stops accepting connections, lets in-flight requests finish, stops the work, closes the database. */
  close(): Promise<void>;
}

/**
 * The one place that decides what a process runs: the rows of SERVICE_TABLE named by
 * config.SERVICES, over a database, a bus, a tasks context and keys built once for all of them.
 * `npm start`, each apps/<service>, the tests and the benchmarks all build their process here.
 */
export async function composeProcess(config: Config, options: ComposeOptions): Promise<ComposedProcess> {
  const { logger } = options;
  const database = options.database ?? (await openConfiguredDatabase(config));
  try {
    await migrateDatabase(database, MODULE_MIGRATIONS);
    const roles = config.SERVICES;
    const metrics = createMetricsRegistry(database);
    const events = eventMetrics(metrics);
    const bus = await createEventBus(config, { db: database.db, logger, retry: options.busRetry, observer: events });
    const tasks: TasksContext = {
      db: database.db,
      recurrence: recurrenceAdapter,
      now: options.now ?? (() => new Date()),
      limits: { tasksPerUser: config.TASKS_PER_USER, tagsPerUser: config.TAGS_PER_USER },
    };
    const shared: Shared = {
      config,
      logger,
      database,
      bus,
      tasks,
      metrics,
      // The API is the only writer of tasks: beside it a direct call, elsewhere through its sidecar.
      occurrences: roles.includes('api') ? directOccurrencePort(tasks) : daprOccurrencePort({ daprHttpPort: config.DAPR_HTTP_PORT, apiAppId: config.API_APP_ID, logger }),
      auth: sharedAuth(config, database, logger),
      vapidKeys: sharedVapidKeys(config, database),
      options,
    };
    const services: Partial<Record<Role, unknown>> = {};
    const running: Contribution<unknown>[] = [];
    for (const role of roles) {
      const contribution = await SERVICE_TABLE[role](shared);
      running.push(contribution);
      services[role] = contribution.handle;
    }
    // Subscribed before the app listens: a Dapr sidecar reads the subscriptions once, when the port opens.
    for (const subscription of [...running.flatMap((c) => c.subscriptions ?? []), ...(options.observers ?? [])]) bus.subscribe(subscription);
    const jobs = running.flatMap((c) => c.jobs ?? []);
    const underDapr = config.EVENT_BUS === 'dapr';
    const app = await buildApp({
      database,
      logger,
      metrics: shared.metrics,
      bodyLimit: config.BODY_LIMIT_BYTES,
      trustProxy: config.TRUST_PROXY,
      routes: running.flatMap((c) => c.routes ?? []),
      // Only under Dapr, and only with its app token; without Dapr nothing calls them, so they do not exist.
      sidecarRoutes: underDapr
        ? [
            sidecarScope(appTokenOf(config), [
              ...(bus.httpRoutes ? [bus.httpRoutes] : []),
              sidecarRoutes((scope) => {
                for (const register of running.flatMap((c) => c.sidecarRoutes ?? [])) register(scope);
                registerJobRoutes(scope, jobs);
              }),
            ]),
          ]
        : [],
    });
    return lifecycle({ config, roles, app, database, bus, tasks, services: services as Partial<ServiceHandles>, jobs: new Map(jobs.map((j) => [j.name, j])) }, running, underDapr, logger, events);
  } catch (e) {
    await database.close();
    throw e;
  }
}

/** loadConfig refuses EVENT_BUS=dapr without APP_API_TOKEN; this keeps a hand-built config from opening the routes. */
function appTokenOf(config: Config): string {
  if (config.APP_API_TOKEN === undefined) throw new Error('EVENT_BUS=dapr needs APP_API_TOKEN: the routes only the Dapr sidecar calls accept nothing else');
  return config.APP_API_TOKEN;
}

function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  return openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX } : { dataDir: resolve(config.DATA_DIR, 'pglite') });
}

type Parts = Omit<ComposedProcess, 'start' | 'close'>;

/** Start and stop in the order the parts depend on each other. */
function lifecycle(parts: Parts, running: Contribution<unknown>[], underDapr: boolean, logger: Shared['logger'], observer: BusObserver): ComposedProcess {
  const { config, app, database, bus } = parts;
  const relay = config.RELAY_ENABLED
    ? new OutboxRelay({
        database,
        bus,
        logger: logger.child({ component: 'outbox-relay' }),
        pollIntervalMs: config.OUTBOX_POLL_MS,
        retentionMs: config.OUTBOX_RETENTION_HOURS * 3600_000,
        observer,
      })
    : undefined;
  let stopTimers = () => {};
  return {
    ...parts,
    async start(listen) {
      if (listen) await app.listen(listen);
      else await app.ready();
      // After listen: a Dapr bus waits for its sidecar, which reads the subscriptions once the port is open.
      await bus.start();
      await relay?.start();
      for (const c of running) await c.start?.();
      if (!underDapr) stopTimers = startJobTimers([...parts.jobs.values()], logger.child({ component: 'jobs' }));
    },
    async close() {
      // Keep-alive sockets that were busy when close began become idle later; close them as
      // they do, so in-flight requests finish but no idle client holds shutdown open.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
      stopTimers();
      for (const c of [...running].reverse()) await c.stop?.();
      // Together: the relay stops claiming while the bus aborts deliveries stuck in retries.
      await Promise.all([relay?.stop(), bus.stop()]);
      logger.info('http server closed');
      await database.close();
      logger.info('database closed');
    },
  };
}
