import { fileURLToPath } from 'node:url';
import type { MigrationSet } from '@taskstream/db';

export const chatMigrations: MigrationSet = {
  migrationsFolder: fileURLToPath(new URL('../../drizzle', import.meta.url)),
  migrationsTable: '__drizzle_migrations_chat',
};
