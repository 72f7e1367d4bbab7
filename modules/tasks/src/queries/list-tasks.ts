import { and, eq, sql, type SQL } from 'drizzle-orm';
import { reminders, tasks, isUuid } from '@taskstream/db';
import type { Actor, TasksContext } from '../context.js';
import { invalid } from '../errors.js';
import type { ListTasksQuery, TaskPage } from '../task-schemas.js';
import { toTaskViews } from '../task-views.js';
import { decodeCursor, encodeCursor } from './task-cursor.js';
import { searchQuery } from './search-query.js';

interface SortSpec {
  expr: SQL;
  /** Postgres type the cursor key is cast back to, so comparison matches ORDER BY exactly. */
  cast: string;
  nullable: boolean;
  defaultOrder: 'asc' | 'desc';
}

const sorts: Record<string, SortSpec> = {
  dueAt: { expr: sql`${tasks.dueAt}`, cast: 'timestamptz', nullable: true, defaultOrder: 'asc' },
  priority: { expr: sql`${tasks.priority}`, cast: 'task_priority', nullable: false, defaultOrder: 'desc' },
  createdAt: { expr: sql`${tasks.createdAt}`, cast: 'timestamptz', nullable: false, defaultOrder: 'desc' },
  updatedAt: { expr: sql`${tasks.updatedAt}`, cast: 'timestamptz', nullable: false, defaultOrder: 'desc' },
  title: { expr: sql`lower(${tasks.title})`, cast: 'text', nullable: false, defaultOrder: 'asc' },
};

/** Filters, full-text search and keyset pagination; nulls sort last in both directions. */
export async function listTasks(ctx: TasksContext, actor: Actor, q: ListTasksQuery): Promise<TaskPage> {
  const where: SQL[] = [eq(tasks.userId, actor.userId), ...filters(q, ctx.now())];
  const search = q.q ? searchQuery(q.q) : null;
  if (search) where.push(search.match);

  const sort: SortSpec =
    q.sort === undefined && search
      ? { expr: sql`${search.rank}::real`, cast: 'real', nullable: false, defaultOrder: 'desc' }
      : sorts[q.sort ?? 'dueAt']!;
  const order = q.order ?? sort.defaultOrder;
  if (q.cursor) where.push(afterCursor(sort, order, q.cursor));

  const dir = order === 'asc' ? sql`asc` : sql`desc`;
  const rows = await ctx.db
    .select({ task: tasks, key: sql<string | null>`(${sort.expr})::text` })
    .from(tasks)
    .where(and(...where))
    .orderBy(sql`${sort.expr} ${dir} nulls last`, sql`${tasks.id} ${dir}`)
    .limit(q.limit + 1);

  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const items = await toTaskViews(ctx.db, ctx.recurrence, page.map((r) => r.task));
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ key: last.key, id: last.task.id }) : null,
  };
}

function afterCursor(sort: SortSpec, order: 'asc' | 'desc', raw: string): SQL {
  const c = decodeCursor(raw);
  if (!isUuid(c.id) || (c.key === null && !sort.nullable)) {
    throw invalid('cursor', 'does not belong to this sort; start again without it', 'invalid_cursor');
  }
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
