import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

const PASSWORD = 'correct horse battery';
const PROXY = '10.1.2.3';

const signIn = (t: TestApp, email: string, password: string, from: { remoteAddress?: string; forwardedFor?: string } = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    payload: { email, password },
    ...(from.remoteAddress && { remoteAddress: from.remoteAddress }),
    ...(from.forwardedFor && { headers: { 'x-forwarded-for': from.forwardedFor } }),
  });

function expectStatus(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  if (status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

function expectLocked(res: LightMyRequestResponse, windowSeconds: number) {
  expectStatus(res, 429);
  expect(res.headers['set-auth-token']).toBeUndefined();
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

describe('the per-address sign-in limit behind a proxy', () => {
  let proxied: TestApp;
  let direct: TestApp;
  beforeAll(async () => {
    // Two attempts per address per minute; one app trusts the proxy in front of it, one trusts none.
    [proxied, direct] = await Promise.all([createTestApp({ signInLimit: 2, trustProxy: 'uniquelocal' }), createTestApp({ signInLimit: 2 })]);
  });
  afterAll(() => Promise.all([proxied.close(), direct.close()]));

  it('with TRUST_PROXY, limits two clients behind one proxy address separately, by X-Forwarded-For', async () => {
    const user = await proxied.signUp();
    const busy = { remoteAddress: PROXY, forwardedFor: '198.51.100.1' };
    for (let i = 0; i < 2; i++) expectStatus(await signIn(proxied, user.email, `wrong password ${i}`, busy), 401);
    expectLocked(await signIn(proxied, user.email, PASSWORD, busy), 60);

    expectStatus(await signIn(proxied, user.email, PASSWORD, { remoteAddress: PROXY, forwardedFor: '198.51.100.2' }), 200);
  });

  it('with TRUST_PROXY, still ignores X-Forwarded-For from a client that is not one of the proxies', async () => {
    const user = await proxied.signUp();
    const outsider = '192.0.2.77';
    for (let i = 0; i < 2; i++) expectStatus(await signIn(proxied, user.email, `wrong password ${i}`, { remoteAddress: outsider, forwardedFor: `198.51.100.${30 + i}` }), 401);
    expectLocked(await signIn(proxied, user.email, PASSWORD, { remoteAddress: outsider, forwardedFor: '198.51.100.40' }), 60);
  });

  it('without TRUST_PROXY, ignores X-Forwarded-For: a client cannot pick a fresh address per attempt', async () => {
    const user = await direct.signUp();
    for (let i = 0; i < 2; i++) expectStatus(await signIn(direct, user.email, `wrong password ${i}`, { remoteAddress: PROXY, forwardedFor: `198.51.100.${10 + i}` }), 401);
    expectLocked(await signIn(direct, user.email, PASSWORD, { remoteAddress: PROXY, forwardedFor: '198.51.100.20' }), 60);
  });
});

describe('the per-account sign-in limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ signInAccountLimit: 3 });
  });
  afterAll(() => t.close());
  const address = (i: number) => ({ remoteAddress: `203.0.113.${i}` });

  it('locks an account attacked from many addresses after 3 failures, even for the right password, while another account signs in fine', async () => {
    const [victim, other] = [await t.signUp(), await t.signUp()];
    for (let i = 1; i <= 3; i++) expectStatus(await signIn(t, victim.email, `guess ${i}`, address(i)), 401);

    expectLocked(await signIn(t, victim.email, PASSWORD, address(4)), 900);
    expectLocked(await signIn(t, victim.email.toUpperCase(), PASSWORD, address(5)), 900);
    expectStatus(await signIn(t, other.email, PASSWORD, address(4)), 200);
    expectStatus(await signIn(t, other.email, 'one wrong guess', address(1)), 401);
  });

  it('counts only failures: successful sign-ins neither use up the allowance nor reset it', async () => {
    const user = await t.signUp();
    for (let i = 0; i < 4; i++) expectStatus(await signIn(t, user.email, PASSWORD, address(i)), 200);
    for (let i = 1; i <= 2; i++) expectStatus(await signIn(t, user.email, `guess ${i}`, address(i)), 401);
    expectStatus(await signIn(t, user.email, PASSWORD, address(3)), 200);
    expectStatus(await signIn(t, user.email, 'guess 3', address(3)), 401);
    expectLocked(await signIn(t, user.email, PASSWORD, address(9)), 900);
  });

  it('limits an unknown email exactly like a known one, so the limit reveals no accounts', async () => {
    const email = `nobody-${Date.now()}@example.com`;
    for (let i = 1; i <= 3; i++) expectStatus(await signIn(t, email, `guess ${i}`, address(i)), 401);
    const res = await signIn(t, email, PASSWORD, address(4));
    expectLocked(res, 900);
    expect(res.json<{ code: string }>().code).toBe('too_many_sign_in_attempts');
  });

  it('lets every attempt of a burst check its password only while the account has slots left', async () => {
    const user = await t.signUp();
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => signIn(t, user.email, `parallel guess ${i}`, address(20 + i))));
    expect(burst.map((r) => r.statusCode).sort()).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
  });
});
