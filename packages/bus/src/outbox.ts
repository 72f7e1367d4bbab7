import { sql } from 'drizzle-orm';
import { outbox, type DbOrTx } from '@taskstream/db';
import type { CloudEvent } from '@taskstream/events';

export const OUTBOX_CHANNEL = 'taskstream_outbox';

/**
 * Rows per INSERT: five parameters each, well under the 65,535 bind parameters one statement may
 * carry, so a bulk change (read-all of 14,000 notifications) is a few statements, not a failure.
 */
export const OUTBOX_INSERT_BATCH = 1000;

/**
 * Records events in the caller's transaction; they exist exactly when the change commits.
 * The NOTIFY is delivered on commit and wakes the relay.
 */
export async function appendToOutbox(tx: DbOrTx, entries: { topic: string; event: CloudEvent }[]): Promise<void> {
  for (let start = 0; start < entries.length; start += OUTBOX_INSERT_BATCH) {
    const insert = tx.insert(outbox).values(
      entries.slice(start, start + OUTBOX_INSERT_BATCH).map(({ topic, event }) => ({
        eventId: event.id,
        topic,
        partitionKey: event.partitionkey,
        type: event.type,
        event,
      })),
    );
    // The last INSERT carries the NOTIFY in the same statement: one round trip less per change.
    if (start + OUTBOX_INSERT_BATCH < entries.length) await insert;
    else await tx.execute(sql`with appended as (${insert.getSQL()}) select pg_notify(${OUTBOX_CHANNEL}, '')`);
  }
}
