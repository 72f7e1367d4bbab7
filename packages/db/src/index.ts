export * from './schema/index.js';
export * as schema from './schema/index.js';
export { timestamptz } from './schema/columns.js';
export { openDatabase, type Db, type Tx, type DbOrTx, type DatabaseHandle, type DatabaseOptions, type Schema } from './client.js';
export { migrateDatabase, migrationsFolder, type MigrationSet } from './migrate.js';
export { isUuid, newId } from './ids.js';
export { isUniqueViolation } from './errors.js';
export { queryRows } from './query-rows.js';
export { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor.js';
