import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';

/**
 * POST /api/notifications/push/subscriptions as production composes it: no allowance for private
 * hosts. Endpoints here are public IP literals, so nothing is resolved and nothing is sent.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Keys as a browser makes them: a P-256 public key and a 16-byte secret. */
function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

const subscribe = async (u: TestUser, endpoint: string, keys = browserKeys()) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/notifications/push/subscriptions', headers: u.headers, payload: { endpoint, keys } });
  return { status: res.statusCode, body: res.body ? res.json<any>() : null };
};
const unsubscribe = async (u: TestUser, endpoint: string) =>
  (await t.app.inject({ method: 'DELETE', url: '/api/notifications/push/subscriptions', headers: u.headers, payload: { endpoint } })).statusCode;

describe('Web Push subscriptions', () => {
  it('refuses endpoints on loopback, private, link-local, metadata, CGNAT and IPv4-mapped addresses with 422, and stores none of them', async () => {
    const ada = await t.signUp();
    const endpoints = [
      'https://127.0.0.1/push/x',
      'https://localhost:8443/push/x',
      'https://10.0.0.5/push/x',
      'https://192.168.0.1/push/x',
      'https://169.254.169.254/latest/meta-data/',
      'https://100.64.1.1/push/x',
      'https://[::1]/push/x',
      'https://[fd00:ec2::254]/push/x',
      'https://[::ffff:127.0.0.1]/push/x',
    ];
    for (const endpoint of endpoints) {
      const res = await subscribe(ada, endpoint);
      expect(res.status, endpoint).toBe(422);
      expect(res.body).toMatchObject({ code: 'push_endpoint_refused', errors: [{ path: 'endpoint' }] });
      expect(res.body.detail).toMatch(/a push endpoint must be on a public address/);
    }
    const metadata = await subscribe(ada, 'https://169.254.169.254/latest/meta-data/');
    expect(metadata.body.detail).toBe('the host 169.254.169.254 is a link-local address (the cloud metadata service); a push endpoint must be on a public address of a push service');
    for (const endpoint of endpoints) expect(await unsubscribe(ada, endpoint), endpoint).toBe(404);
  });

  it('refuses a p256dh that is not a 65-byte P-256 point on the curve, and an auth secret that is not 16 bytes (400)', async () => {
    const ada = await t.signUp();
    const good = browserKeys();
    const offCurve = Buffer.from(good.p256dh, 'base64url');
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    const compressed = Buffer.concat([Buffer.from([0x02]), Buffer.from(good.p256dh, 'base64url').subarray(1, 33)]);
    const bad = [
      { keys: { ...good, p256dh: offCurve.toString('base64url') }, path: 'body.keys.p256dh' },
      { keys: { ...good, p256dh: compressed.toString('base64url') }, path: 'body.keys.p256dh' },
      { keys: { ...good, p256dh: 'x' }, path: 'body.keys.p256dh' },
      { keys: { ...good, auth: randomBytes(8).toString('base64url') }, path: 'body.keys.auth' },
    ];
    for (const { keys, path } of bad) {
      const res = await subscribe(ada, 'https://1.1.1.1/push/keys', keys);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
    }
    expect(await unsubscribe(ada, 'https://1.1.1.1/push/keys')).toBe(404);
    expect((await subscribe(ada, 'https://1.1.1.1/push/keys', good)).status).toBe(201);
  });

  it('keeps the newest 10 browsers of a user: an eleventh replaces the oldest', async () => {
    const ada = await t.signUp();
    const bob = await t.signUp();
    expect((await subscribe(bob, 'https://1.1.1.1/push/bob')).status).toBe(201);
    const endpoints = Array.from({ length: 11 }, (_, i) => `https://1.1.1.1/push/ada-${i}`);
    for (const endpoint of endpoints) expect((await subscribe(ada, endpoint)).status).toBe(201);
    expect(await unsubscribe(ada, endpoints[0] ?? '')).toBe(404);
    for (const endpoint of endpoints.slice(1)) expect(await unsubscribe(ada, endpoint), endpoint).toBe(204);
    expect(await unsubscribe(bob, 'https://1.1.1.1/push/bob')).toBe(204);
  });

  it('an endpoint another user already stored does not move to whoever posts it: each keeps their own', async () => {
    const ada = await t.signUp();
    const mallory = await t.signUp();
    const endpoint = 'https://1.1.1.1/push/shared-browser';
    expect((await subscribe(ada, endpoint)).status).toBe(201);
    expect((await subscribe(mallory, endpoint)).status).toBe(201);
    expect(await unsubscribe(ada, endpoint)).toBe(204);
    expect(await unsubscribe(mallory, endpoint)).toBe(204);
  });
});
