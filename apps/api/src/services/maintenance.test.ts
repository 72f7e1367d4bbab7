import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetters, inbox, newId, session } from '@taskstream/db';
import { reminderSchedules } from '@taskstream/notifications';
import { TableStateStore } from '@taskstream/state';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { DAILY_CLEANUP_BINDING, LEASE_KEY } from './daily-cleanup.js';
import { directOccurrencePort } from './occurrence-ports.js';
import { sweepMissedOccurrences } from './recurrence-sweep.js';

// Without the event pipeline, completing a recurring task creates nothing: exactly the case of a
// task.completed that never reached the recurrence service.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('recurrence sweep', () => {
  it('creates the missed next occurrence once, and leaves fresh completions to the event path', async () => {
    const user = await t.signUp({ timeZone: 'Europe/Berlin' });
    const created = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: user.headers, payload: { title: 'Stand-up', dueAt: '2026-12-01T09:30', recurrence: { rule: 'FREQ=WEEKLY' } } });
    expect((await t.app.inject({ method: 'POST', url: `/api/tasks/${created.json<{ id: string }>().id}/complete`, headers: user.headers })).statusCode).toBe(200);
    const tasks = t.process.tasks;
    const deps = { tasks, occurrences: directOccurrencePort(tasks), logger: pino({ level: 'silent' }) };

    expect(await sweepMissedOccurrences(deps)).toEqual({ checked: 0, created: 0, refused: 0 });
    expect(await sweepMissedOccurrences({ ...deps, graceSeconds: 0 })).toEqual({ checked: 1, created: 1, refused: 0 });
    expect(await sweepMissedOccurrences({ ...deps, graceSeconds: 0 })).toEqual({ checked: 0, created: 0, refused: 0 });
    const open = (await t.app.inject({ method: 'GET', url: '/api/tasks?status=open', headers: user.headers })).json<{ items: { title: string; dueAt: string; occurrenceIndex: number }[] }>();
    expect(open.items).toEqual([expect.objectContaining({ title: 'Stand-up', dueAt: '2026-12-08T08:30:00.000Z', occurrenceIndex: 1 })]);
  });
});

describe('recurrence sweep past a refusal', () => {
  it('goes on to the other series when one user is at TASKS_PER_USER, and counts the refusal', async () => {
    const ada = await t.signUp();
    const bob = await t.signUp();
    const completeRecurring = async (user: typeof ada) => {
      const task = (await t.app.inject({ method: 'POST', url: '/api/tasks', headers: user.headers, payload: { title: 'Weekly', dueAt: '2026-12-01T09:30', recurrence: { rule: 'FREQ=WEEKLY' } } })).json<{ id: string }>();
      await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/complete`, headers: user.headers });
    };
    // Ada's completion is the older one, so the sweep meets her refusal first.
    await completeRecurring(ada);
    await t.app.inject({ method: 'POST', url: '/api/tasks', headers: ada.headers, payload: { title: 'Fills her quota' } });
    await completeRecurring(bob);
    const tasks = { ...t.process.tasks, limits: { ...t.process.tasks.limits, tasksPerUser: 2 } };
    const deps = { tasks, occurrences: directOccurrencePort(tasks), logger: pino({ level: 'silent' }), graceSeconds: 0 };

    expect(await sweepMissedOccurrences(deps)).toEqual({ checked: 2, created: 1, refused: 1 });
    const openOf = async (user: typeof ada) => (await t.app.inject({ method: 'GET', url: '/api/tasks?status=open', headers: user.headers })).json<{ items: { title: string }[] }>().items.map((i) => i.title);
    expect(await openOf(bob)).toEqual(['Weekly']);
    expect(await openOf(ada)).toEqual(['Fills her quota']);
  });
});

describe('daily cleanup', () => {
  it('removes bookkeeping older than the retention and keeps the rest', async () => {
    const user = await t.signUp();
    const old = new Date(Date.now() - 10 * 24 * 3600_000);
    const [oldEvent, newEvent] = [randomUUID(), randomUUID()];
    await t.database.db.insert(inbox).values([
      { consumer: 'test', eventId: oldEvent, handledAt: old },
      { consumer: 'test', eventId: newEvent },
    ]);
    const schedule = { reminderId: newId(), userId: user.id, taskId: newId(), title: 'x', taskVersion: 1 };
    await t.database.db.insert(reminderSchedules).values([
      { ...schedule, id: newId(), firesAt: old, firedAt: old },
      { ...schedule, id: newId(), reminderId: newId(), firesAt: new Date(Date.now() + 3600_000) },
    ]);
    // The api service's job, as its timer or cron binding runs it (retention: OUTBOX_RETENTION_HOURS, 7 days).
    const removed = await t.process.jobs.get(DAILY_CLEANUP_BINDING)!.run();
    expect(removed).toMatchObject({ inbox: 1, schedules: 1 });
    expect((await t.database.db.select().from(inbox).where(eq(inbox.consumer, 'test'))).map((r) => r.eventId)).toEqual([newEvent]);
    expect(await t.database.db.select().from(reminderSchedules).where(eq(reminderSchedules.userId, user.id))).toHaveLength(1);
  });

  it('removes dead letters past DEAD_LETTER_RETENTION_DAYS (30) and expired sessions, keeping the rest and the user signed in', async () => {
    const user = await t.signUp();
    const days = (n: number) => new Date(Date.now() - n * 24 * 3600_000);
    const letter = { consumer: 'cleanup-test', topic: 'task-events', event: {}, error: 'boom', attempts: 5 };
    const [tooOld, kept] = [randomUUID(), randomUUID()];
    await t.database.db.insert(deadLetters).values([
      { ...letter, eventId: tooOld, createdAt: days(31) },
      // Past the outbox retention (7 days) but within the dead letters' own.
      { ...letter, eventId: kept, createdAt: days(10) },
    ]);
    await t.database.db.insert(session).values({ id: randomUUID(), token: randomUUID(), userId: user.id, expiresAt: days(1) });

    const removed = await t.process.jobs.get(DAILY_CLEANUP_BINDING)!.run();
    expect(removed).toMatchObject({ deadLetters: 1, sessions: 1 });
    expect((await t.database.db.select().from(deadLetters).where(eq(deadLetters.consumer, 'cleanup-test'))).map((r) => r.eventId)).toEqual([kept]);
    expect((await t.database.db.select().from(session).where(eq(session.userId, user.id))).length).toBe(1);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: user.headers })).statusCode).toBe(200);
  });

  it('runs on one replica at a time: while another replica holds the lease a run skips and leaves it, and once it is released the next one runs', async () => {
    // Another replica mid-run, played by holding its lease. (Two overlapping run() calls would
    // race: on PostgreSQL the first can finish and release before the second starts.)
    const job = t.process.jobs.get(DAILY_CLEANUP_BINDING)!;
    const other = new TableStateStore(t.database.db);
    await other.set(LEASE_KEY, { startedAt: new Date().toISOString() }, { etag: null, ttlSeconds: 60 });
    expect(await job.run()).toEqual({ skipped: true });
    expect(await other.get(LEASE_KEY)).not.toBeNull();
    await other.delete(LEASE_KEY);
    expect(await job.run()).toMatchObject({ inbox: expect.any(Number) });
    expect(await other.get(LEASE_KEY)).toBeNull();
  });

  it('runs a minute after start without waiting a day (the process may not live that long)', () => {
    const job = t.process.jobs.get(DAILY_CLEANUP_BINDING)!;
    expect(job.everyMs).toBe(24 * 3600_000);
    expect(job.firstRunAfterMs).toBe(60_000);
  });
});
