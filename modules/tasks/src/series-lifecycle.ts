import { and, eq, gt, max, ne, or } from 'drizzle-orm';
import { series, tasks, type Tx } from '@taskstream/db';
import type { TasksContext } from './context.js';
import type { NormalizedRecurrence } from './recurrence-port.js';
import { assertEvaluable } from './task-rules.js';

export type SeriesRow = typeof series.$inferSelect;

/** The series row, locked until the transaction ends: changes to one series' future happen one at a time. */
export async function lockSeries(tx: Tx, seriesId: string): Promise<SeriesRow | undefined> {
  const [row] = await tx.select().from(series).where(eq(series.id, seriesId)).for('update');
  return row;
}

export function recurrenceOf(s: SeriesRow): NormalizedRecurrence {
  return { kind: s.kind, rule: s.rule, repeatFrom: s.repeatFrom, count: s.count, until: s.until?.toISOString() ?? null };
}

/**
 * Moving the due date of a series' latest task restarts the series there, so the walk to the next
 * occurrence starts at the new due rather than at the first one (which may be a century away).
 * COUNT stays the series' total: occurrences are counted by their index, which moving does not
 * change, so as many remain as before. Moving an older task changes only that task.
 */
export async function reanchorSeries(ctx: TasksContext, tx: Tx, at: { seriesId: string; occurrenceIndex: number }, dueAt: Date, zone: string, now: Date): Promise<void> {
  const s = await lockSeries(tx, at.seriesId);
  const [latest] = await tx.select({ index: max(tasks.occurrenceIndex) }).from(tasks).where(eq(tasks.seriesId, at.seriesId));
  if (!s || latest?.index !== at.occurrenceIndex) return;
  assertEvaluable(ctx.recurrence, recurrenceOf(s), dueAt, zone, 'dueAt');
  await tx.update(series).set({ anchorAt: dueAt, updatedAt: now }).where(eq(series.id, s.id));
}

/**
 * After the task at `occurrenceIndex` left its series (deleted, detached with `recurrence: null`,
 * or moved to a new rule): when it was the series' latest task and no open one remains, its owner
 * has decided that nothing follows, so the series ends and is no longer swept or continued.
 * Call after the task's own change, in the same transaction.
 */
export async function endSeriesIfLeft(tx: Tx, at: { seriesId: string; occurrenceIndex: number }, now: Date): Promise<void> {
  const s = await lockSeries(tx, at.seriesId);
  if (!s || s.state === 'ended') return;
  const [remaining] = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.seriesId, at.seriesId), or(gt(tasks.occurrenceIndex, at.occurrenceIndex), ne(tasks.status, 'completed'))))
    .limit(1);
  if (remaining) return;
  await tx.update(series).set({ state: 'ended', updatedAt: now }).where(eq(series.id, s.id));
}
