import { and, eq, sql, type SQL } from 'drizzle-orm';
import { reminders, tasks } from '@taskstream/db';
import type { Actor, TasksContext } from '../context.js';
import type { ListTasksQuery, TaskPage } from '../task-schemas.js';
import { toTaskViews } from '../task-views.js';
import { decodeCursor, encodeCursor } from './task-cursor.js';
import { rankSort, taskSorts, type SortSpec } from './task-sorts.js';
import { searchQuery } from './search-query.js';

/** Filters, full-text search and keyset pagination; nulls sort last in both directions. */
export async function listTasks(ctx: TasksContext, actor: Actor, q: ListTasksQuery): Promise<TaskPage> {
  const where: SQL[] = [eq(tasks.userId, actor.userId), ...filters(q, ctx.now())];
  const search = q.q ? searchQuery(q.q) : null;
  if (search) where.push(search.match);

  const sort: SortSpec = q.sort === undefined && search ? rankSort(search.rank) : taskSorts[q.sort ?? 'dueAt'];
  const order = q.order ?? sort.defaultOrder;
  if (q.cursor) where.push(afterCursor(sort, order, q.cursor));

  const dir = order === 'asc' ? sql`asc` : sql`desc`;
  const rows = await ctx.db
    .select({ task: tasks, key: sql<string | null>`${sort.key}` })
    .from(tasks)
    .where(and(...where))
    .orderBy(sql`${sort.expr} ${dir} nulls last`, sql`${tasks.id} ${dir}`)
    .limit(q.limit + 1);

  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const items = await toTaskViews(ctx.db, ctx.recurrence, page.map((r) => r.task));
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ sort: sort.name, order, key: last.key, id: last.task.id }) : null,
  };
}

function afterCursor(sort: SortSpec, order: 'asc' | 'desc', raw: string): SQL {
  const c = decodeCursor(raw, sort, order);
  const cmp = order === 'asc' ? sql`>` : sql`<`;
  const afterId = sql`${tasks.id} ${cmp} ${c.id}::uuid`;
  if (c.key === null) return sql`(${sort.expr} is null and ${afterId})`;
  const key = sql`${c.key}::${sql.raw(sort.cast)}`;
  const beyond = sql`(${sort.expr} ${cmp} ${key} or (${sort.expr} = ${key} and ${afterId}))`;
  return sort.nullable ? sql`(${beyond} or ${sort.expr} is null)` : beyond;
}

function filters(q: ListTasksQuery, now: Date): SQL[] {
  const out: SQL[] = [];
  const list = (values: string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
  if (q.status?.length) out.push(sql`${tasks.status} in (${list(q.status)})`);
  if (q.priority?.length) out.push(sql`${tasks.priority} in (${list(q.priority)})`);
  if (q.tags?.length) {
    const names = [...new Set(q.tags.map((t) => t.toLowerCase()))];
    const matching = sql`select count(distinct lower(g.name)) from task_tags tt join tags g on g.id = tt.tag_id
      where tt.task_id = ${tasks.id} and lower(g.name) in (${list(names)})`;
    out.push(q.tagMode === 'all' ? sql`(${matching}) = ${names.length}` : sql`(${matching}) > 0`);
  }
  if (q.dueAfter) out.push(sql`${tasks.dueAt} >= ${new Date(q.dueAfter).toISOString()}::timestamptz`);
  if (q.dueBefore) out.push(sql`${tasks.dueAt} < ${new Date(q.dueBefore).toISOString()}::timestamptz`);
  if (q.overdue !== undefined) {
    const overdue = sql`(${tasks.dueAt} < ${now.toISOString()}::timestamptz and ${tasks.status} <> 'completed')`;
    out.push(q.overdue ? overdue : sql`not coalesce(${overdue}, false)`);
  }
  if (q.recurring !== undefined) out.push(q.recurring ? sql`${tasks.seriesId} is not null` : sql`${tasks.seriesId} is null`);
  if (q.hasReminders !== undefined) {
    const has = sql`exists (select 1 from ${reminders} r where r.task_id = ${tasks.id})`;
    out.push(q.hasReminders ? has : sql`not ${has}`);
  }
  return out;
}
