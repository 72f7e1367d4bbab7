import { createLocalJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

const PASSWORD = 'correct horse battery';
const ISSUER = 'http://localhost:8080';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { path: string; message: string }[];
}
interface MeBody {
  id: string;
  email: string;
  timeZone: string;
}

let t: TestApp;
let seq = 0;
const freshEmail = () => `auth${++seq}-${Date.now()}@example.com`;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const signUpRaw = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', payload });
const signIn = (app: TestApp, email: string, password: string, remoteAddress?: string) =>
  app.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email, password }, ...(remoteAddress && { remoteAddress }) });
const getMe = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/me', headers });

function expectProblem(res: LightMyRequestResponse, status: number): ProblemBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json<ProblemBody>();
  expect(body.status).toBe(status);
  expect(body.code).toMatch(/^[a-z0-9_]+$/);
  expect(body.detail).toEqual(expect.any(String));
  return body;
}

/** `name=value` pairs from set-cookie, as a browser would send them back. */
function cookieHeader(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const all = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return all.map((c) => c.split(';')[0]).join('; ');
}

describe('sign up', () => {
  it('creates the user and returns a bearer token in set-auth-token', async () => {
    const email = freshEmail();
    const res = await signUpRaw({ email, password: PASSWORD, name: 'Ada', timeZone: 'Europe/Berlin' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ token: string; user: { id: string; email: string; name: string; timeZone: string } }>();
    expect(body.user).toMatchObject({ email, name: 'Ada', timeZone: 'Europe/Berlin' });
    expect(body.user.id).toMatch(/^[0-9a-f-]{36}$/);
    const token = bearerToken(res);
    expect(token.length).toBeGreaterThan(10);

    const me = await getMe({ authorization: `Bearer ${token}` });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json<MeBody>()).toMatchObject({ id: body.user.id, email, timeZone: 'Europe/Berlin' });
  });

  it('rejects a time zone that is not IANA with 400 and creates no user', async () => {
    const email = freshEmail();
    const res = await signUpRaw({ email, password: PASSWORD, name: 'Mars', timeZone: 'Mars/Olympus' });
    const problem = expectProblem(res, 400);
    expect(problem.code).toBe('invalid_time_zone');
    expect(problem.detail).toContain('Mars/Olympus');
    expect(res.headers['set-auth-token']).toBeUndefined();

    const login = await signIn(t, email, PASSWORD);
    expectProblem(login, 401);
    expect(login.headers['set-auth-token']).toBeUndefined();
  });

  it('refuses a second account with the same email', async () => {
    const first = await t.signUp();
    for (const email of [first.email, first.email.toUpperCase()]) {
      const res = await signUpRaw({ email, password: 'another password 1', name: 'Copy' });
      const problem = expectProblem(res, 422);
      expect(problem.code).toContain('already_exists');
      expect(res.headers['set-auth-token']).toBeUndefined();
    }
    // The original password still works; the duplicate's does not.
    expect((await signIn(t, first.email, PASSWORD)).statusCode).toBe(200);
    expectProblem(await signIn(t, first.email, 'another password 1'), 401);
  });
});

describe('sign in', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await t.signUp({ timeZone: 'Asia/Tokyo' });
  });

  it('gives a bearer token that authenticates /api/me', async () => {
    const res = await signIn(t, user.email, PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ user: { id: string } }>().user.id).toBe(user.id);
    const token = bearerToken(res);
    expect(token).not.toBe(user.token);
    const me = await getMe({ authorization: `Bearer ${token}` });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json<MeBody>()).toMatchObject({ id: user.id, email: user.email, timeZone: 'Asia/Tokyo' });
  });

  it('sets a session cookie that authenticates on its own', async () => {
    const res = await signIn(t, user.email, PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    const cookie = cookieHeader(res);
    expect(cookie).toContain('session_token=');
    const me = await getMe({ cookie });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json<MeBody>().id).toBe(user.id);
    const tasks = await t.app.inject({ method: 'GET', url: '/api/tasks', headers: { cookie } });
    expect(tasks.statusCode, tasks.body).toBe(200);
  });

  it('answers a wrong password with 401 problem+json and no token', async () => {
    const res = await signIn(t, user.email, 'wrong password here');
    const problem = expectProblem(res, 401);
    expect(problem.code).toBe('invalid_email_or_password');
    expect(res.headers['set-auth-token']).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const unknown = expectProblem(await signIn(t, freshEmail(), PASSWORD), 401);
    const wrong = expectProblem(await signIn(t, user.email, 'wrong password here'), 401);
    expect(unknown.code).toBe(wrong.code);
    expect(unknown.detail).toBe(wrong.detail);
  });
});

describe('authentication on the API', () => {
  it('answers requests without credentials with 401 unauthenticated', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-real-token' }, { cookie: 'better-auth.session_token=forged.value' }]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/tasks', headers });
      expect(expectProblem(res, 401).code).toBe('unauthenticated');
    }
    const post = await t.app.inject({ method: 'POST', url: '/api/tasks', payload: { title: 'sneaky' } });
    expect(expectProblem(post, 401).code).toBe('unauthenticated');
  });

  it('signs out: the token stops working and other sessions are unaffected', async () => {
    const user = await t.signUp();
    const other = bearerToken(await signIn(t, user.email, PASSWORD));
    expect((await getMe(user.headers)).statusCode).toBe(200);

    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: user.headers, payload: {} });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json<{ success: boolean }>().success).toBe(true);

    const after = await getMe(user.headers);
    expect(expectProblem(after, 401).code).toBe('unauthenticated');
    const tasks = await t.app.inject({ method: 'GET', url: '/api/tasks', headers: user.headers });
    expect(expectProblem(tasks, 401).code).toBe('unauthenticated');
    expect((await getMe({ authorization: `Bearer ${other}` })).statusCode).toBe(200);
  });
});

describe('JWT and JWKS', () => {
  let user: TestUser;
  let jwt: string;
  let jwks: JSONWebKeySet;
  beforeAll(async () => {
    user = await t.signUp();
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/token', headers: user.headers });
    expect(res.statusCode, res.body).toBe(200);
    jwt = res.json<{ token: string }>().token;
    const keys = await t.app.inject({ method: 'GET', url: '/api/auth/jwks' });
    expect(keys.statusCode, keys.body).toBe(200);
    jwks = keys.json<JSONWebKeySet>();
  });

  it('issues a compact JWT for a signed-in user', () => {
    expect(jwt.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(jwt).kid).toEqual(expect.any(String));
  });

  it('publishes public keys only', () => {
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key.kid).toEqual(expect.any(String));
      expect(key).not.toHaveProperty('d');
    }
    expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(jwt).kid);
  });

  it('verifies against the JWKS with sub = the user id, issuer and audience', async () => {
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: ISSUER, audience: ISSUER });
    expect(payload.sub).toBe(user.id);
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000);
    // 15-minute tokens.
    expect(payload.exp! - payload.iat!).toBe(15 * 60);
  });

  it('rejects a JWT signed by a different key, even under the published kid', async () => {
    const { alg, kid } = decodeProtectedHeader(jwt);
    expect(alg).toEqual(expect.any(String));
    const { privateKey } = await generateKeyPair(alg!, { extractable: true });
    const forged = await new SignJWT({ sub: user.id })
      .setProtectedHeader({ alg: alg!, ...(kid && { kid }) })
      .setIssuer(ISSUER)
      .setAudience(ISSUER)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(jwtVerify(forged, createLocalJWKSet(jwks), { issuer: ISSUER, audience: ISSUER })).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('refuses to issue a JWT without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/token' });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toMatch(/"token"\s*:/);
  });
});

describe('sign-in rate limit', () => {
  let limited: TestApp;
  beforeAll(async () => {
    // A separate app: the limit applies per client address across the whole window.
    limited = await createTestApp({ signInLimit: 3 });
  });
  afterAll(() => limited.close());

  it('answers 429 with retry-after after 3 attempts, even with the right password', async () => {
    const user = await limited.signUp();
    for (let i = 0; i < 3; i++) expectProblem(await signIn(limited, user.email, `wrong password ${i}`), 401);

    const blocked = await signIn(limited, user.email, PASSWORD);
    const problem = expectProblem(blocked, 429);
    expect(problem.code).toEqual(expect.any(String));
    expect(blocked.headers['set-auth-token']).toBeUndefined();
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // A spoofed client-ip header does not escape the limit.
    const spoofed = await limited.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { 'x-taskstream-client-ip': '203.0.113.9', 'x-forwarded-for': '203.0.113.9' },
      payload: { email: user.email, password: PASSWORD },
    });
    expectProblem(spoofed, 429);
  });

  it('counts per client address', async () => {
    const user = await limited.signUp();
    const busy = '192.0.2.10';
    for (let i = 0; i < 3; i++) expectProblem(await signIn(limited, user.email, `wrong password ${i}`, busy), 401);
    expectProblem(await signIn(limited, user.email, PASSWORD, busy), 429);

    const res = await signIn(limited, user.email, PASSWORD, '198.51.100.7');
    expect(res.statusCode, res.body).toBe(200);
    expect(bearerToken(res)).toEqual(expect.any(String));
  });
});
