import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId, outbox, queryRows, user, type DatabaseHandle } from '@taskstream/db';
import { createEvent, type TaskSnapshot } from '@taskstream/events';
import { createTestDatabase } from '@taskstream/testing';
import { notificationMigrations } from '../notification-migrations.js';
import { reminderSchedules } from '../notification-schema.js';
import { ReminderScheduler } from './reminder-scheduler.js';
import { TimerTrigger } from './wake-trigger.js';
import { REMINDER_CHANNEL } from './reminder-channel.js';
import { syncReminderSchedules } from './sync-reminder-schedules.js';

const logger = pino({ level: 'silent' });
let database: DatabaseHandle;
let userId: string;

beforeEach(async () => {
  database = await createTestDatabase([notificationMigrations]);
  userId = randomUUID();
  await database.db.insert(user).values({ id: userId, name: 'Ada', email: `${userId}@example.com` });
});
afterEach(async () => {
  await database.close();
});

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const dueEvents = () =>
  queryRows<{ event: { time: string; data: { reminderId: string; remindAt: string; notificationId: string | null } } }>(
    database.db,
    sql`select event from outbox where type = 'reminder.due' order by id`,
  );

function schedule(firesAt: Date, overrides: Partial<typeof reminderSchedules.$inferInsert> = {}) {
  return { id: newId(), reminderId: newId(), userId, taskId: newId(), title: 'Water the plants', firesAt, taskVersion: 1, ...overrides };
}

describe('reminder scheduler', () => {
  it('fires every reminder exactly once and never early, with two schedulers claiming side by side', async () => {
    const start = Date.now();
    const rows = Array.from({ length: 60 }, (_, i) => schedule(new Date(start + 300 + i * 10)));
    await database.db.insert(reminderSchedules).values(rows);
    const a = new ReminderScheduler({ database, logger });
    const b = new ReminderScheduler({ database, logger });
    await Promise.all([a.start(), b.start()]);
    try {
      const events = await until(async () => {
        const e = await dueEvents();
        return e.length >= 60 && e;
      }, '60 reminder.due events');
      // Let both schedulers run a few more rounds: nothing fires twice.
      a.wake();
      b.wake();
      await new Promise((r) => setTimeout(r, 200));
      expect(await dueEvents()).toHaveLength(60);
      expect(new Set(events.map((e) => e.event.data.reminderId))).toEqual(new Set(rows.map((r) => r.reminderId)));
      for (const { event } of events) expect(Date.parse(event.time)).toBeGreaterThanOrEqual(Date.parse(event.data.remindAt));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('wakes for a reminder scheduled after it went to sleep, and sweeps up ones missed while it was down', async () => {
    const missed = schedule(new Date(Date.now() - 3600_000));
    await database.db.insert(reminderSchedules).values(missed);
    const scheduler = new ReminderScheduler({ database, logger, trigger: new TimerTrigger({ maxSleepMs: 60_000 }) });
    await scheduler.start();
    try {
      await until(async () => (await dueEvents()).length === 1, 'the missed reminder');
      const later = schedule(new Date(Date.now() + 300));
      await database.db.transaction(async (tx) => {
        await tx.insert(reminderSchedules).values(later);
        await tx.execute(sql`select pg_notify('taskstream_reminders', '')`);
      });
      const events = await until(async () => {
        const e = await dueEvents();
        return e.length === 2 && e;
      }, 'the reminder added while asleep');
      expect(events[1]?.event.data.reminderId).toBe(later.reminderId);
    } finally {
      await scheduler.stop();
    }
  });

  it('claims reminders falling due within its shortest sleep together, and still none early', async () => {
    // 60 reminders 5 ms apart over 300 ms; with a 100 ms shortest sleep the timer rounds can
    // claim them in at most 300/100 + 2 batches (a slower machine only makes batches bigger).
    const start = Date.now() + 200;
    const rows = Array.from({ length: 60 }, (_, i) => schedule(new Date(start + i * 5)));
    await database.db.insert(reminderSchedules).values(rows);
    const batches: number[][] = [];
    const scheduler = new ReminderScheduler({ database, logger, minSleepMs: 100, onFired: (lateness) => batches.push(lateness) });
    await scheduler.start();
    try {
      await until(async () => (await dueEvents()).length === 60 && true, '60 reminder.due events');
      expect(batches.flat()).toHaveLength(60);
      expect(batches.length).toBeLessThanOrEqual(5);
      for (const lateness of batches.flat()) expect(lateness).toBeGreaterThanOrEqual(0);
    } finally {
      await scheduler.stop();
    }
  });

  it('fireDue with a clock ahead fires what is due by that clock only', async () => {
    const now = Date.now();
    await database.db.insert(reminderSchedules).values([schedule(new Date(now + 60_000)), schedule(new Date(now + 120_000))]);
    const ahead = new ReminderScheduler({ database, logger, now: () => new Date(now + 61_000) });
    expect(await ahead.fireDue()).toBe(1);
    expect(await ahead.fireDue()).toBe(0);
    expect(await dueEvents()).toHaveLength(1);
  });
});

describe('reminder schedules follow their task', () => {
  const taskId = randomUUID();
  const reminderId = randomUUID();
  let version = 0;

  function snapshot(firesAt: string | null, patch: Partial<TaskSnapshot> = {}): TaskSnapshot {
    version += 1;
    const t = '2026-11-26T00:00:00.000Z';
    return {
      id: taskId, title: 'Dentist', description: '', status: 'open', priority: 'medium', tags: [], dueAt: firesAt, timeZone: 'UTC',
      reminders: firesAt ? [{ id: reminderId, remindAt: firesAt, offsetMinutes: null, firesAt }] : [],
      recurrence: null, seriesId: null, occurrenceIndex: null, completedAt: null, createdAt: t, updatedAt: t, version, ...patch,
    };
  }
  const event = (type: 'task.created' | 'task.updated' | 'task.completed' | 'task.reopened' | 'task.deleted', task: TaskSnapshot, time = new Date()) =>
    createEvent(type, { taskId, userId, task, previous: {}, series: null }, { source: 'test', subject: taskId, partitionKey: userId, time });
  const rowsOf = () => database.db.select().from(reminderSchedules).where(eq(reminderSchedules.taskId, taskId));

  it('is created, moved, kept when unchanged, re-armed when moved after firing, ignores stale events, and is cancelled on completion', async () => {
    version = 0;
    const { handler } = syncReminderSchedules({ db: database.db });
    const sync = (e: Parameters<typeof handler>[0]) => handler(e, { attempt: 1 });
    const inOneHour = new Date(Date.now() + 3600_000).toISOString();
    const inTwoHours = new Date(Date.now() + 7200_000).toISOString();

    await sync(event('task.created', snapshot(inOneHour)));
    expect((await rowsOf()).map((r) => [r.firesAt.toISOString(), r.firedAt])).toEqual([[inOneHour, null]]);

    const moved = snapshot(inTwoHours);
    const stale = event('task.updated', snapshot(inOneHour, { version: 1 }));
    await sync(event('task.updated', moved));
    await sync(stale);
    expect((await rowsOf()).map((r) => r.firesAt.toISOString())).toEqual([inTwoHours]);

    await database.db.update(reminderSchedules).set({ firedAt: new Date() }).where(eq(reminderSchedules.taskId, taskId));
    await sync(event('task.updated', snapshot(inTwoHours, { title: 'Dentist at 10' })));
    const [kept] = await rowsOf();
    expect(kept?.firedAt).not.toBeNull();
    expect(kept?.title).toBe('Dentist at 10');
    await sync(event('task.updated', snapshot(inOneHour)));
    expect((await rowsOf()).map((r) => [r.firesAt.toISOString(), r.firedAt])).toEqual([[inOneHour, null]]);

    await sync(event('task.completed', snapshot(inOneHour, { status: 'completed' })));
    expect(await rowsOf()).toEqual([]);
  });

  it('records a reminder whose time had passed when it was set as past, instead of firing it late', async () => {
    version = 0;
    const { handler } = syncReminderSchedules({ db: database.db });
    const sync = (e: Parameters<typeof handler>[0]) => handler(e, { attempt: 1 });
    const past = new Date(Date.now() - 60_000).toISOString();
    await sync(event('task.created', snapshot(past)));
    const [row] = await rowsOf();
    expect(row?.firedAt).not.toBeNull();
    const scheduler = new ReminderScheduler({ database, logger });
    expect(await scheduler.fireDue()).toBe(0);
    expect(await database.db.select().from(outbox)).toEqual([]);
  });

  it('drops the schedule of a removed reminder and of a deleted task', async () => {
    version = 0;
    const { handler } = syncReminderSchedules({ db: database.db });
    const sync = (e: Parameters<typeof handler>[0]) => handler(e, { attempt: 1 });
    const soon = new Date(Date.now() + 3600_000).toISOString();
    await sync(event('task.created', snapshot(soon)));
    await sync(event('task.updated', snapshot(soon, { reminders: [] })));
    expect(await rowsOf()).toEqual([]);
    await sync(event('task.updated', snapshot(soon)));
    expect(await rowsOf()).toHaveLength(1);
    await sync(event('task.deleted', snapshot(soon)));
    expect(await rowsOf()).toEqual([]);
  });

  it('tells the schedulers (NOTIFY) only when a pending instant appears, moves or goes away', async () => {
    version = 0;
    let notifies = 0;
    const unlisten = await database.listen(REMINDER_CHANNEL, () => notifies++);
    const { handler } = syncReminderSchedules({ db: database.db });
    const sync = (e: Parameters<typeof handler>[0]) => handler(e, { attempt: 1 });
    const settled = async (expected: number) => {
      // NOTIFY is delivered after commit; give it time to arrive (or, when none is expected, to not).
      await new Promise((r) => setTimeout(r, 50));
      expect(notifies).toBe(expected);
    };
    try {
      const soon = new Date(Date.now() + 3600_000).toISOString();
      const later = new Date(Date.now() + 7200_000).toISOString();
      await sync(event('task.created', snapshot(null)));
      await sync(event('task.updated', snapshot(null, { title: 'Dentist, 2nd floor' })));
      await settled(0);
      await sync(event('task.updated', snapshot(soon)));
      await settled(1);
      await sync(event('task.updated', snapshot(soon, { title: 'Dentist at 10', priority: 'high' })));
      await settled(1);
      await sync(event('task.updated', snapshot(later)));
      await settled(2);
      await sync(event('task.updated', snapshot(later, { reminders: [] })));
      await settled(3);
      await sync(event('task.completed', snapshot(null, { status: 'completed' })));
      await sync(event('task.deleted', snapshot(null)));
      await settled(3);
      expect(await rowsOf()).toEqual([]);
    } finally {
      await unlisten();
    }
  });
});
