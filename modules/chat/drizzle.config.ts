import { defineConfig } from 'drizzle-kit';

// The chat module owns its tables and migrations; they run after packages/db's.
export default defineConfig({
  dialect: 'postgresql',
  schema: './modules/chat/src/store/chat-schema.ts',
  out: './modules/chat/drizzle',
  migrations: { table: '__drizzle_migrations_chat' },
});
