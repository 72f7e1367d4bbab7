import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '@taskstream/config';
import { migrateDatabase, openDatabase } from '@taskstream/db';
import { createLogger } from './logger.js';
import { MODULE_MIGRATIONS } from './compose/module-migrations.js';

// Applies every migration and exits: the Helm pre-install/pre-upgrade Job runs this
// (`node apps/api/dist/migrate-main.js`), so a schema change lands once, before any new pod
// starts, instead of racing between replicas. Exit 0 on success, 1 on a failed migration,
// 2 on bad configuration — with the reason in the log either way.
let config;
try {
  config = loadConfig();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(`[taskstream] ${e.message}`);
  process.exit(2);
}
const logger = createLogger(config.LOG_LEVEL);
const started = Date.now();
const database = await openDatabase(
  config.DATABASE_URL
    ? { url: config.DATABASE_URL, poolMax: 1, applicationName: 'taskstream-migrate' }
    : { dataDir: resolve(config.DATA_DIR, 'pglite') },
);
try {
  logger.info({ database: database.location }, 'applying migrations');
  await migrateDatabase(database, MODULE_MIGRATIONS);
  logger.info({ database: database.location, ms: Date.now() - started }, 'migrations applied');
} catch (err) {
  logger.fatal({ err, database: database.location }, 'migration failed');
  console.error(`[taskstream] migration failed on ${database.location}: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
