import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

interface MeBody {
  id: string;
  email: string;
  name: string;
  timeZone: string;
  notifications: { inApp: boolean; email: boolean; push: boolean };
  createdAt: string;
}
interface ProblemBody {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const getMe = (user: TestUser) => t.app.inject({ method: 'GET', url: '/api/me', headers: user.headers });
const patchMe = (user: TestUser, payload: unknown) => t.app.inject({ method: 'PATCH', url: '/api/me', headers: user.headers, payload: payload as object });

function ok(res: LightMyRequestResponse): MeBody {
  expect(res.statusCode, res.body).toBe(200);
  return res.json<MeBody>();
}
function problemOf(res: LightMyRequestResponse, status: number): ProblemBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json<ProblemBody>();
}
const paths = (p: ProblemBody) => (p.errors ?? []).map((e) => e.path);

describe('GET /api/me', () => {
  it('shows the profile with the sign-up time zone and default notification channels', async () => {
    const user = await t.signUp({ timeZone: 'Asia/Tokyo' });
    const me = ok(await getMe(user));
    const { createdAt, ...rest } = me;
    expect(createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(rest).toEqual({
      id: user.id,
      email: user.email,
      name: user.email.split('@')[0],
      timeZone: 'Asia/Tokyo',
      notifications: { inApp: true, email: false, push: false },
    });
  });

  it('defaults the time zone to UTC when sign-up gave none', async () => {
    const user = await t.signUp();
    expect(ok(await getMe(user)).timeZone).toBe('UTC');
  });

  it('requires authentication', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/me' });
    expect(problemOf(res, 401).code).toBe('unauthenticated');
    const patch = await t.app.inject({ method: 'PATCH', url: '/api/me', payload: { timeZone: 'UTC' } });
    expect(problemOf(patch, 401).code).toBe('unauthenticated');
  });
});

describe('PATCH /api/me', () => {
  it('changes the time zone, which then becomes the default zone of new tasks', async () => {
    const user = await t.signUp({ timeZone: 'Europe/Berlin' });
    const before = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: user.headers, payload: { title: 'before' } });
    expect(before.json<{ timeZone: string }>().timeZone).toBe('Europe/Berlin');

    const updated = ok(await patchMe(user, { timeZone: 'America/New_York' }));
    expect(updated.timeZone).toBe('America/New_York');
    expect(ok(await getMe(user)).timeZone).toBe('America/New_York');

    const res = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: user.headers, payload: { title: 'x', dueAt: '2026-07-01T09:00' } });
    expect(res.statusCode, res.body).toBe(201);
    // 09:00 in New York in summer (EDT, UTC-4) is 13:00 UTC.
    expect(res.json<{ timeZone: string; dueAt: string }>()).toMatchObject({ timeZone: 'America/New_York', dueAt: '2026-07-01T13:00:00.000Z' });
    const plain = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: user.headers, payload: { title: 'x' } });
    expect(plain.json<{ timeZone: string }>().timeZone).toBe('America/New_York');
  });

  it('rejects a zone that is not IANA with 422 naming timeZone, and keeps the old one', async () => {
    const user = await t.signUp({ timeZone: 'Europe/Paris' });
    for (const zone of ['Mars/Olympus', 'Europe/Paris ', 'GMT+25']) {
      const p = problemOf(await patchMe(user, { timeZone: zone }), 422);
      expect(p.code).toBe('validation_failed');
      expect(paths(p)).toEqual(['timeZone']);
    }
    expect(ok(await getMe(user)).timeZone).toBe('Europe/Paris');
  });

  it('stores a zone under its canonical IANA name, or refuses it', async () => {
    const user = await t.signUp();
    const res = await patchMe(user, { timeZone: 'europe/berlin' });
    if (res.statusCode === 200) {
      expect(res.json<MeBody>().timeZone).toBe('Europe/Berlin');
      const task = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: user.headers, payload: { title: 'x' } });
      expect(task.json<{ timeZone: string }>().timeZone).toBe('Europe/Berlin');
    } else {
      expect(paths(problemOf(res, 422))).toEqual(['timeZone']);
      expect(ok(await getMe(user)).timeZone).toBe('UTC');
    }
  });

  it('changes one notification channel and keeps the others', async () => {
    const user = await t.signUp();
    expect(ok(await patchMe(user, { notifications: { push: true } })).notifications).toEqual({ inApp: true, email: false, push: true });
    expect(ok(await patchMe(user, { notifications: { email: true } })).notifications).toEqual({ inApp: true, email: true, push: true });
    expect(ok(await patchMe(user, { notifications: { inApp: false } })).notifications).toEqual({ inApp: false, email: true, push: true });
    const me = ok(await getMe(user));
    expect(me.notifications).toEqual({ inApp: false, email: true, push: true });
    expect(me.timeZone).toBe('UTC');
  });

  it('changes the name and leaves everything else alone', async () => {
    const user = await t.signUp({ timeZone: 'Asia/Kolkata' });
    const before = ok(await getMe(user));
    const after = ok(await patchMe(user, { name: '  Ada Lovelace ' }));
    expect(after).toEqual({ ...before, name: 'Ada Lovelace' });
  });

  it('only changes the caller', async () => {
    const ada = await t.signUp({ timeZone: 'UTC' });
    const bob = await t.signUp({ timeZone: 'UTC' });
    ok(await patchMe(ada, { timeZone: 'Australia/Sydney', notifications: { email: true } }));
    const theirs = ok(await getMe(bob));
    expect(theirs.timeZone).toBe('UTC');
    expect(theirs.notifications.email).toBe(false);
  });

  it('rejects an empty patch with 400', async () => {
    const user = await t.signUp();
    const p = problemOf(await patchMe(user, {}), 400);
    expect(p.code).toBe('validation_failed');
    expect(p.errors?.length).toBeGreaterThan(0);
  });

  it('rejects unknown and read-only fields with 400', async () => {
    const user = await t.signUp();
    for (const body of [{ email: 'new@example.com' }, { id: 'x' }, { timeZone: 'UTC', colour: 'red' }, { notifications: { sms: true } }]) {
      const p = problemOf(await patchMe(user, body), 400);
      expect(p.code, JSON.stringify(body)).toBe('validation_failed');
      expect(paths(p).every((path) => path.startsWith('body')), JSON.stringify(p.errors)).toBe(true);
    }
    const me = ok(await getMe(user));
    expect(me.email).toBe(user.email);
    expect(me.timeZone).toBe('UTC');
  });

  it('rejects wrongly typed values with the field named', async () => {
    const user = await t.signUp();
    const p = problemOf(await patchMe(user, { notifications: { email: 'yes' } }), 400);
    expect(paths(p)).toContain('body.notifications.email');
    const name = problemOf(await patchMe(user, { name: '   ' }), 400);
    expect(paths(name)).toContain('body.name');
  });
});
