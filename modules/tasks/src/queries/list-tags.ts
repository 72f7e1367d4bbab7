import { and, asc, eq, sql } from 'drizzle-orm';
import { tags, tasks, taskTags, type DbOrTx } from '@taskstream/db';
import type { Actor, TasksContext } from '../context.js';
import type { TagView } from '../task-schemas.js';

export async function tagViews(db: DbOrTx, userId: string, onlyId?: string): Promise<TagView[]> {
  const rows = await db
    .select({
      id: tags.id,
      name: tags.name,
      color: tags.color,
      createdAt: tags.createdAt,
      updatedAt: tags.updatedAt,
      taskCount: sql<number>`count(${tasks.id})::int`,
      openTaskCount: sql<number>`(count(${tasks.id}) filter (where ${tasks.status} <> 'completed'))::int`,
    })
    .from(tags)
    .leftJoin(taskTags, eq(taskTags.tagId, tags.id))
    .leftJoin(tasks, eq(tasks.id, taskTags.taskId))
    .where(and(eq(tags.userId, userId), onlyId ? eq(tags.id, onlyId) : undefined))
    .groupBy(tags.id)
    .orderBy(asc(sql`lower(${tags.name})`));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() }));
}

export async function listTags(ctx: TasksContext, actor: Actor): Promise<{ items: TagView[]; nextCursor: null }> {
  return { items: await tagViews(ctx.db, actor.userId), nextCursor: null };
}
