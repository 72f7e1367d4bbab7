import { bigserial, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from '@taskstream/db';

/**
 * Append-only task history. No foreign key to tasks: a deleted task keeps its history.
 * The event id is unique, which makes recording an event idempotent (it is the inbox).
 */
export const auditEntries = pgTable(
  'audit_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull().unique(),
    userId: text('user_id').notNull(),
    /** Who made the change; today always the owner, kept separate for shared lists later. */
    actorId: text('actor_id').notNull(),
    taskId: uuid('task_id').notNull(),
    taskTitle: text('task_title').notNull(),
    action: text('action').notNull(),
    /** Changed fields: { field: { from, to } }. */
    changes: jsonb('changes').notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    recordedAt: timestamptz('recorded_at').notNull().defaultNow(),
  },
  (t) => [index('audit_user_idx').on(t.userId, t.id), index('audit_task_idx').on(t.taskId, t.id)],
);
