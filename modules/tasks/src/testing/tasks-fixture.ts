import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, user, type DatabaseHandle } from '@taskstream/db';
import { parseEvent, type AnyEvent } from '@taskstream/events';
import { createTestDatabase } from '@taskstream/testing';
import type { NextOccurrenceResult } from '../commands/create-next-occurrence.js';
import type { Actor, TasksContext } from '../context.js';
import { DEFAULT_TASK_LIMITS } from '../limits.js';
import type { NormalizedRecurrence, RecurrencePort } from '../recurrence-port.js';
import type { TaskView } from '../task-schemas.js';

/**
 * A stand-in for modules/recurrence, which a module test may not import (apps/api plugs the real
 * one in). It accepts what the real port accepts in its simplest forms, an RRULE with a FREQ or a
 * 5-field cron expression, refuses anything else with a message, finds every start cheap enough
 * to evaluate, and describes a rule by quoting it. Tests here check how tasks use the port, not what rules mean.
 */
export const simpleRecurrence: RecurrencePort = {
  parse(spec) {
    const rule = spec.rule.trim();
    const kind: NormalizedRecurrence['kind'] | null = /^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+-]+)*$/i.test(rule)
      ? 'rrule'
      : /^(\S+\s+){4}\S+$/.test(rule)
        ? 'cron'
        : null;
    if (!kind) return { ok: false, message: `"${rule}" is not an RRULE or a cron expression` };
    return {
      ok: true,
      value: { kind, rule: kind === 'rrule' ? rule.toUpperCase() : rule, repeatFrom: spec.repeatFrom ?? 'due', count: spec.count ?? null, until: spec.until ?? null },
    };
  },
  // Cost is the real port's concern; every start is fine here.
  check: () => ({ ok: true }),
  describe: (recurrence) => `${recurrence.kind} ${recurrence.rule}`,
};

/** The task a next-occurrence request made or found; fails the test when the series stopped instead. */
export function occurrenceTask(result: NextOccurrenceResult): TaskView {
  if (result.outcome === 'stopped') throw new Error('expected an occurrence, but the series stopped');
  return result.task;
}

export interface OutboxEvent {
  topic: string;
  partitionKey: string;
  event: AnyEvent;
}

export interface TasksFixture {
  database: DatabaseHandle;
  ctx: TasksContext;
  /** The clock every command reads; tests move it. */
  clock: { now: Date; set(iso: string): void; advance(ms: number): void };
  /** A new signed-up user, so every test starts with nothing of its own. */
  newUser(timeZone?: string): Promise<Actor>;
  /** Outbox rows written since the previous call, each parsed against the catalog (a parse failure throws). */
  takeEvents(): Promise<OutboxEvent[]>;
  close(): Promise<void>;
}

/** The tasks module on a real database (PGlite, or PostgreSQL in the infrastructure tier). */
export async function createTasksFixture(start = '2026-03-01T12:00:00.000Z'): Promise<TasksFixture> {
  const database = await createTestDatabase();
  const clock = {
    now: new Date(start),
    set(iso: string) {
      clock.now = new Date(iso);
    },
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  let seen = 0;
  return {
    database,
    ctx: { db: database.db, recurrence: simpleRecurrence, now: () => clock.now, limits: DEFAULT_TASK_LIMITS },
    clock,
    async newUser(timeZone = 'UTC') {
      const id = randomUUID();
      await database.db.insert(user).values({ id, name: 'Ada', email: `${id}@example.com`, timeZone });
      return { userId: id, timeZone };
    },
    async takeEvents() {
      const rows = await queryRows<{ id: string; topic: string; partition_key: string; event: unknown }>(
        database.db,
        sql`select id, topic, partition_key, event from outbox where id > ${seen} order by id`,
      );
      if (rows.length) seen = Number(rows.at(-1)!.id);
      return rows.map((r) => {
        const parsed = parseEvent(r.event);
        if (!parsed.ok) throw new Error(`outbox row ${r.id} does not parse: ${parsed.error}`);
        return { topic: r.topic, partitionKey: r.partition_key, event: parsed.event };
      });
    },
    close: () => database.close(),
  };
}
