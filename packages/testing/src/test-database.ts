import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateDatabase, openDatabase, type DatabaseHandle, type MigrationSet } from '@taskstream/db';

/**
 * A real Postgres with the shared and the given modules' migrations applied: PGlite in memory,
 * or, when `serverUrl` or TEST_DATABASE_URL names a PostgreSQL server (the infrastructure tier),
 * a fresh database on it that close() drops again.
 */
export async function createTestDatabase(modules: MigrationSet[] = [], options: { serverUrl?: string } = {}): Promise<DatabaseHandle> {
  // Test-harness setting, not application configuration: it is read here on purpose.
  const serverUrl = options.serverUrl ?? process.env.TEST_DATABASE_URL;
  const handle = serverUrl ? await freshPostgresDatabase(serverUrl) : await openDatabase({ memory: true });
  await migrateDatabase(handle, modules);
  return handle;
}

async function freshPostgresDatabase(serverUrl: string): Promise<DatabaseHandle> {
  const name = `test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolMax: 5 });
  return {
    ...handle,
    async close() {
      await handle.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
