import { sql } from 'drizzle-orm';
import { queryRows, type DatabaseHandle } from '@taskstream/db';
import { count } from './counts.js';
import { params } from './params.js';
import type { FireWindow, Result, Sample } from './result.js';

/** Per reminder of the window, from the database: claim time (fired_at) and the notification's created_at. */
export async function readSamples(database: DatabaseHandle, window: FireWindow): Promise<Sample[]> {
  const rows = await queryRows<{ fires_ms: string | number; fired_ms: string | number | null; created_ms: string | number | null }>(
    database.db,
    sql`select extract(epoch from s.fires_at) * 1000 as fires_ms, extract(epoch from s.fired_at) * 1000 as fired_ms, extract(epoch from n.created_at) * 1000 as created_ms
        from reminder_schedules s left join notifications n on n.reminder_id = s.reminder_id
        where s.fires_at between ${new Date(window.start).toISOString()}::timestamptz and ${new Date(window.start + window.ms).toISOString()}::timestamptz and s.notification_id is null`,
  );
  return rows
    .filter((r) => r.fired_ms !== null && r.created_ms !== null)
    .map((r) => ({ at: Number(r.fires_ms) - window.start, schedulerMs: Number(r.fired_ms) - Number(r.fires_ms), endToEndMs: Number(r.created_ms) - Number(r.fires_ms) }))
    .sort((a, b) => a.at - b.at);
}

export interface Observed {
  samples: Sample[];
  /** The scheduler hook's lateness values. */
  fired: number[];
  /** The observer's notification.changed arrivals, still growing while a straggler comes in. */
  observed: number[];
  marginSeconds: number;
}

/**
 * Every reminder fired exactly once, none early, each made one notification that reached the
 * observer, nothing dead-lettered, the hook agrees with the table, and setup beat the window.
 */
export async function checkRun(database: DatabaseHandle, { samples, fired, observed, marginSeconds }: Observed): Promise<Result['checks']> {
  const [outboxDue, notificationsMade, distinctSources, distinctReminders, deadLetters] = await Promise.all([
    count(database, sql`select count(*) as n from outbox where type = 'reminder.due'`),
    count(database, sql`select count(*) as n from notifications`),
    count(database, sql`select count(distinct source_event_id) as n from notifications`),
    count(database, sql`select count(distinct reminder_id) as n from notifications`),
    count(database, sql`select count(*) as n from dead_letters`),
  ]);
  const hookSorted = Float64Array.from(fired).sort();
  const dbSorted = Float64Array.from(samples, (s) => s.schedulerMs).sort();
  const checks = {
    reminderDueEventsInOutbox: outboxDue,
    notifications: notificationsMade,
    distinctNotificationSourceEvents: distinctSources,
    distinctNotificationReminders: distinctReminders,
    notificationChangedObserved: observed.length,
    onFiredSamples: fired.length,
    deadLetters,
    earlyScheduler: samples.filter((s) => s.schedulerMs < 0).length,
    earlyEndToEnd: samples.filter((s) => s.endToEndMs < 0).length,
    onFiredMatchesDatabase: hookSorted.length === dbSorted.length && hookSorted.every((v, i) => Math.abs(v - dbSorted[i]!) < 0.5),
    setupFinishedBeforeWindow: marginSeconds > 0,
  };
  const n = params.reminders;
  const ok =
    outboxDue === n && notificationsMade === n && distinctSources === n && distinctReminders === n && observed.length === n && fired.length === n &&
    deadLetters === 0 && checks.earlyScheduler === 0 && checks.earlyEndToEnd === 0 && checks.onFiredMatchesDatabase && checks.setupFinishedBeforeWindow;
  return { ...checks, ok };
}
