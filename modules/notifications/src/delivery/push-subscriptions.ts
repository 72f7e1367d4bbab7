import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { newId, type Db } from '@taskstream/db';
import { pushSubscriptions } from '../notification-schema.js';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, 'base64url');

export const PushSubscriptionInput = z.strictObject({
  endpoint: z.url({ protocol: /^https$/, error: 'must be the https:// URL of a push service' }).max(2000).describe("the push service URL from the browser's PushSubscription"),
  keys: z.strictObject({ p256dh: base64url.max(200), auth: base64url.max(100) }),
  expirationTime: z.number().nullable().optional(),
});
export type PushSubscriptionInput = z.infer<typeof PushSubscriptionInput>;

/** Saves a browser's subscription; an endpoint seen before moves to whoever subscribes it now. */
export async function savePushSubscription(db: Db, userId: string, input: PushSubscriptionInput): Promise<void> {
  const values = { userId, endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth };
  await db
    .insert(pushSubscriptions)
    .values({ id: newId(), ...values })
    .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: values });
}

export async function deletePushSubscription(db: Db, userId: string, endpoint: string): Promise<boolean> {
  const rows = await db.delete(pushSubscriptions).where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint))).returning();
  return rows.length > 0;
}
