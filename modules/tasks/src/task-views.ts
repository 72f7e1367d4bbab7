import { asc, eq, inArray } from 'drizzle-orm';
import { reminders, series, tags, tasks, taskTags, type DbOrTx } from '@taskstream/db';
import type { RecurrencePort } from './recurrence-port.js';
import type { TaskView } from './task-schemas.js';

export type TaskRow = typeof tasks.$inferSelect;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Turns task rows into API views with their tags, reminders and recurrence, in three queries. */
export async function toTaskViews(db: DbOrTx, port: RecurrencePort, rows: TaskRow[]): Promise<TaskView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const seriesIds = [...new Set(rows.flatMap((r) => (r.seriesId ? [r.seriesId] : [])))];
  // One after another: inside a transaction they share one connection, which runs one query at a time.
  const tagRows = await db
    .select({ taskId: taskTags.taskId, name: tags.name })
    .from(taskTags)
    .innerJoin(tags, eq(tags.id, taskTags.tagId))
    .where(inArray(taskTags.taskId, ids))
    .orderBy(asc(tags.name));
  const reminderRows = await db.select().from(reminders).where(inArray(reminders.taskId, ids)).orderBy(asc(reminders.createdAt), asc(reminders.id));
  const seriesRows = seriesIds.length ? await db.select().from(series).where(inArray(series.id, seriesIds)) : [];
  const seriesById = new Map(seriesRows.map((s) => [s.id, s]));
  return rows.map((t) => {
    const s = t.seriesId ? seriesById.get(t.seriesId) : undefined;
    const recurrence = s
      ? {
          kind: s.kind,
          rule: s.rule,
          repeatFrom: s.repeatFrom,
          count: s.count,
          until: iso(s.until),
          anchorAt: s.anchorAt.toISOString(),
        }
      : null;
    return {
      id: t.id,
      title: t.title,
      description: t.description,
      status: t.status,
      priority: t.priority,
      tags: tagRows.filter((g) => g.taskId === t.id).map((g) => g.name),
      dueAt: iso(t.dueAt),
      timeZone: t.timeZone,
      reminders: reminderRows
        .filter((r) => r.taskId === t.id)
        .map((r) => ({ id: r.id, remindAt: iso(r.remindAt), offsetMinutes: r.offsetMinutes, firesAt: iso(r.firesAt) })),
      recurrence:
        recurrence && s ? { ...recurrence, description: port.describe(recurrence, s.anchorAt, s.timeZone) } : null,
      seriesId: t.seriesId,
      occurrenceIndex: t.occurrenceIndex,
      completedAt: iso(t.completedAt),
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
      version: t.version,
    };
  });
}
