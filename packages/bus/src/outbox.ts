import { sql } from 'drizzle-orm';
import { outbox, type DbOrTx } from '@taskstream/db';
import type { CloudEvent } from '@taskstream/events';

export const OUTBOX_CHANNEL = 'taskstream_outbox';

/**
 * Records events in the caller's transaction; they exist exactly when the change commits.
 * The NOTIFY is delivered on commit and wakes the relay.
 */
export async function appendToOutbox(tx: DbOrTx, entries: { topic: string; event: CloudEvent }[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(outbox).values(
    entries.map(({ topic, event }) => ({
      eventId: event.id,
      topic,
      partitionKey: event.partitionkey,
      type: event.type,
      event,
    })),
  );
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}
