import { randomUUID } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { z } from 'zod';
import { rateLimit, type Db } from '@taskstream/db';

export interface SignInAccountLimitOptions {
  db: Db;
  /** Failed sign-ins one email may take per window. */
  max: number;
  windowSeconds: number;
}

// Better Auth's own limit is per address and path; this one is per account, whatever address the
// attempts come from, so a botnet cannot try passwords on one account faster than `max` a window.
const KEY_PREFIX = 'sign-in-account:';
const SignInBody = z.object({ email: z.string().min(1).max(320) });
const isEmailSignIn = (ctx: { path?: string }) => ctx.path === '/sign-in/email';

/**
 * Limits failed sign-ins per email in Better Auth's rate_limit table, so every replica agrees.
 * Each attempt takes a slot before the password is checked (parallel guesses cannot all pass a
 * stale count) and gives it back unless the answer was 401: successes and refused requests use
 * up nothing, and a success resets nothing, so the attempts an attacker has left do not depend on
 * the owner signing in. Unknown emails are counted alike, so the limit reveals no accounts.
 */
export function signInAccountLimit({ db, max, windowSeconds }: SignInAccountLimitOptions): BetterAuthPlugin {
  const keyOf = (body: unknown) => {
    const parsed = SignInBody.safeParse(body);
    return parsed.success ? KEY_PREFIX + parsed.data.email.trim().toLowerCase() : undefined;
  };
  return {
    id: 'sign-in-account-limit',
    hooks: {
      before: [
        {
          matcher: isEmailSignIn,
          handler: createAuthMiddleware(async (ctx) => {
            const key = keyOf(ctx.body);
            if (!key) return;
            const retryAfter = await takeSlot(db, key, max, windowSeconds * 1000);
            if (retryAfter === undefined) return;
            throw new APIError(
              'TOO_MANY_REQUESTS',
              { message: 'Too many failed sign-ins for this account; try again later.', code: 'TOO_MANY_SIGN_IN_ATTEMPTS' },
              { 'X-Retry-After': String(retryAfter) },
            );
          }),
        },
      ],
      after: [
        {
          matcher: isEmailSignIn,
          handler: createAuthMiddleware(async (ctx) => {
            const key = keyOf(ctx.body);
            const returned = ctx.context.returned;
            if (key && !(isAPIError(returned) && returned.statusCode === 401)) await giveSlotBack(db, key);
          }),
        },
      ],
    },
  };
}

/**
 * One slot of the account's window, or the seconds until the window ends when it is full.
 * last_request holds when the window ends, not when it started: Better Auth prunes rows whose
 * last_request is older than its own longest window, and ours must outlive a longer one.
 */
async function takeSlot(db: Db, key: string, max: number, windowMs: number): Promise<number | undefined> {
  const now = Date.now();
  const ended = sql`${rateLimit.lastRequest} <= ${now}`;
  const taken = await db
    .insert(rateLimit)
    .values({ id: randomUUID(), key, count: 1, lastRequest: now + windowMs })
    .onConflictDoUpdate({
      target: rateLimit.key,
      set: {
        count: sql`case when ${ended} then 1 else ${rateLimit.count} + 1 end`,
        lastRequest: sql`case when ${ended} then ${now + windowMs} else ${rateLimit.lastRequest} end`,
      },
      setWhere: sql`${ended} or ${rateLimit.count} < ${max}`,
    })
    .returning({ count: rateLimit.count });
  if (taken.length > 0) return undefined;
  const [row] = await db.select({ endsAt: rateLimit.lastRequest }).from(rateLimit).where(eq(rateLimit.key, key));
  return Math.max(1, Math.ceil(((row?.endsAt ?? now) - now) / 1000));
}

/** Returns the slot of an attempt that was not a wrong password, if its window is still open. */
async function giveSlotBack(db: Db, key: string): Promise<void> {
  await db
    .update(rateLimit)
    .set({ count: sql`${rateLimit.count} - 1` })
    .where(and(eq(rateLimit.key, key), gt(rateLimit.count, 0), gt(rateLimit.lastRequest, Date.now())));
}
