import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { tags, tasks, type Tx } from '@taskstream/db';
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
 * both take the last place under a limit. Other users are not held up.
 */
export async function lockUserQuota(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`taskstream-quota:${userId}`}, 0))`);
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
  const [existing] = await tx
    .select({ n: count() })
    .from(tags)
    .where(and(eq(tags.userId, userId), inArray(sql`lower(${tags.name})`, lowered)));
  const added = names.length - (existing?.n ?? 0);
  if (added <= 0) return;
  const [all] = await tx.select({ n: count() }).from(tags).where(eq(tags.userId, userId));
  const have = all?.n ?? 0;
  if (have + added > limits.tagsPerUser) {
    throw limitReached(
      `You have ${have} tags and this would add ${added}; one account may have at most ${limits.tagsPerUser}. Use existing tags, or delete tags you no longer use.`,
      'tags',
    );
  }
}
