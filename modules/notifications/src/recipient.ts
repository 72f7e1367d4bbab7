import { eq } from 'drizzle-orm';
import { user, userPreferences, type DbOrTx } from '@taskstream/db';

export interface Recipient {
  email: string;
  /** Only a verified address gets email: anyone can sign up with an address that is not theirs. */
  emailVerified: boolean;
  name: string;
  timeZone: string;
  wantsInApp: boolean;
  wantsEmail: boolean;
  wantsPush: boolean;
}

/** Who a reminder is for and which channels they chose (defaults: in-app on, email and push off). */
export async function loadRecipient(db: DbOrTx, userId: string): Promise<Recipient | null> {
  const [row] = await db
    .select({ u: user, p: userPreferences })
    .from(user)
    .leftJoin(userPreferences, eq(userPreferences.userId, user.id))
    .where(eq(user.id, userId));
  if (!row) return null;
  return {
    email: row.u.email,
    emailVerified: row.u.emailVerified,
    name: row.u.name,
    timeZone: row.u.timeZone,
    wantsInApp: row.p?.notifyInApp ?? true,
    wantsEmail: row.p?.notifyEmail ?? false,
    wantsPush: row.p?.notifyPush ?? false,
  };
}
