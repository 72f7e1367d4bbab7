import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, user, type DatabaseHandle } from '@taskstream/db';
import { parseEvent } from '@taskstream/events';
import { createTestDatabase } from '@taskstream/testing';
import { markAllNotificationsRead } from './notification-commands.js';
import { notificationMigrations } from './notification-migrations.js';
import { unreadCount } from './notification-view.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase([notificationMigrations]);
});
afterAll(() => database.close());

async function userWithUnread(count: number): Promise<string> {
  const id = randomUUID();
  await database.db.insert(user).values({ id, name: 'Ada', email: `${id}@example.com` });
  // Written by the database itself: one statement, however many rows.
  await database.db.execute(sql`
    insert into notifications (id, user_id, kind, title, body, created_at, source_event_id)
    select gen_random_uuid(), ${id}, 'reminder', 'Reminder ' || n, 'due soon', now() - n * interval '1 second', ${id} || '-' || n
    from generate_series(1, ${count}) as n`);
  return id;
}

describe('markAllNotificationsRead', () => {
  // 14,000 rows take a while on PGlite when the machine is busy: a generous budget, not a timed assertion.
  it('marks 14,000 unread read in one go, recording one notification.changed each (more than one INSERT may carry)', { timeout: 180_000 }, async () => {
    const ada = await userWithUnread(14_000);
    const other = await userWithUnread(3);
    const now = new Date('2026-03-06T15:00:00Z');

    expect(await markAllNotificationsRead(database.db, ada, now)).toBe(14_000);
    expect(await unreadCount(database.db, ada)).toBe(0);
    expect(await unreadCount(database.db, other)).toBe(3);
    const [recorded] = await queryRows<{ n: number; distinct_subjects: number }>(
      database.db,
      sql`select count(*)::int as n, count(distinct event->>'subject')::int as distinct_subjects from outbox where partition_key = ${ada} and type = 'notification.changed'`,
    );
    expect(recorded).toEqual({ n: 14_000, distinct_subjects: 14_000 });
    const [sample] = await queryRows<{ event: unknown }>(database.db, sql`select event from outbox where partition_key = ${ada} order by id desc limit 1`);
    const parsed = parseEvent(sample!.event);
    expect(parsed.ok && parsed.event.type === 'notification.changed' && parsed.event.data).toMatchObject({ operation: 'read', unreadCount: 0, notification: { readAt: now.toISOString() } });
  });
});
