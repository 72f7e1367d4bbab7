import { count, eq, inArray, sql } from 'drizzle-orm';
import { lockForTransaction, tags, tasks, type Tx } from '@taskstream/db';
import { TaskError } from './errors.js';

/** What one user may keep (TASKS_PER_USER, TAGS_PER_USER): a runaway script or chat loop stops here, not at the disk. */
export interface TaskLimits {
  tasksPerUser: number;
  tagsPerUser: number;
}

export const DEFAULT_TASK_LIMITS: TaskLimits = { tasksPerUser: 10_000, tagsPerUser: 500 };

const limitReached = (message: string, path: string) => new TaskError('conflict', 'limit_reached', message, [{ path, message }]);

/**
 * Serializes one user's creations until the transaction ends, so two concurrent requests cannot
 * both take the last place under a limit. Other users are not held up; a transaction that already
 * holds it (a task created with new tags) does not ask again.
 */
export async function lockUserQuota(tx: Tx, userId: string): Promise<void> {
  await lockForTransaction(tx, `taskstream-quota:${userId}`);
}

/** True when the user already keeps as many tasks as allowed (every status counts: completed tasks take room too). */
export async function atTaskLimit(tx: Tx, limits: TaskLimits, userId: string): Promise<boolean> {
  const [row] = await tx.select({ n: count() }).from(tasks).where(eq(tasks.userId, userId));
  return (row?.n ?? 0) >= limits.tasksPerUser;
}

/** Refuses a new task once the user keeps TASKS_PER_USER; call after lockUserQuota. */
export async function assertRoomForTask(tx: Tx, limits: TaskLimits, userId: string): Promise<void> {
  if (await atTaskLimit(tx, limits, userId)) {
    throw limitReached(
      `You have ${limits.tasksPerUser} tasks, the most one account may keep (completed ones count too). Delete tasks you no longer need to add more.`,
      'tasks',
    );
  }
}

/**
 * Refuses names that would create tags beyond TAGS_PER_USER; names the user already has (in any
 * case) are always fine. Call after lockUserQuota, with names already deduplicated.
 */
export async function assertRoomForTags(tx: Tx, limits: TaskLimits, userId: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const lowered = names.map((n) => n.toLowerCase());
  // One statement counts both: the user's tags, and those among them that the names already are.
  const [row] = await tx
    .select({ have: count(), existing: sql<number>`count(*) filter (where ${inArray(sql`lower(${tags.name})`, lowered)})`.mapWith(Number) })
    .from(tags)
    .where(eq(tags.userId, userId));
  const have = row?.have ?? 0;
  const added = names.length - (row?.existing ?? 0);
  if (added <= 0) return;
  if (have + added > limits.tagsPerUser) {
    throw limitReached(
      `You have ${have} tags and this would add ${added}; one account may have at most ${limits.tagsPerUser}. Use existing tags, or delete tags you no longer use.`,
      'tags',
    );
  }
}
