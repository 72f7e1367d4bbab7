import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from './client.js';

/** Runs one administrative statement (create or drop database) on its own connection to the server. */
async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database `<prefix>_<time>_<random>` on the PostgreSQL server at `serverUrl` (its role
 * may create databases), opened with a pool of `poolMax`; close() drops it again. For tests and
 * benchmarks that need a real server without sharing state between runs.
 */
export async function openFreshPostgresDatabase(serverUrl: string, options: { prefix?: string; poolMax?: number } = {}): Promise<DatabaseHandle> {
  const name = `${options.prefix ?? 'test'}_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolMax: options.poolMax ?? 5 });
  return {
    ...handle,
    async close() {
      await handle.close();
      await onServer(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}
