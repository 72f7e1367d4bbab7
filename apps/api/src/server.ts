import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '@taskstream/config';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '@taskstream/db';
import { buildApp } from './app.js';
import { MODULE_MIGRATIONS } from './module-migrations.js';
import { resolveAuthSecret } from './auth-secret.js';
import { llmConfigOf } from './chat/llm-config.js';
import { createEventBus } from './event-bus.js';
import { directOccurrencePort, registerConsumers } from './consumers.js';
import { daprOccurrencePort } from './dapr-occurrence-port.js';
import { startEventPipeline } from './event-pipeline.js';
import { tasksContext } from './app.js';
import { DEFAULT_WEB_DIR } from './web-ui.js';
import { createNotifications } from './notifications-wiring.js';
import { maintenance } from './maintenance/maintenance.js';
import { createRealtime } from './realtime-wiring.js';

export interface RunningServer {
  app: FastifyInstance;
  database: DatabaseHandle;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

/** Opens the database (PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR), migrates, listens. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const dataDir = resolve(config.DATA_DIR);
  const database = await openDatabase(
    config.DATABASE_URL ? { url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX } : { dataDir: resolve(dataDir, 'pglite') },
  );
  try {
    await migrateDatabase(database, MODULE_MIGRATIONS);
    const bus = createEventBus(config, { db: database.db, logger });
    const roles = config.SERVICES;
    const ctx = tasksContext(database.db);
    const notifications = roles.includes('notifications') ? await createNotifications(config, { database, logger }) : undefined;
    // In the API's own process a direct call; otherwise through the API's sidecar.
    const occurrences = roles.includes('api') ? directOccurrencePort(ctx) : daprOccurrencePort({ daprHttpPort: config.DAPR_HTTP_PORT, apiAppId: config.API_APP_ID });
    const realtime = roles.includes('realtime') ? createRealtime(config, { db: database.db, logger }) : undefined;
    registerConsumers(bus, { ctx, logger, roles, occurrences, notifications: notifications?.service, realtime });
    const jobs = maintenance(config, { ctx, occurrences, logger });
    const app = await buildApp({
      database,
      logger,
      bodyLimit: config.BODY_LIMIT_BYTES,
      auth: { secret: resolveAuthSecret(config.AUTH_SECRET, dataDir), config },
      bus,
      webDir: config.WEB_DIR ?? DEFAULT_WEB_DIR,
      vapid: { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY },
      routes: [jobs.routes, ...(notifications ? [notifications.routes] : [])],
      roles,
      internal: { appApiToken: config.APP_API_TOKEN, recurrenceAppId: config.RECURRENCE_APP_ID },
      ...(realtime && { realtime }),
      llm: llmConfigOf(config),
    });
    await app.listen({ host: config.HOST, port: config.PORT });
    // After listen: a Dapr sidecar reads the app's subscriptions once its port is open.
    const pipeline = await startEventPipeline({
      bus,
      database,
      logger,
      relay: { enabled: config.RELAY_ENABLED, pollIntervalMs: config.OUTBOX_POLL_MS, retentionMs: config.OUTBOX_RETENTION_HOURS * 3600_000 },
    });
    await notifications?.service.start();
    jobs.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    // The public URL is the API's; a service without the API answers only on its own port.
    const local = `http://${config.HOST === '127.0.0.1' || config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
    const url = roles.includes('api') ? (config.PUBLIC_URL ?? local) : local;
    return {
      app,
      database,
      url,
      async close() {
        // Keep-alive sockets that were busy when close began become idle later; close them as
        // they do, so in-flight requests finish but no idle client holds shutdown open.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
        }
        jobs.stop();
        await notifications?.service.stop();
        await pipeline.stop();
        logger.info('http server closed');
        await database.close();
        logger.info('database closed');
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}
