import { defineConfig } from 'drizzle-kit';

// The audit service owns its table and migrations; they run after packages/db's.
export default defineConfig({
  dialect: 'postgresql',
  schema: './modules/audit/src/audit-schema.ts',
  out: './modules/audit/drizzle',
  migrations: { table: '__drizzle_migrations_audit' },
});
