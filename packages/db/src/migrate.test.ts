import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './client.js';
import { migrateDatabase } from './migrate.js';
import { queryRows } from './query-rows.js';

describe('migrations on PGlite', () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openDatabase({ memory: true });
    await migrateDatabase(h);
  });
  afterAll(() => h.close());

  it('creates every table and is idempotent', async () => {
    await migrateDatabase(h);
    const rows = await queryRows<{ table_name: string }>(
      h.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = rows.map((r) => r.table_name);
    for (const t of ['user', 'session', 'account', 'verification', 'jwks', 'rate_limit', 'user_preferences', 'series', 'tasks', 'tags', 'task_tags', 'reminders', 'outbox']) {
      expect(names).toContain(t);
    }
  });

  it('weights title above description in the search column and matches prefixes', async () => {
    await h.db.execute(sql`insert into "user"(id, name, email) values ('u1', 'U', 'u@example.com')`);
    await h.db.execute(sql`insert into tasks(id, user_id, title, description, time_zone) values
      (gen_random_uuid(), 'u1', 'Weekly meeting notes', '', 'UTC'),
      (gen_random_uuid(), 'u1', 'Groceries', 'before the meeting', 'UTC')`);
    const rows = await queryRows<{ title: string }>(h.db, sql`
      select title from tasks where search @@ to_tsquery('simple', 'meet:*')
      order by ts_rank_cd(search, to_tsquery('simple', 'meet:*')) desc`);
    expect(rows.map((r) => r.title)).toEqual(['Weekly meeting notes', 'Groceries']);
  });
});
