import { and, eq } from 'drizzle-orm';
import { newId, reminders, series, tasks, type Tx } from '@taskstream/db';
import type { Actor, TasksContext } from '../context.js';
import type { NormalizedRecurrence } from '../recurrence-port.js';
import { invalid } from '../errors.js';
import { findOwnTask } from '../queries/get-task.js';
import type { TaskView, UpdateTaskInput } from '../task-schemas.js';
import { assertEvaluable, parseRecurrence, refireReminders, resolveDateTime, resolveReminders, resolveZone } from '../task-rules.js';
import { endSeriesIfLeft, reanchorSeries } from '../series-lifecycle.js';
import { replaceTaskTags } from '../task-tags.js';
import { lifecycleOf, previousValues, recordTaskEvents } from '../task-events.js';
import { toTaskViews } from '../task-views.js';

/**
 * Applies a partial change. Lists (tags, reminders) are replaced as a whole; `recurrence: null`
 * detaches the task from its series; a new rule starts a new series anchored at the due time (the
 * series left behind ends when that was its latest task: see endSeriesIfLeft); a new due time of
 * the series' latest task restarts the series there (see reanchorSeries).
 */
export async function updateTask(ctx: TasksContext, actor: Actor, id: string, patch: UpdateTaskInput): Promise<TaskView> {
  const now = ctx.now();
  try {
    return await ctx.db.transaction((tx) => apply(ctx, tx, actor, id, patch, now));
  } catch (e) {
    if (e instanceof Unchanged) return e.view;
    throw e;
  }
}

/** Thrown to roll back a patch that changed nothing: no version bump, no events. */
class Unchanged extends Error {
  constructor(readonly view: TaskView) {
    super('unchanged');
  }
}

async function apply(ctx: TasksContext, tx: Tx, actor: Actor, id: string, patch: UpdateTaskInput, now: Date): Promise<TaskView> {
  const current = await findOwnTask(tx, actor.userId, id, true);
  const [before] = await toTaskViews(tx, ctx.recurrence, [current]);
  const zone = patch.timeZone !== undefined ? resolveZone(patch.timeZone) : current.timeZone;
  const dueAt =
    patch.dueAt === undefined ? current.dueAt : patch.dueAt === null ? null : resolveDateTime(patch.dueAt, zone, 'dueAt');

  const existingReminders = await tx.select().from(reminders).where(eq(reminders.taskId, id));
  const dueMoved = (dueAt?.getTime() ?? null) !== (current.dueAt?.getTime() ?? null);
  if (patch.reminders !== undefined) {
    const next = resolveReminders(patch.reminders, dueAt, zone);
    await tx.delete(reminders).where(eq(reminders.taskId, id));
    if (next.length) {
      await tx.insert(reminders).values(next.map((r) => ({ ...r, id: newId(), taskId: id, userId: actor.userId, createdAt: now })));
    }
  } else if (dueMoved) {
    for (const r of refireReminders(existingReminders, dueAt)) {
      // A reminder that already fired fires again for the new due time.
      await tx.update(reminders).set({ firesAt: r.firesAt, firedAt: r.offsetMinutes === null ? r.firedAt : null }).where(eq(reminders.id, r.id));
    }
  }

  let seriesId = current.seriesId;
  let occurrenceIndex = current.occurrenceIndex;
  if (patch.recurrence === null) {
    seriesId = null;
    occurrenceIndex = null;
  } else if (patch.recurrence !== undefined) {
    const rec = parseRecurrence(ctx.recurrence, patch.recurrence, dueAt, zone);
    if (!(await followsAlready(tx, current.seriesId, rec, zone))) {
      // Only a new series is walked here; a kept one is checked where it re-anchors.
      assertEvaluable(ctx.recurrence, rec, dueAt!, zone, 'recurrence.rule');
      seriesId = await startSeries(tx, actor.userId, rec, zone, dueAt!, now);
      occurrenceIndex = 0;
    } else if (occurrenceIndex !== null && dueMoved) {
      await reanchorSeries(ctx, tx, { seriesId: seriesId!, occurrenceIndex }, dueAt!, zone, now);
    }
  } else if (seriesId && !dueAt) {
    throw invalid('dueAt', 'a recurring task needs a dueAt; set recurrence to null to stop repeating it first', 'recurrence_needs_due');
  } else if (seriesId && occurrenceIndex !== null && dueAt && dueMoved) {
    await reanchorSeries(ctx, tx, { seriesId, occurrenceIndex }, dueAt, zone, now);
  }

  const status = patch.status ?? current.status;
  const completedAt = status === 'completed' ? (current.status === 'completed' ? current.completedAt : now) : null;
  const [row] = await tx
    .update(tasks)
    .set({
      title: patch.title ?? current.title,
      description: patch.description ?? current.description,
      priority: patch.priority ?? current.priority,
      status,
      completedAt,
      dueAt,
      timeZone: zone,
      seriesId,
      occurrenceIndex,
      version: current.version + 1,
      updatedAt: now,
    })
    .where(and(eq(tasks.id, id), eq(tasks.userId, actor.userId)))
    .returning();
  if (current.seriesId !== null && current.occurrenceIndex !== null && seriesId !== current.seriesId) {
    await endSeriesIfLeft(tx, { seriesId: current.seriesId, occurrenceIndex: current.occurrenceIndex }, now);
  }
  if (patch.tags !== undefined) await replaceTaskTags(tx, ctx.limits, actor.userId, id, patch.tags, now);
  const [after] = await toTaskViews(tx, ctx.recurrence, [row!]);
  if (Object.keys(previousValues(before!, after!)).length === 0) throw new Unchanged(before!);
  await recordTaskEvents(tx, actor, lifecycleOf(before!, after!), before!, after!, now);
  return after!;
}

/** A new series anchored at the task's due time; returns its id. */
async function startSeries(tx: Tx, userId: string, rec: NormalizedRecurrence, zone: string, anchorAt: Date, now: Date): Promise<string> {
  const id = newId();
  await tx.insert(series).values({
    id,
    userId,
    kind: rec.kind,
    rule: rec.rule,
    repeatFrom: rec.repeatFrom,
    count: rec.count,
    until: rec.until ? new Date(rec.until) : null,
    timeZone: zone,
    anchorAt,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

/**
 * Whether the task already follows this recurrence (same rule, start, ends and zone). An edit form
 * sends the recurrence with every save; starting a new series for it would reset the series' count
 * and occurrence numbers, so such a patch keeps the series, and a moved due time re-anchors it as
 * a patch without a recurrence would.
 */
async function followsAlready(tx: Tx, seriesId: string | null, rec: NormalizedRecurrence, zone: string): Promise<boolean> {
  if (!seriesId) return false;
  const [s] = await tx.select().from(series).where(eq(series.id, seriesId));
  if (!s || s.timeZone !== zone) return false;
  const sameUntil = rec.until === null ? s.until === null : s.until?.getTime() === Date.parse(rec.until);
  return rec.kind === s.kind && rec.rule === s.rule && rec.repeatFrom === s.repeatFrom && rec.count === s.count && sameUntil;
}
