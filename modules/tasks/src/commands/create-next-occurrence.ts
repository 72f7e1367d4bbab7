import { and, eq, sql } from 'drizzle-orm';
import { newId, reminders, series, tasks, type Tx } from '@taskstream/db';
import type { NextOccurrenceRequest } from '@taskstream/events';
import { activeTraceparent } from '@taskstream/telemetry';
import type { TasksContext } from '../context.js';
import { notFound } from '../errors.js';
import { assertRoomForTask, lockUserQuota } from '../limits.js';
import type { TaskView } from '../task-schemas.js';
import { recordTaskEvents } from '../task-events.js';
import { lockSeries } from '../series-lifecycle.js';
import { addTaskTags } from '../task-tags.js';
import { toTaskViews, type TaskRow } from '../task-views.js';

/** The occurrence made now or made before, or 'stopped': the series' owner decided that nothing follows. */
export type NextOccurrenceResult = { outcome: 'created' | 'exists'; task: TaskView } | { outcome: 'stopped' };

/**
 * Creates the next task of a series once, for the series' owner: (series, occurrence index) is
 * unique, so duplicate deliveries, retries and a reopen-then-complete all get the same task back.
 * A successor once made is never made again: when the owner has deleted it or taken it out of the
 * series (followed_up_to records that one was made), or the series has ended, the answer is
 * 'stopped' and nothing is created.
 * A user at TASKS_PER_USER gets no new occurrence: limit_reached, which the recurrence service
 * dead-letters (retrying cannot make room); its sweep creates the occurrence once there is room.
 */
export async function createNextOccurrence(ctx: TasksContext, input: NextOccurrenceRequest): Promise<NextOccurrenceResult> {
  const now = ctx.now();
  // The recurrence service acts for the owner; nothing here reads a local time, so no zone is needed.
  // The new task's events continue the trace of the completion that asked for it (when traced).
  const actor = { userId: input.userId, timeZone: 'UTC', traceparent: activeTraceparent() };
  return ctx.db.transaction(async (tx): Promise<NextOccurrenceResult> => {
    const s = await lockSeries(tx, input.seriesId);
    if (!s || s.userId !== actor.userId) throw notFound('series', input.seriesId);
    await lockUserQuota(tx, actor.userId);
    const existing = await findOccurrence(tx, s.id, input.occurrenceIndex, actor.userId);
    if (existing) return { task: (await toTaskViews(tx, ctx.recurrence, [existing]))[0]!, outcome: 'exists' };
    if (s.state === 'ended' || (s.followedUpTo ?? -1) >= input.occurrenceIndex - 1) return { outcome: 'stopped' };
    await assertRoomForTask(tx, ctx.limits, actor.userId);
    const id = newId();
    const dueAt = new Date(input.dueAt);
    const inserted = await tx
      .insert(tasks)
      .values({
        id,
        userId: actor.userId,
        title: input.template.title,
        description: input.template.description,
        priority: input.template.priority,
        dueAt,
        timeZone: s.timeZone,
        seriesId: s.id,
        occurrenceIndex: input.occurrenceIndex,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: [tasks.seriesId, tasks.occurrenceIndex] })
      .returning();
    if (inserted.length === 0) {
      // Made by a concurrent call since the look-up above.
      const [view] = await toTaskViews(tx, ctx.recurrence, [(await findOccurrence(tx, s.id, input.occurrenceIndex, actor.userId))!]);
      return { task: view!, outcome: 'exists' };
    }
    await tx
      .update(series)
      .set({ followedUpTo: sql`greatest(coalesce(${series.followedUpTo}, -1), ${input.occurrenceIndex - 1})`, updatedAt: now })
      .where(eq(series.id, s.id));
    if (input.template.reminderOffsets.length) {
      await tx.insert(reminders).values(
        input.template.reminderOffsets.map((offsetMinutes) => ({
          id: newId(),
          taskId: id,
          userId: actor.userId,
          offsetMinutes,
          firesAt: new Date(dueAt.getTime() - offsetMinutes * 60_000),
          createdAt: now,
        })),
      );
    }
    await addTaskTags(tx, ctx.limits, actor.userId, id, input.template.tags, now);
    const [view] = await toTaskViews(tx, ctx.recurrence, [inserted[0]!]);
    await recordTaskEvents(tx, actor, 'task.created', null, view!, now);
    return { task: view!, outcome: 'created' };
  });
}

async function findOccurrence(tx: Tx, seriesId: string, occurrenceIndex: number, userId: string): Promise<TaskRow | undefined> {
  const [row] = await tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.seriesId, seriesId), eq(tasks.occurrenceIndex, occurrenceIndex), eq(tasks.userId, userId)));
  return row;
}
