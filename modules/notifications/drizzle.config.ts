import { defineConfig } from 'drizzle-kit';

// The notification service owns its tables and migrations; they run after packages/db's.
export default defineConfig({
  dialect: 'postgresql',
  schema: './modules/notifications/src/notification-schema.ts',
  out: './modules/notifications/drizzle',
  migrations: { table: '__drizzle_migrations_notifications' },
});
