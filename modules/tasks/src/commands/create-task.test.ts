import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, series, tags, tasks } from '@taskstream/db';
import { TaskError } from '../errors.js';
import { CreateTaskInput } from '../task-schemas.js';
import { createTasksFixture, type TasksFixture } from '../testing/tasks-fixture.js';
import { createTask } from './create-task.js';

let f: TasksFixture;
beforeAll(async () => {
  f = await createTasksFixture();
});
afterAll(() => f.close());

/** What the route does: parse the body with the schema, then call the command. */
const create = (actor: Parameters<typeof createTask>[1], body: unknown) => createTask(f.ctx, actor, CreateTaskInput.parse(body));

async function failure(p: Promise<unknown>): Promise<TaskError> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof TaskError)) throw new Error(`expected a TaskError, got ${String(e)}`);
  return e;
}

const taskCount = async (userId: string) => (await f.database.db.select().from(tasks).where(eq(tasks.userId, userId))).length;

describe('createTask', () => {
  it('stores a task with the schema defaults, in the user\'s zone, at version 1', async () => {
    const ada = await f.newUser('Europe/Berlin');
    const task = await create(ada, { title: '  Buy milk  ' });
    expect(task).toMatchObject({
      title: 'Buy milk',
      description: '',
      status: 'open',
      priority: 'medium',
      tags: [],
      dueAt: null,
      timeZone: 'Europe/Berlin',
      reminders: [],
      recurrence: null,
      seriesId: null,
      occurrenceIndex: null,
      completedAt: null,
      createdAt: f.clock.now.toISOString(),
      updatedAt: f.clock.now.toISOString(),
      version: 1,
    });
    expect(await taskCount(ada.userId)).toBe(1);
  });

  it('reads a local due time in the task\'s zone and keeps an instant as given', async () => {
    const ada = await f.newUser('UTC');
    const local = await create(ada, { title: 'Call', dueAt: '2026-12-01T09:00', timeZone: 'Europe/Berlin' });
    expect(local.dueAt).toBe('2026-12-01T08:00:00.000Z');
    const instant = await create(ada, { title: 'Call', dueAt: '2026-12-01T09:00+02:00', timeZone: 'Europe/Berlin' });
    expect(instant.dueAt).toBe('2026-12-01T07:00:00.000Z');
  });

  it('creates a completed task with completedAt set to now', async () => {
    const ada = await f.newUser();
    const task = await create(ada, { title: 'Done already', status: 'completed' });
    expect(task.completedAt).toBe(f.clock.now.toISOString());
  });

  it('resolves absolute reminders in the zone and relative ones from the due time', async () => {
    const ada = await f.newUser('Europe/Berlin');
    const task = await create(ada, {
      title: 'Dentist',
      dueAt: '2026-12-01T09:00',
      reminders: [{ remindAt: '2026-11-30T20:00' }, { offsetMinutes: 30 }],
    });
    expect(task.reminders.map(({ remindAt, offsetMinutes, firesAt }) => ({ remindAt, offsetMinutes, firesAt }))).toEqual([
      { remindAt: '2026-11-30T19:00:00.000Z', offsetMinutes: null, firesAt: '2026-11-30T19:00:00.000Z' },
      { remindAt: null, offsetMinutes: 30, firesAt: '2026-12-01T07:30:00.000Z' },
    ]);
  });

  it('creates each tag once per user, matching names case-insensitively, first spelling wins', async () => {
    const ada = await f.newUser();
    const first = await create(ada, { title: 'A', tags: ['Work', 'work', 'home'] });
    const second = await create(ada, { title: 'B', tags: ['WORK'] });
    expect([...first.tags].sort()).toEqual(['Work', 'home'].sort());
    expect(second.tags).toEqual(['Work']);
    const rows = await f.database.db.select({ name: tags.name }).from(tags).where(eq(tags.userId, ada.userId));
    expect(rows.map((r) => r.name).sort()).toEqual(['Work', 'home'].sort());
    const bob = await f.newUser();
    await create(bob, { title: 'C', tags: ['work'] });
    expect(await f.database.db.select().from(tags).where(eq(tags.userId, bob.userId))).toHaveLength(1);
  });

  it('starts a series at occurrence 0 anchored at the due time, with the normalized rule', async () => {
    const ada = await f.newUser('Europe/Berlin');
    const task = await create(ada, { title: 'Review', dueAt: '2026-12-04T16:00', recurrence: { rule: 'freq=weekly', count: 3 } });
    expect(task.occurrenceIndex).toBe(0);
    expect(task.recurrence).toEqual({
      kind: 'rrule',
      rule: 'FREQ=WEEKLY',
      repeatFrom: 'due',
      count: 3,
      until: null,
      anchorAt: '2026-12-04T15:00:00.000Z',
      description: 'rrule FREQ=WEEKLY',
    });
    const [s] = await f.database.db.select().from(series).where(eq(series.id, task.seriesId!));
    expect(s).toMatchObject({ userId: ada.userId, timeZone: 'Europe/Berlin', anchorAt: new Date('2026-12-04T15:00:00.000Z') });
  });

  it('stores recurrence.until as an instant read in the task\'s zone', async () => {
    const ada = await f.newUser('Europe/Berlin');
    const task = await create(ada, { title: 'Run', dueAt: '2026-12-01T07:00', recurrence: { rule: 'FREQ=DAILY', until: '2026-12-31T07:00' } });
    expect(task.recurrence?.until).toBe('2026-12-31T06:00:00.000Z');
  });
});

describe('createTask events', () => {
  it('writes task.created to task-events and task.changed to task-updates, keyed by user, with the trace', async () => {
    const ada = await f.newUser();
    await f.takeEvents();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const task = await create({ ...ada, traceparent }, { title: 'Weekly', dueAt: '2026-12-04T16:00:00Z', recurrence: { rule: 'FREQ=WEEKLY' } });
    const events = await f.takeEvents();
    expect(events.map((e) => [e.topic, e.event.type, e.partitionKey])).toEqual([
      ['task-events', 'task.created', ada.userId],
      ['task-updates', 'task.changed', ada.userId],
    ]);
    for (const { event } of events) {
      expect(event).toMatchObject({ source: 'taskstream/api', subject: task.id, partitionkey: ada.userId, traceparent, time: f.clock.now.toISOString() });
    }
    expect(events[0]!.event.data).toEqual({ taskId: task.id, userId: ada.userId, task, previous: {}, series: { seriesId: task.seriesId, occurrenceIndex: 0 } });
    expect(events[1]!.event.data).toEqual({ userId: ada.userId, taskId: task.id, operation: 'created', task });
  });

  it('records the events in the task\'s transaction: when the outbox refuses them, there is no task either', async () => {
    const ada = await f.newUser();
    await f.takeEvents();
    // A real fault in the database, not a stub: the outbox rejects this user's rows.
    const run = (statement: string) => f.database.db.execute(sql.raw(statement));
    await run(`create function refuse_outbox() returns trigger language plpgsql as $$
      begin if new.partition_key = '${ada.userId}' then raise exception 'outbox refused'; end if; return new; end $$`);
    await run('create trigger refuse_outbox before insert on outbox for each row execute function refuse_outbox()');
    try {
      await expect(create(ada, { title: 'Lost', tags: ['kept-out'] })).rejects.toMatchObject({ cause: { message: 'outbox refused' } });
    } finally {
      await run('drop trigger refuse_outbox on outbox');
      await run('drop function refuse_outbox()');
    }
    expect(await taskCount(ada.userId)).toBe(0);
    expect(await f.database.db.select().from(tags).where(eq(tags.userId, ada.userId))).toEqual([]);
    expect(await f.takeEvents()).toEqual([]);
  });
});

describe('createTask refuses what it cannot store, with a stable code and the field\'s path', () => {
  const cases: { name: string; body: object; code: string; path: string }[] = [
    { name: 'a zone that is not IANA', body: { title: 'x', timeZone: 'Mars/Olympus' }, code: 'validation_failed', path: 'timeZone' },
    { name: 'a due date that is not a date-time', body: { title: 'x', dueAt: 'tomorrow' }, code: 'validation_failed', path: 'dueAt' },
    { name: 'an impossible due date', body: { title: 'x', dueAt: '2026-02-30T09:00' }, code: 'validation_failed', path: 'dueAt' },
    { name: 'a bad absolute reminder', body: { title: 'x', reminders: [{ offsetMinutes: 5 }, { remindAt: 'soon' }], dueAt: '2026-12-01T09:00' }, code: 'validation_failed', path: 'reminders.1.remindAt' },
    { name: 'a relative reminder without a due date', body: { title: 'x', reminders: [{ offsetMinutes: 10 }] }, code: 'validation_failed', path: 'reminders.0.offsetMinutes' },
    { name: 'a recurrence without a due date', body: { title: 'x', recurrence: { rule: 'FREQ=DAILY' } }, code: 'recurrence_needs_due', path: 'recurrence' },
    { name: 'a rule the recurrence port refuses', body: { title: 'x', dueAt: '2026-12-01T09:00', recurrence: { rule: 'every full moon' } }, code: 'invalid_recurrence', path: 'recurrence.rule' },
    { name: 'an end before the first occurrence', body: { title: 'x', dueAt: '2026-12-01T09:00', recurrence: { rule: 'FREQ=DAILY', until: '2026-11-30T09:00' } }, code: 'validation_failed', path: 'recurrence.until' },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} (${c.code} at ${c.path}) and stores nothing`, async () => {
      const ada = await f.newUser();
      await f.takeEvents();
      const e = await failure(create(ada, c.body));
      expect({ kind: e.kind, code: e.code, paths: e.errors.map((x) => x.path) }).toEqual({ kind: 'validation', code: c.code, paths: [c.path] });
      expect(e.errors[0]!.message).toBe(e.message);
      expect(await taskCount(ada.userId)).toBe(0);
      expect(await queryRows(f.database.db, sql`select 1 from series where user_id = ${ada.userId}`)).toEqual([]);
      expect(await f.takeEvents()).toEqual([]);
    });
  }
});

describe('CreateTaskInput', () => {
  const pathsOf = (body: unknown) => {
    const r = CreateTaskInput.safeParse(body);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('names the field that is wrong', () => {
    expect(pathsOf({ title: '   ' })).toEqual(['title']);
    expect(pathsOf({ title: 'x'.repeat(501) })).toEqual(['title']);
    expect(pathsOf({ title: 'x', priority: 'critical' })).toEqual(['priority']);
    expect(pathsOf({ title: 'x', tags: ['a,b'] })).toEqual(['tags.0']);
    expect(pathsOf({ title: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })).toEqual(['tags']);
    expect(pathsOf({ title: 'x', reminders: [{ remindAt: '2026-12-01T09:00', offsetMinutes: 5 }] })).toEqual(['reminders.0']);
    expect(pathsOf({ title: 'x', reminders: [{ offsetMinutes: -1 }] })).toEqual(['reminders.0.offsetMinutes']);
    expect(pathsOf({ title: 'x', recurrence: { rule: 'FREQ=DAILY', repeatFrom: 'never' } })).toEqual(['recurrence.repeatFrom']);
  });

  it('refuses fields it does not know, including read-only ones', () => {
    expect(CreateTaskInput.safeParse({ title: 'x', id: '00000000-0000-4000-8000-000000000000' }).success).toBe(false);
    expect(CreateTaskInput.safeParse({ title: 'x', colour: 'red' }).success).toBe(false);
  });

  it('accepts the limits themselves', async () => {
    const ada = await f.newUser();
    const body = {
      title: 'x'.repeat(500),
      tags: Array.from({ length: 20 }, (_, i) => `tag-${i}`),
      dueAt: '2026-12-01T09:00:00Z',
      reminders: Array.from({ length: 10 }, (_, i) => ({ offsetMinutes: i })),
    };
    const task = await create(ada, body);
    expect([task.title.length, task.tags.length, task.reminders.length]).toEqual([500, 20, 10]);
    const rows = await f.database.db.select().from(tasks).where(and(eq(tasks.userId, ada.userId), eq(tasks.id, task.id)));
    expect(rows).toHaveLength(1);
  });
});
