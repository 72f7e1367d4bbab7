import { newId, reminders, series, tasks } from '@taskstream/db';
import type { Actor, TasksContext } from '../context.js';
import type { CreateTaskInput, TaskView } from '../task-schemas.js';
import { assertRoomForTask, lockUserQuota } from '../limits.js';
import { resolveDateTime, resolveRecurrence, resolveReminders, resolveZone } from '../task-rules.js';
import { recordTaskEvents } from '../task-events.js';
import { addTaskTags } from '../task-tags.js';
import { toTaskViews } from '../task-views.js';

export async function createTask(ctx: TasksContext, actor: Actor, input: CreateTaskInput): Promise<TaskView> {
  const zone = resolveZone(input.timeZone ?? actor.timeZone);
  const dueAt = input.dueAt == null ? null : resolveDateTime(input.dueAt, zone, 'dueAt');
  const reminderRows = resolveReminders(input.reminders, dueAt, zone);
  const recurrence = input.recurrence ? resolveRecurrence(ctx.recurrence, input.recurrence, dueAt, zone) : null;
  const now = ctx.now();
  const id = newId();

  return ctx.db.transaction(async (tx) => {
    await lockUserQuota(tx, actor.userId);
    await assertRoomForTask(tx, ctx.limits, actor.userId);
    let seriesId: string | null = null;
    if (recurrence && dueAt) {
      seriesId = newId();
      await tx.insert(series).values({
        id: seriesId,
        userId: actor.userId,
        kind: recurrence.kind,
        rule: recurrence.rule,
        repeatFrom: recurrence.repeatFrom,
        count: recurrence.count,
        until: recurrence.until ? new Date(recurrence.until) : null,
        timeZone: zone,
        anchorAt: dueAt,
        createdAt: now,
        updatedAt: now,
      });
    }
    const [row] = await tx
      .insert(tasks)
      .values({
        id,
        userId: actor.userId,
        title: input.title,
        description: input.description,
        status: input.status,
        priority: input.priority,
        dueAt,
        timeZone: zone,
        seriesId,
        occurrenceIndex: seriesId ? 0 : null,
        completedAt: input.status === 'completed' ? now : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (reminderRows.length) {
      await tx
        .insert(reminders)
        .values(reminderRows.map((r) => ({ ...r, id: newId(), taskId: id, userId: actor.userId, createdAt: now })));
    }
    await addTaskTags(tx, ctx.limits, actor.userId, id, input.tags, now);
    const [view] = await toTaskViews(tx, ctx.recurrence, [row!]);
    await recordTaskEvents(tx, actor, 'task.created', null, view!, now);
    return view!;
  });
}
