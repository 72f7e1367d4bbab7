import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { tasks } from '@taskstream/db';
import { PRIORITIES } from '@taskstream/events';

/** How a list is ordered, and how a cursor's key for that order is printed, checked and cast back. */
export interface SortSpec {
  /** Travels in the cursor, so a cursor is only ever used with the order it was made for. */
  name: string;
  expr: SQL;
  /** The key as text the cursor carries; printed exactly (microseconds, shortest float), so paging never skips or repeats a row. */
  key: SQL;
  /** Postgres type the cursor key is cast back to, so comparison matches ORDER BY exactly. */
  cast: string;
  /** What a key must look like before it reaches the cast: a cast that fails would be a 500. */
  keySchema: z.ZodType<string>;
  nullable: boolean;
  defaultOrder: 'asc' | 'desc';
}

// Printed in UTC whatever the session's TimeZone, so the cursor text does not depend on the server.
const instantKey = (expr: SQL) => sql`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const instantSchema = z.iso.datetime({ precision: 6 });
// lower() of a 500-character title can be longer than the title; NUL is the one character text cannot hold.
const textSchema = z.string().max(2000).refine((s) => !s.includes('\u0000'));
// A real outside float4's range fails the cast; ts_rank_cd stays far inside it.
const realSchema = z
  .string()
  .regex(/^-?\d+(\.\d+)?(e[+-]?\d+)?$/)
  .refine((s) => {
    const n = Math.abs(Number(s));
    return n === 0 || (n >= 1e-37 && n <= 1e37);
  });

const instantSort = (name: string, expr: SQL, nullable: boolean, defaultOrder: 'asc' | 'desc'): SortSpec => ({
  name, expr, key: instantKey(expr), cast: 'timestamptz', keySchema: instantSchema, nullable, defaultOrder,
});

export const taskSorts = {
  dueAt: instantSort('dueAt', sql`${tasks.dueAt}`, true, 'asc'),
  priority: { name: 'priority', expr: sql`${tasks.priority}`, key: sql`${tasks.priority}::text`, cast: 'task_priority', keySchema: z.enum(PRIORITIES), nullable: false, defaultOrder: 'desc' },
  createdAt: instantSort('createdAt', sql`${tasks.createdAt}`, false, 'desc'),
  updatedAt: instantSort('updatedAt', sql`${tasks.updatedAt}`, false, 'desc'),
  title: { name: 'title', expr: sql`lower(${tasks.title})`, key: sql`lower(${tasks.title})`, cast: 'text', keySchema: textSchema, nullable: false, defaultOrder: 'asc' },
} satisfies Record<string, SortSpec>;

/** Relevance order of a full-text search, the default when `q` is given without `sort`. */
export function rankSort(rank: SQL): SortSpec {
  const expr = sql`${rank}::real`;
  return { name: 'rank', expr, key: sql`${expr}::text`, cast: 'real', keySchema: realSchema, nullable: false, defaultOrder: 'desc' };
}
