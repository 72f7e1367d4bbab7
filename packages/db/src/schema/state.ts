import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgSequence, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.js';

/**
 * Every write takes a fresh number from one sequence, so a key that is deleted and created again
 * never reuses an etag a client still holds.
 */
export const stateVersionSeq = pgSequence('state_entries_version_seq');

/**
 * Key-value state shared by the replicas of a service (packages/state TableStateStore): the
 * embedded stand-in for the Dapr state store. `version` is the etag; an expired row counts as absent.
 */
export const stateEntries = pgTable(
  'state_entries',
  {
    key: text('key').primaryKey(),
    value: jsonb('value').notNull(),
    version: bigint('version', { mode: 'number' }).notNull().default(sql`nextval('state_entries_version_seq')`),
    expiresAt: timestamptz('expires_at'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('state_entries_expires_at_idx').on(t.expiresAt).where(sql`${t.expiresAt} is not null`)],
);
