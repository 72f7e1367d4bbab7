import webpush from 'web-push';
import type { Db } from '@taskstream/db';
import { vapidKeys } from '../notification-schema.js';

/**
 * The VAPID key pair: from config when given, else made on first start and kept in the database,
 * so every replica and every restart signs with the same key (browsers bind subscriptions to it).
 */
export async function resolveVapidKeys(db: Db, configured: { publicKey?: string | undefined; privateKey?: string | undefined }): Promise<{ publicKey: string; privateKey: string }> {
  if (configured.publicKey && configured.privateKey) return { publicKey: configured.publicKey, privateKey: configured.privateKey };
  const stored = async () => (await db.select().from(vapidKeys))[0];
  let row = await stored();
  if (!row) {
    // First start: another process may store its pair at the same moment; the first one stays.
    await db.insert(vapidKeys).values({ id: 1, ...webpush.generateVAPIDKeys() }).onConflictDoNothing();
    row = await stored();
  }
  if (!row) throw new Error('VAPID keys missing right after they were stored');
  return { publicKey: row.publicKey, privateKey: row.privateKey };
}
