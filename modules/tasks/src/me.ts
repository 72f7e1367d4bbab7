import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { user, userPreferences, type DbOrTx } from '@taskstream/db';
import { zoneOrUtc } from '@taskstream/time';
import type { TasksContext } from './context.js';
import { TaskError } from './errors.js';
import { resolveZone } from './task-rules.js';

export const MeView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  timeZone: z.string(),
  notifications: z.object({ inApp: z.boolean(), email: z.boolean(), push: z.boolean() }),
  createdAt: z.string(),
});
export type MeView = z.infer<typeof MeView>;

export const UpdateMeInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    timeZone: z.string().min(1).max(64).optional(),
    notifications: z
      .strictObject({ inApp: z.boolean().optional(), email: z.boolean().optional(), push: z.boolean().optional() })
      .optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one field to change' });
export type UpdateMeInput = z.infer<typeof UpdateMeInput>;

export async function getMe(db: DbOrTx, userId: string): Promise<MeView> {
  const [row] = await db
    .select({ u: user, p: userPreferences })
    .from(user)
    .leftJoin(userPreferences, eq(userPreferences.userId, user.id))
    .where(eq(user.id, userId));
  if (!row) throw new TaskError('not_found', 'user_not_found', 'This account no longer exists.');
  return {
    id: row.u.id,
    email: row.u.email,
    name: row.u.name,
    // The zone tasks default to and reminders render in: a stored one that is not IANA reads as UTC.
    timeZone: zoneOrUtc(row.u.timeZone),
    notifications: { inApp: row.p?.notifyInApp ?? true, email: row.p?.notifyEmail ?? false, push: row.p?.notifyPush ?? false },
    createdAt: row.u.createdAt.toISOString(),
  };
}

export async function updateMe(ctx: TasksContext, userId: string, patch: UpdateMeInput): Promise<MeView> {
  const now = ctx.now();
  const zone = patch.timeZone === undefined ? undefined : resolveZone(patch.timeZone);
  return ctx.db.transaction(async (tx) => {
    if (zone !== undefined || patch.name !== undefined) {
      await tx
        .update(user)
        .set({ ...(zone !== undefined && { timeZone: zone }), ...(patch.name !== undefined && { name: patch.name }), updatedAt: now })
        .where(eq(user.id, userId));
    }
    const n = patch.notifications;
    if (n) {
      const set = {
        ...(n.inApp !== undefined && { notifyInApp: n.inApp }),
        ...(n.email !== undefined && { notifyEmail: n.email }),
        ...(n.push !== undefined && { notifyPush: n.push }),
        updatedAt: now,
      };
      await tx.insert(userPreferences).values({ userId, ...set }).onConflictDoUpdate({ target: userPreferences.userId, set });
    }
    return getMe(tx, userId);
  });
}
