import { migrateDatabase, openDatabase, openFreshPostgresDatabase, type DatabaseHandle, type MigrationSet } from '@taskstream/db';

/**
 * A real Postgres with the shared and the given modules' migrations applied: PGlite in memory,
 * or, when `serverUrl` or TEST_DATABASE_URL names a PostgreSQL server (the infrastructure tier),
 * a fresh database on it that close() drops again.
 */
export async function createTestDatabase(modules: MigrationSet[] = [], options: { serverUrl?: string } = {}): Promise<DatabaseHandle> {
  // Test-harness setting, not application configuration: it is read here on purpose.
  const serverUrl = options.serverUrl ?? process.env.TEST_DATABASE_URL;
  const handle = serverUrl ? await openFreshPostgresDatabase(serverUrl) : await openDatabase({ memory: true });
  await migrateDatabase(handle, modules);
  return handle;
}
