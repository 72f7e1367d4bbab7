import { join } from 'node:path';
import { loadConfig } from '@taskstream/config';
import { openDatabase } from '@taskstream/db';
import { onPostgres } from '../harness.js';
import { progress } from '../pool.js';
import { SCENARIO } from './params.js';
import type { Result } from './result.js';
import { runOn } from './run-on.js';

export async function runOnPglite(dir: string, signal: AbortSignal): Promise<Result> {
  // A data folder on disk, as `npm start` uses (DATA_DIR/pglite), not an in-memory database.
  const database = await openDatabase({ dataDir: join(dir, 'pglite') });
  progress('reminders on PGlite (embedded, data folder in a temporary directory)');
  return runOn('PGlite', 'PGlite (WebAssembly, in this process), data folder on disk', database, signal);
}

export async function runOnPostgres(dir: string, signal: AbortSignal): Promise<Result | { database: 'PostgreSQL'; skipped: string }> {
  const r = await onPostgres(dir, SCENARIO, async (target) => {
    const config = loadConfig({});
    const database = await openDatabase({ url: target.url, poolMax: config.DATABASE_POOL_MAX });
    progress(`reminders on ${target.description} (pool ${config.DATABASE_POOL_MAX})`);
    return runOn('PostgreSQL', target.description, database, signal);
  });
  return 'skipped' in r ? { database: 'PostgreSQL', skipped: r.skipped } : r;
}
