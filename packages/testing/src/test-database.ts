import { migrateDatabase, openDatabase, type DatabaseHandle, type MigrationSet } from '@taskstream/db';

/** A real Postgres (PGlite, in memory) with the shared and the given modules' migrations applied. */
export async function createTestDatabase(modules: MigrationSet[] = []): Promise<DatabaseHandle> {
  const handle = await openDatabase({ memory: true });
  await migrateDatabase(handle, modules);
  return handle;
}
