import { and, eq } from 'drizzle-orm';
import { isUniqueViolation, newId, tags, isUuid } from '@taskstream/db';
import type { Actor, TasksContext } from '../context.js';
import { notFound, TaskError } from '../errors.js';
import { assertRoomForTags, lockUserQuota } from '../limits.js';
import { tagViews } from '../queries/list-tags.js';
import type { CreateTagInput, TagView, UpdateTagInput } from '../task-schemas.js';
import { DEFAULT_TAG_COLOR } from '../task-tags.js';

const taken = (name: string) => new TaskError('conflict', 'tag_exists', `You already have a tag named "${name}".`, [{ path: 'name', message: 'already exists' }]);

export async function createTag(ctx: TasksContext, actor: Actor, input: CreateTagInput): Promise<TagView> {
  const now = ctx.now();
  const id = newId();
  try {
    await ctx.db.transaction(async (tx) => {
      await lockUserQuota(tx, actor.userId);
      await assertRoomForTags(tx, ctx.limits, actor.userId, [input.name]);
      await tx.insert(tags).values({ id, userId: actor.userId, name: input.name, color: input.color ?? DEFAULT_TAG_COLOR, createdAt: now, updatedAt: now });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw taken(input.name);
    throw e;
  }
  return (await tagViews(ctx.db, actor.userId, id))[0]!;
}

/** Renaming keeps every task link, so the tag's tasks follow the new name. */
export async function updateTag(ctx: TasksContext, actor: Actor, id: string, patch: UpdateTagInput): Promise<TagView> {
  if (!isUuid(id)) throw notFound('tag', id);
  try {
    const updated = await ctx.db
      .update(tags)
      .set({ ...(patch.name !== undefined && { name: patch.name }), ...(patch.color !== undefined && { color: patch.color }), updatedAt: ctx.now() })
      .where(and(eq(tags.id, id), eq(tags.userId, actor.userId)))
      .returning({ id: tags.id });
    if (updated.length === 0) throw notFound('tag', id);
  } catch (e) {
    if (isUniqueViolation(e) && patch.name) throw taken(patch.name);
    throw e;
  }
  return (await tagViews(ctx.db, actor.userId, id))[0]!;
}

/** Removes the tag and its links; the tasks stay. */
export async function deleteTag(ctx: TasksContext, actor: Actor, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound('tag', id);
  const deleted = await ctx.db
    .delete(tags)
    .where(and(eq(tags.id, id), eq(tags.userId, actor.userId)))
    .returning({ id: tags.id });
  if (deleted.length === 0) throw notFound('tag', id);
}
