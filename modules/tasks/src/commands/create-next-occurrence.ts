import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { newId, reminders, series, tasks } from '@taskstream/db';
import type { Actor, TasksContext } from '../context.js';
import { notFound } from '../errors.js';
import { Priority, TagName, type TaskView } from '../task-schemas.js';
import { recordTaskEvents } from '../task-events.js';
import { replaceTaskTags } from '../task-tags.js';
import { toTaskViews } from '../task-views.js';

/** What the recurrence service asks for: occurrence n+1 of a series, and what it carries over. */
export const NextOccurrenceInput = z.strictObject({
  seriesId: z.uuid(),
  occurrenceIndex: z.int().min(1),
  dueAt: z.iso.datetime({ offset: true }),
  template: z.strictObject({
    title: z.string().min(1).max(500),
    description: z.string().max(10_000),
    priority: Priority,
    tags: z.array(TagName).max(20),
    /** Only reminders relative to the due time carry over; absolute ones belonged to that day. */
    reminderOffsets: z.array(z.int().min(0).max(525_600)).max(10),
  }),
});
export type NextOccurrenceInput = z.infer<typeof NextOccurrenceInput>;

/**
 * Creates the next task of a series once: (series, occurrence index) is unique, so duplicate
 * deliveries, retries and a reopen-then-complete all get the same task back.
 */
export async function createNextOccurrence(
  ctx: TasksContext,
  actor: Actor,
  input: NextOccurrenceInput,
): Promise<{ task: TaskView; created: boolean }> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [s] = await tx.select().from(series).where(and(eq(series.id, input.seriesId), eq(series.userId, actor.userId)));
    if (!s) throw notFound('series', input.seriesId);
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
      const [existing] = await tx
        .select()
        .from(tasks)
        .where(and(eq(tasks.seriesId, s.id), eq(tasks.occurrenceIndex, input.occurrenceIndex), eq(tasks.userId, actor.userId)));
      const [view] = await toTaskViews(tx, ctx.recurrence, [existing!]);
      return { task: view!, created: false };
    }
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
    await replaceTaskTags(tx, actor.userId, id, input.template.tags, now);
    const [view] = await toTaskViews(tx, ctx.recurrence, [inserted[0]!]);
    await recordTaskEvents(tx, actor, 'task.created', null, view!, now);
    return { task: view!, created: true };
  });
}
