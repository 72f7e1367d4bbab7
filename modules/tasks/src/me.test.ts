import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { user } from '@taskstream/db';
import { TaskError } from './errors.js';
import { getMe, updateMe, UpdateMeInput } from './me.js';
import { createTasksFixture, type TasksFixture } from './testing/tasks-fixture.js';

let f: TasksFixture;
beforeAll(async () => {
  f = await createTasksFixture();
});
afterAll(() => f.close());

const update = (userId: string, body: unknown) => updateMe(f.ctx, userId, UpdateMeInput.parse(body));

describe('getMe', () => {
  it('shows the profile with the default notification channels: in-app on, email and push off', async () => {
    const { userId } = await f.newUser('Europe/Berlin');
    const [row] = await f.database.db.select().from(user).where(eq(user.id, userId));
    expect(await getMe(f.database.db, userId)).toEqual({
      id: userId,
      email: `${userId}@example.com`,
      name: 'Ada',
      timeZone: 'Europe/Berlin',
      notifications: { inApp: true, email: false, push: false },
      createdAt: row!.createdAt.toISOString(),
    });
  });

  it('answers user_not_found for an account that does not exist', async () => {
    const e: unknown = await getMe(f.database.db, randomUUID()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TaskError);
    expect(e).toMatchObject({ kind: 'not_found', code: 'user_not_found' });
  });
});

describe('updateMe', () => {
  it('changes the time zone, stored under its canonical IANA name', async () => {
    const { userId } = await f.newUser();
    expect((await update(userId, { timeZone: 'europe/berlin' })).timeZone).toBe('Europe/Berlin');
    expect((await getMe(f.database.db, userId)).timeZone).toBe('Europe/Berlin');
  });

  it('refuses a zone that is not IANA, naming timeZone, and keeps the old one and the name', async () => {
    const { userId } = await f.newUser('Asia/Tokyo');
    const e: unknown = await update(userId, { timeZone: 'Mars/Olympus', name: 'Changed' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TaskError);
    expect(e).toMatchObject({ kind: 'validation', code: 'validation_failed', errors: [{ path: 'timeZone' }] });
    expect(await getMe(f.database.db, userId)).toMatchObject({ timeZone: 'Asia/Tokyo', name: 'Ada' });
  });

  it('changes one notification channel and keeps the others, then another', async () => {
    const { userId } = await f.newUser();
    expect((await update(userId, { notifications: { email: true } })).notifications).toEqual({ inApp: true, email: true, push: false });
    expect((await update(userId, { notifications: { inApp: false } })).notifications).toEqual({ inApp: false, email: true, push: false });
  });

  it('changes the name and leaves everything else alone, and only for the caller', async () => {
    const ada = await f.newUser('Europe/Paris');
    const bob = await f.newUser('Europe/Paris');
    const bobBefore = await getMe(f.database.db, bob.userId);
    expect(await update(ada.userId, { name: '  Ada L.  ' })).toMatchObject({ name: 'Ada L.', timeZone: 'Europe/Paris', notifications: { inApp: true, email: false, push: false } });
    expect(await getMe(f.database.db, bob.userId)).toEqual(bobBefore);
  });

  it('refuses an empty patch, unknown and read-only fields, and wrongly typed values in the schema', () => {
    const paths = (body: unknown) => {
      const r = UpdateMeInput.safeParse(body);
      return r.success ? null : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths({})).toEqual(['']);
    expect(paths({ email: 'x@example.com' })).not.toBeNull();
    expect(paths({ notifications: { email: 'yes' } })).toEqual(['notifications.email']);
    expect(paths({ name: '   ' })).toEqual(['name']);
  });
});
