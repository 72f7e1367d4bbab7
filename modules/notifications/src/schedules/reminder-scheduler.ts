import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { appendToOutbox, CoalescingRunner } from '@taskstream/bus';
import { queryRows, type DatabaseHandle } from '@taskstream/db';
import { createEvent, topicOf } from '@taskstream/events';
import { REMINDER_CHANNEL } from './reminder-channel.js';
import { TimerTrigger, type WakeTrigger } from './wake-trigger.js';

export const REMINDER_SOURCE = 'taskstream/notifications';

export interface ReminderSchedulerOptions {
  database: DatabaseHandle;
  logger: Logger;
  trigger?: WakeTrigger;
  /** Reminders claimed per transaction. */
  batchSize?: number;
  /**
   * Shortest sleep between timer rounds: reminders falling due within it are claimed together.
   * Adds at most this much lateness and bounds the claim transactions a dense minute costs.
   */
  minSleepMs?: number;
  now?: () => Date;
  /** Observes each fired batch (metrics, benchmarks): how late each one fired, in milliseconds. */
  onFired?: (latenessMs: number[]) => void;
}

interface DueRow {
  id: string;
  reminder_id: string;
  notification_id: string | null;
  user_id: string;
  task_id: string;
  title: string;
  due_at: string | null;
  occurrence_index: number | null;
  fires_at: string;
}

/**
 * Emits reminder.due at each reminder's instant: sleeps until the earliest pending one, then claims
 * the due rows (FOR UPDATE SKIP LOCKED) and records their events in the same transaction. Two
 * schedulers never claim the same row, so each reminder instance fires exactly once. It never
 * fires early: a row is claimed only once its instant has passed on this clock.
 */
export class ReminderScheduler {
  private readonly o: Required<Omit<ReminderSchedulerOptions, 'onFired'>> & Pick<ReminderSchedulerOptions, 'onFired'>;
  private unlisten: (() => Promise<void>) | undefined;
  private readonly rounds = new CoalescingRunner(() => this.round());

  constructor(options: ReminderSchedulerOptions) {
    this.o = { trigger: new TimerTrigger(), batchSize: 500, minSleepMs: 25, now: () => new Date(), ...options };
  }

  async start(): Promise<void> {
    this.rounds.start();
    this.o.trigger.onWake(() => this.wake());
    this.unlisten = await this.o.database.listen(REMINDER_CHANNEL, () => this.wake());
    this.wake();
  }

  async stop(): Promise<void> {
    const stopped = this.rounds.stop();
    await this.unlisten?.();
    await this.o.trigger.stop();
    await stopped;
  }

  /** Looks again now: fires what is due and re-arms for the next one. Safe to call any time. */
  wake(): void {
    this.rounds.request();
  }

  private async round(): Promise<void> {
    try {
      await this.fireDue();
      await this.armNext();
    } catch (err) {
      this.o.logger.error({ err }, 'reminder scheduler round failed');
      await this.o.trigger.arm(new Date(Date.now() + 1000)).catch(() => undefined);
    }
  }

  /** Claims and fires every reminder due by now; returns how many fired. Also what a sweep calls. */
  async fireDue(): Promise<number> {
    let fired = 0;
    for (;;) {
      const n = await this.fireBatch();
      fired += n;
      if (n < this.o.batchSize) return fired;
    }
  }

  /** Urgent on the database: on PGlite the claim goes ahead of queued relay and consumer work. */
  private async fireBatch(): Promise<number> {
    return this.o.database.urgent(() => this.claimAndRecord());
  }

  private async claimAndRecord(): Promise<number> {
    return this.o.database.db.transaction(async (tx) => {
      const now = this.o.now();
      const rows = await queryRows<DueRow>(
        tx,
        sql`
        with due as (
          select id from reminder_schedules
          where fired_at is null and fires_at <= ${now.toISOString()}::timestamptz
          order by fires_at
          limit ${this.o.batchSize}
          for update skip locked)
        update reminder_schedules s set fired_at = ${now.toISOString()}::timestamptz
        from due where s.id = due.id
        returning s.id, s.reminder_id, s.notification_id, s.user_id, s.task_id, s.title, s.due_at, s.occurrence_index, s.fires_at`,
      );
      if (rows.length === 0) return 0;
      const events = rows.map((r) => {
        const data = {
          reminderId: r.reminder_id,
          taskId: r.task_id,
          userId: r.user_id,
          title: r.title,
          dueAt: r.due_at === null ? null : new Date(r.due_at).toISOString(),
          remindAt: new Date(r.fires_at).toISOString(),
          occurrenceIndex: r.occurrence_index,
          notificationId: r.notification_id,
        };
        return { topic: topicOf('reminder.due'), event: createEvent('reminder.due', data, { source: REMINDER_SOURCE, subject: r.task_id, partitionKey: r.user_id, time: now }) };
      });
      await appendToOutbox(tx, events);
      this.o.onFired?.(rows.map((r) => now.getTime() - new Date(r.fires_at).getTime()));
      return rows.length;
    });
  }

  private async armNext(): Promise<void> {
    const [next] = await this.o.database.urgent(() =>
      queryRows<{ at: string | null }>(this.o.database.db, sql`select min(fires_at) as at from reminder_schedules where fired_at is null`),
    );
    // The real next instant (or none): a trigger that must look again sooner caps it itself.
    await this.o.trigger.arm(next?.at ? new Date(Math.max(Date.parse(next.at), Date.now() + this.o.minSleepMs)) : null);
  }
}
