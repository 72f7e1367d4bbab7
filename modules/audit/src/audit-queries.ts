import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@taskstream/db';
import { auditEntries } from './audit-schema.js';

export const AuditEntryView = z.object({
  id: z.string(),
  eventId: z.string(),
  taskId: z.string(),
  taskTitle: z.string(),
  action: z.enum(['created', 'updated', 'completed', 'reopened', 'deleted']),
  actorId: z.string(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  occurredAt: z.string(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;
export const AuditPage = z.object({ items: z.array(AuditEntryView), nextCursor: z.string().nullable() });

const Limit = z.coerce.number().int().min(1).max(200).default(50);
const Cursor = z.string().regex(/^\d{1,18}$/, 'is not a cursor returned by this list');

/** A task's history is read a page at a time: a task edited for years has thousands of entries. */
export const HistoryQuery = z.strictObject({ limit: Limit, cursor: Cursor.optional() });
export type HistoryQuery = z.infer<typeof HistoryQuery>;

export const ActivityQuery = z.strictObject({
  action: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['created', 'updated', 'completed', 'reopened', 'deleted'])))
    .optional(),
  taskId: z.uuid().optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type ActivityQuery = z.infer<typeof ActivityQuery>;

type Row = typeof auditEntries.$inferSelect;
const view = (r: Row): AuditEntryView => ({
  id: String(r.id),
  eventId: r.eventId,
  taskId: r.taskId,
  taskTitle: r.taskTitle,
  action: r.action as AuditEntryView['action'],
  actorId: r.actorId,
  changes: r.changes as AuditEntryView['changes'],
  occurredAt: r.occurredAt.toISOString(),
});

/**
 * One task's history, oldest first, a page at a time; entries outlive the task. Null when the
 * user has no history of that task (a page past the end of one they have is empty, not null).
 */
export async function taskHistory(db: Db, userId: string, taskId: string, q: HistoryQuery): Promise<{ items: AuditEntryView[]; nextCursor: string | null } | null> {
  const ofTask = and(eq(auditEntries.userId, userId), eq(auditEntries.taskId, taskId));
  const after = q.cursor ? sql`${auditEntries.id} > ${Number(q.cursor)}` : undefined;
  const rows = await db.select().from(auditEntries).where(and(ofTask, after)).orderBy(auditEntries.id).limit(q.limit + 1);
  if (rows.length === 0 && (!q.cursor || (await db.select({ id: auditEntries.id }).from(auditEntries).where(ofTask).limit(1)).length === 0)) return null;
  const page = rows.slice(0, q.limit);
  return { items: page.map(view), nextCursor: rows.length > q.limit ? String(page.at(-1)!.id) : null };
}

/** The user's activity feed, newest first, filtered and paged by entry id. */
export async function activityFeed(db: Db, userId: string, q: ActivityQuery): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
  const where: (SQL | undefined)[] = [eq(auditEntries.userId, userId)];
  if (q.action?.length) where.push(inArray(auditEntries.action, q.action));
  if (q.taskId) where.push(eq(auditEntries.taskId, q.taskId));
  if (q.since) where.push(gte(auditEntries.occurredAt, new Date(q.since)));
  if (q.until) where.push(lt(auditEntries.occurredAt, new Date(q.until)));
  if (q.cursor) where.push(sql`${auditEntries.id} < ${Number(q.cursor)}`);
  const rows = await db.select().from(auditEntries).where(and(...where)).orderBy(desc(auditEntries.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { items: page.map(view), nextCursor: rows.length > q.limit ? String(page.at(-1)!.id) : null };
}
