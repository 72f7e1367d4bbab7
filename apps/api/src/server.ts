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
import { registerConsumers } from './consumers.js';
import { startEventPipeline } from './event-pipeline.js';
import { tasksContext } from './app.js';

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
    registerConsumers(bus, { ctx: tasksContext(database.db), logger });
    const app = await buildApp({
      database,
      logger,
      bodyLimit: config.BODY_LIMIT_BYTES,
      auth: { secret: resolveAuthSecret(config.AUTH_SECRET, dataDir), config },
      bus,
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
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = config.PUBLIC_URL ?? `http://${config.HOST === '127.0.0.1' || config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
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
