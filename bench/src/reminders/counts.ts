// The counts the reminders run waits on and checks, straight from the tables.
import { sql } from 'drizzle-orm';
import { queryRows, type DatabaseHandle } from '@taskstream/db';
import type { FireWindow } from './result.js';

export const count = async (database: DatabaseHandle, query: ReturnType<typeof sql>) => Number((await queryRows<{ n: string | number }>(database.db, query))[0]?.n ?? 0);

/** Events recorded but not yet published by the relay. */
export const unpublished = (database: DatabaseHandle) => count(database, sql`select count(*) as n from outbox where published_at is null`);

/** True once the relay has published everything recorded. */
export const drained = async (database: DatabaseHandle) => (await unpublished(database)) === 0;

/** Reminder schedules that fall in the window. */
export const schedulesIn = (database: DatabaseHandle, window: FireWindow) =>
  count(database, sql`select count(*) as n from reminder_schedules where fires_at between ${new Date(window.start).toISOString()}::timestamptz and ${new Date(window.start + window.ms).toISOString()}::timestamptz`);
