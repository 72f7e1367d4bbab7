import { and, desc, eq, isNull, lt, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { decodeKeysetCursor, encodeKeysetCursor, type Db } from '@taskstream/db';
import { NotificationView } from '@taskstream/events';
import { notifications } from './notification-schema.js';
import { notificationView, unreadCount } from './notification-view.js';

export const NotificationQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional().describe('true: only unread ones'),
  includeSnoozed: z.enum(['true', 'false']).optional().describe('true: also the ones snoozed away for now'),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(200).optional(),
});
export type NotificationQuery = z.infer<typeof NotificationQuery>;

export const NotificationPage = z.object({ items: z.array(NotificationView), nextCursor: z.string().nullable(), unreadCount: z.number().int() });
export type NotificationPage = z.infer<typeof NotificationPage>;

const Cursor = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });

/** Newest first, keyset-paged on (createdAt, id). A cursor that does not parse is a 400 upstream. */
export async function listNotifications(db: Db, userId: string, query: NotificationQuery): Promise<NotificationPage | 'invalid_cursor'> {
  const where: (SQL | undefined)[] = [eq(notifications.userId, userId)];
  if (query.unread === 'true') where.push(isNull(notifications.readAt));
  if (query.includeSnoozed !== 'true') where.push(isNull(notifications.snoozedUntil));
  if (query.cursor) {
    const position = decodeKeysetCursor(query.cursor, Cursor);
    if (!position) return 'invalid_cursor';
    const at = new Date(position.createdAt);
    where.push(or(lt(notifications.createdAt, at), and(eq(notifications.createdAt, at), lt(notifications.id, position.id))));
  }
  const rows = await db
    .select()
    .from(notifications)
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeKeysetCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null;
  return { items: page.map(notificationView), nextCursor, unreadCount: await unreadCount(db, userId) };
}

