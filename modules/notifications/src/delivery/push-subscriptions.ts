import { and, desc, eq, notInArray } from 'drizzle-orm';
import { DomainError } from '@taskstream/errors';
import { newId, user, type Db } from '@taskstream/db';
import { pushSubscriptions } from '../notification-schema.js';
import { checkPushHost, PushHostRefused, type PushHostPolicy } from './push-host-guard.js';
import type { PushSubscriptionInput } from './push-subscription-input.js';

export interface PushSubscriptionRules {
  /** A user's browsers beyond this many replace the oldest (PUSH_MAX_SUBSCRIPTIONS_PER_USER). */
  maxPerUser: number;
  hosts?: PushHostPolicy;
}

/**
 * Saves a browser's subscription for this user: a refused host answers 422 and stores nothing;
 * the same endpoint posted again renews its keys; past the cap the oldest make room. Another
 * user's row with the same endpoint is left alone (a shared browser keeps both).
 */
export async function savePushSubscription(db: Db, userId: string, input: PushSubscriptionInput, rules: PushSubscriptionRules): Promise<void> {
  await assertPublicEndpoint(input.endpoint, rules.hosts);
  const keys = { p256dh: input.keys.p256dh, auth: input.keys.auth };
  await db.transaction(async (tx) => {
    // One subscribe at a time per user, so browsers subscribing at once cannot overshoot the cap.
    await tx.select({ id: user.id }).from(user).where(eq(user.id, userId)).for('update');
    await tx
      .insert(pushSubscriptions)
      .values({ id: newId(), userId, endpoint: input.endpoint, ...keys })
      .onConflictDoUpdate({ target: [pushSubscriptions.userId, pushSubscriptions.endpoint], set: keys });
    const newest = tx
      .select({ id: pushSubscriptions.id })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, userId))
      .orderBy(desc(pushSubscriptions.createdAt), desc(pushSubscriptions.id))
      .limit(rules.maxPerUser);
    await tx.delete(pushSubscriptions).where(and(eq(pushSubscriptions.userId, userId), notInArray(pushSubscriptions.id, newest)));
  });
}

export async function deletePushSubscription(db: Db, userId: string, endpoint: string): Promise<boolean> {
  const rows = await db.delete(pushSubscriptions).where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint))).returning();
  return rows.length > 0;
}

/** The endpoint's host, resolved, is public; otherwise a DomainError that says why. */
async function assertPublicEndpoint(endpoint: string, policy: PushHostPolicy | undefined): Promise<void> {
  try {
    await checkPushHost(endpoint, policy);
  } catch (err) {
    if (err instanceof PushHostRefused) throw new DomainError('validation', 'push_endpoint_refused', err.message, [{ path: 'endpoint', message: err.message }]);
    const code = (err as { code?: unknown }).code;
    const why = typeof code === 'string' ? code : 'an error';
    if (code === 'ENOTFOUND' || code === 'ENODATA') {
      const message = `the host of ${endpoint} does not resolve; a push endpoint must be reachable`;
      throw new DomainError('validation', 'push_endpoint_unresolvable', message, [{ path: 'endpoint', message }]);
    }
    throw new DomainError('upstream', 'dns_unavailable', `Could not resolve the push endpoint's host just now (${why}); try again.`);
  }
}
