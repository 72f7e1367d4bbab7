import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.js';

/**
 * Events recorded in the same transaction as the change that caused them; a relay publishes
 * them after commit. The serial id is the publication order.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull().unique(),
    topic: text('topic').notNull(),
    partitionKey: text('partition_key').notNull(),
    type: text('type').notNull(),
    /** The whole CloudEvents envelope, as it will be published. */
    event: jsonb('event').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    publishedAt: timestamptz('published_at'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at'),
    lastError: text('last_error'),
    /** Which relay instance holds the row, and until when: a lease, so a crashed relay's rows return. */
    claimedBy: text('claimed_by'),
    claimedUntil: timestamptz('claimed_until'),
  },
  (t) => [
    index('outbox_unpublished_idx').on(t.id).where(sql`${t.publishedAt} is null`),
    index('outbox_unpublished_key_idx').on(t.partitionKey, t.id).where(sql`${t.publishedAt} is null`),
    index('outbox_published_at_idx').on(t.publishedAt),
  ],
);

/** Event ids each consumer has handled, written in the same transaction as the handler's effect. */
export const inbox = pgTable(
  'inbox',
  {
    consumer: text('consumer').notNull(),
    eventId: text('event_id').notNull(),
    handledAt: timestamptz('handled_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] }), index('inbox_handled_at_idx').on(t.handledAt)],
);

/** Events a consumer gave up on (in-process bus): kept whole, with the last error, for replay. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    consumer: text('consumer').notNull(),
    topic: text('topic').notNull(),
    eventId: text('event_id').notNull(),
    event: jsonb('event').notNull(),
    error: text('error').notNull(),
    attempts: integer('attempts').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('dead_letters_consumer_idx').on(t.consumer, t.createdAt)],
);
