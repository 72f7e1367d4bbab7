import { lt } from 'drizzle-orm';
import { inbox, type Db, type Tx } from '@taskstream/db';

/**
 * Runs a consumer's effect at most once per event: the inbox row and the effect commit together,
 * so a redelivered event finds its row and does nothing.
 */
export async function handleOnce(
  db: Db,
  consumer: string,
  eventId: string,
  effect: (tx: Tx) => Promise<void>,
): Promise<'handled' | 'duplicate'> {
  return db.transaction(async (tx) => {
    const inserted = await tx.insert(inbox).values({ consumer, eventId }).onConflictDoNothing().returning({ eventId: inbox.eventId });
    if (inserted.length === 0) return 'duplicate';
    await effect(tx);
    return 'handled';
  });
}

/** Forgets handled event ids older than `cutoff`: an event that old is never redelivered. */
export async function pruneInbox(db: Db, cutoff: Date): Promise<number> {
  return (await db.delete(inbox).where(lt(inbox.handledAt, cutoff)).returning({ id: inbox.eventId })).length;
}
