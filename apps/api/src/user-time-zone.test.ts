import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@taskstream/testing';
import { user } from '@taskstream/db';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';

/**
 * A user's time zone is the default of their tasks and the zone their reminders are shown in, so
 * no write path may store one that is not IANA, and a row that already holds one (written before
 * every path checked) must not break that user's requests or block their reminders.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ events: true });
});
afterAll(() => t.close());

const inject = async (u: TestUser, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
  const res = await t.app.inject({ method, url, headers: u.headers, ...(payload && { payload }) });
  return { status: res.statusCode, type: String(res.headers['content-type']), body: res.body ? res.json<any>() : null };
};
const storedZone = async (u: TestUser) => (await t.database.db.select({ timeZone: user.timeZone }).from(user).where(eq(user.id, u.id)))[0]?.timeZone;
/** What a row written before zones were checked on every path looks like. */
const storeZoneDirectly = (u: TestUser, zone: string) => t.database.db.update(user).set({ timeZone: zone }).where(eq(user.id, u.id));


describe('POST /api/auth/update-user', () => {
  it('refuses a time zone that is not IANA with 400 problem+json and changes nothing', async () => {
    const ada = await t.signUp({ timeZone: 'Europe/Berlin' });
    const res = await inject(ada, 'POST', '/api/auth/update-user', { name: 'Renamed', timeZone: 'Nope/Nope' });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'invalid_time_zone' });
    expect(res.body.detail).toContain('Nope/Nope');

    expect(await storedZone(ada)).toBe('Europe/Berlin');
    const me = await inject(ada, 'GET', '/api/me');
    expect(me.body).toMatchObject({ timeZone: 'Europe/Berlin', name: ada.email.split('@')[0] });
    for (const zone of [null, 42, '']) {
      expect((await inject(ada, 'POST', '/api/auth/update-user', { timeZone: zone })).status).toBe(400);
    }
    expect(await storedZone(ada)).toBe('Europe/Berlin');
  });

  it('stores a valid zone under its canonical name, as sign-up and PATCH /api/me do', async () => {
    const ada = await t.signUp({ timeZone: 'Europe/Berlin' });
    expect((await inject(ada, 'POST', '/api/auth/update-user', { timeZone: 'asia/tokyo' })).status).toBe(200);
    expect(await storedZone(ada)).toBe('Asia/Tokyo');
    expect((await inject(ada, 'POST', '/api/auth/update-user', { name: 'Ada L.' })).status).toBe(200);
    expect((await inject(ada, 'GET', '/api/me')).body).toMatchObject({ name: 'Ada L.', timeZone: 'Asia/Tokyo' });
  });
});

describe('a user whose stored time zone is not IANA', () => {
  it('still gets their reminder, its due time shown in UTC (not retried until dead-lettered)', async () => {
    const ada = await t.signUp({ timeZone: 'Europe/Berlin' });
    const remindAt = new Date(Date.now() + 1500).toISOString();
    const created = await inject(ada, 'POST', '/api/tasks', { title: 'Water the plants', dueAt: '2026-12-01T09:30', reminders: [{ remindAt }] });
    expect(created.status).toBe(201);
    await storeZoneDirectly(ada, 'Nope/Nope');

    const notification = await eventually(async () => (await inject(ada, 'GET', '/api/notifications')).body.items[0], 'the in-app notification');
    // 09:30 in Berlin is 08:30 UTC.
    expect(notification).toMatchObject({ kind: 'reminder', taskId: created.body.id, title: 'Water the plants', body: 'Due Tue 1 Dec, 08:30 (UTC)' });
  });

  it('sees UTC as their zone, creates tasks that default to UTC, and can set a real zone again', async () => {
    const ada = await t.signUp({ timeZone: 'Europe/Berlin' });
    await storeZoneDirectly(ada, 'Nope/Nope');

    expect((await inject(ada, 'GET', '/api/me')).body.timeZone).toBe('UTC');
    const created = await inject(ada, 'POST', '/api/tasks', { title: 'Pay rent', dueAt: '2026-12-01T09:30' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ timeZone: 'UTC', dueAt: '2026-12-01T09:30:00.000Z' });

    expect((await inject(ada, 'PATCH', '/api/me', { timeZone: 'Europe/Berlin' })).body.timeZone).toBe('Europe/Berlin');
    expect(await storedZone(ada)).toBe('Europe/Berlin');
  });
});
