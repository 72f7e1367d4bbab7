import { and, eq, inArray, sql } from 'drizzle-orm';
import { newId, tags, taskTags, type Tx } from '@taskstream/db';
import { assertRoomForTags, lockUserQuota, type TaskLimits } from './limits.js';

export const DEFAULT_TAG_COLOR = '#6b7280';

/** Names compare case-insensitively: "Work" and "work" are one tag, first spelling wins. */
export function dedupeNames(names: string[]): string[] {
  const seen = new Map<string, string>();
  for (const n of names) if (!seen.has(n.toLowerCase())) seen.set(n.toLowerCase(), n);
  return [...seen.values()];
}

/** Finds or creates the user's tags with these names and returns their ids; new names count against TAGS_PER_USER. */
export async function ensureTags(tx: Tx, limits: TaskLimits, userId: string, names: string[], now: Date): Promise<string[]> {
  const wanted = dedupeNames(names);
  if (wanted.length === 0) return [];
  await lockUserQuota(tx, userId);
  await assertRoomForTags(tx, limits, userId, wanted);
  const lowered = wanted.map((n) => n.toLowerCase());
  await tx
    .insert(tags)
    .values(wanted.map((name) => ({ id: newId(), userId, name, color: DEFAULT_TAG_COLOR, createdAt: now, updatedAt: now })))
    .onConflictDoNothing();
  const rows = await tx
    .select({ id: tags.id })
    .from(tags)
    .where(and(eq(tags.userId, userId), inArray(sql`lower(${tags.name})`, lowered)));
  return rows.map((r) => r.id);
}

/** Gives a task created in this transaction its tags (it has none yet, so nothing is removed first). */
export async function addTaskTags(tx: Tx, limits: TaskLimits, userId: string, taskId: string, names: string[], now: Date): Promise<void> {
  const ids = await ensureTags(tx, limits, userId, names, now);
  if (ids.length) await tx.insert(taskTags).values(ids.map((tagId) => ({ taskId, tagId })));
}

/** Makes `names` the task's whole set of tags. */
export async function replaceTaskTags(tx: Tx, limits: TaskLimits, userId: string, taskId: string, names: string[], now: Date): Promise<void> {
  await tx.delete(taskTags).where(eq(taskTags.taskId, taskId));
  await addTaskTags(tx, limits, userId, taskId, names, now);
}
