import pg from 'pg';
import { newId } from '@taskstream/db';
import { USER_TIME_ZONE, type TaskSpec } from './workload.js';
import type { Page } from './api-driver.js';

/**
 * The baseline: the same writes and reads as the API, as hand-written SQL through a pg Pool,
 * without HTTP, auth, validation or the ORM.
 */
export class SqlDriver {
  constructor(private readonly pool: pg.Pool) {}

  async createUser(email: string): Promise<string> {
    const id = newId();
    await this.pool.query('insert into "user" (id, name, email, time_zone) values ($1, $2, $3, $4)', [id, email.split('@')[0], email, USER_TIME_ZONE]);
    await this.pool.query('insert into user_preferences (user_id) values ($1)', [id]);
    return id;
  }

  /** One transaction per task, like the API: the task, its reminder, its tags (found or created) and the links. */
  async createTask(userId: string, spec: TaskSpec): Promise<string> {
    const id = newId();
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query(
        `insert into tasks (id, user_id, title, description, status, priority, due_at, time_zone, created_at, updated_at)
         values ($1, $2, $3, $4, 'open', $5, ($6::timestamp at time zone $7), $7, now(), now())`,
        [id, userId, spec.title, spec.description, spec.priority, spec.dueAt, USER_TIME_ZONE],
      );
      await client.query(
        `insert into reminders (id, task_id, user_id, offset_minutes, fires_at, created_at)
         values ($1, $2, $3, $4::int, ($5::timestamp at time zone $6) - make_interval(mins => $4::int), now())`,
        [newId(), id, userId, spec.reminderOffsetMinutes, spec.dueAt, USER_TIME_ZONE],
      );
      await client.query(
        `insert into tags (id, user_id, name, created_at, updated_at)
         select unnest($1::uuid[]), $2, unnest($3::text[]), now(), now() on conflict do nothing`,
        [spec.tags.map(() => newId()), userId, spec.tags],
      );
      await client.query(
        `insert into task_tags (task_id, tag_id) select $1, id from tags where user_id = $2 and lower(name) = any($3::text[])`,
        [id, userId, spec.tags.map((t) => t.toLowerCase())],
      );
      await client.query('commit');
      return id;
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  /** A keyset page in the API's default order (dueAt asc, nulls last, then id), with each task's tags and reminders. */
  async listPage(userId: string, limit: number, cursor: string | null): Promise<Page> {
    const select = `select t.*, t.due_at::text as sort_key,
        coalesce((select array_agg(g.name order by g.name) from task_tags tt join tags g on g.id = tt.tag_id where tt.task_id = t.id), '{}') as tag_names,
        coalesce((select json_agg(json_build_object('id', r.id, 'remindAt', r.remind_at, 'offsetMinutes', r.offset_minutes, 'firesAt', r.fires_at) order by r.created_at, r.id)
                  from reminders r where r.task_id = t.id), '[]') as reminder_list
      from tasks t where t.user_id = $1`;
    const order = 'order by t.due_at asc nulls last, t.id asc limit';
    let result: pg.QueryResult<{ id: string; sort_key: string | null }>;
    if (!cursor) {
      result = await this.pool.query(`${select} ${order} $2`, [userId, limit + 1]);
    } else {
      const c = JSON.parse(cursor) as [string | null, string];
      result =
        c[0] === null
          ? await this.pool.query(`${select} and t.due_at is null and t.id > $2::uuid ${order} $3`, [userId, c[1], limit + 1])
          : await this.pool.query(
              `${select} and (t.due_at > $2::timestamptz or (t.due_at = $2::timestamptz and t.id > $3::uuid) or t.due_at is null) ${order} $4`,
              [userId, c[0], c[1], limit + 1],
            );
    }
    const page = result.rows.slice(0, limit);
    const last = page.at(-1);
    return {
      ids: page.map((r) => r.id),
      nextCursor: result.rows.length > limit && last ? JSON.stringify([last.sort_key, last.id]) : null,
    };
  }
}
