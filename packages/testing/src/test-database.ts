import { migrateDatabase, openDatabase, type DatabaseHandle } from '@taskstream/db';

/** A real Postgres (PGlite, in memory) with every migration applied; close it in afterAll. */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const handle = await openDatabase({ memory: true });
  await migrateDatabase(handle);
  return handle;
}
