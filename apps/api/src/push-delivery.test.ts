import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startFakePushService } from '@taskstream/testing';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';

/**
 * Web Push delivery end to end, to a local stand-in for a browser vendor's push service (a third
 * party we cannot reach here; it listens on 127.0.0.1, hence the test-only allowance).
 */
let t: TestApp;
let push: Awaited<ReturnType<typeof startFakePushService>>;

beforeAll(async () => {
  push = await startFakePushService();
  t = await createTestApp({ events: true, pushCa: push.ca, allowPrivatePushHosts: true });
});
afterAll(async () => {
  // First the push service, so a request it holds open does not hold up the worker's shutdown.
  await push.close();
  await t.close();
});

const inject = async (u: TestUser, method: 'POST' | 'PATCH', url: string, payload: object) => (await t.app.inject({ method, url, headers: u.headers, payload })).statusCode;


/** A user with push on, subscribed from a browser per path (in this order), and a reminder due now. */
async function remindOn(paths: string[]): Promise<void> {
  const u = await t.signUp();
  expect(await inject(u, 'PATCH', '/api/me', { notifications: { push: true } })).toBe(200);
  for (const path of paths) {
    const browser = push.subscription(path);
    expect(await inject(u, 'POST', '/api/notifications/push/subscriptions', { endpoint: browser.endpoint, keys: browser.keys })).toBe(201);
  }
  expect(await inject(u, 'POST', '/api/tasks', { title: 'Water the plants', reminders: [{ remindAt: new Date(Date.now() + 1000).toISOString() }] })).toBe(201);
}

const requestsTo = (path: string) => push.requests.filter((r) => r.path === path);

describe('a reminder pushed to several browsers of one user', () => {
  it('reaches a browser that accepted it once, while another browser of the same user keeps failing and is retried', async () => {
    await remindOn(['/ok/laptop-1', '/fail/phone-1']);
    await eventually(() => requestsTo('/fail/phone-1').length >= 3, 'three attempts at the failing browser');
    expect(requestsTo('/ok/laptop-1')).toHaveLength(1);
  });

  it('reaches the other browsers while one of them never answers', async () => {
    await remindOn(['/hang/tablet-2', '/ok/laptop-2']);
    await eventually(() => requestsTo('/ok/laptop-2').length === 1 && requestsTo('/hang/tablet-2').length === 1, 'both browsers reached');
    // Still waiting for its answer: the laptop was not served after the tablet gave up.
    expect(requestsTo('/hang/tablet-2')[0]?.abandoned).toBe(false);
  });
});

describe('a browser that never answers', () => {
  it("does not hold up other users' reminders queued while it is waited for", async () => {
    await remindOn(['/hang/ada-3']);
    await eventually(() => requestsTo('/hang/ada-3').length === 1, "Ada's browser reached");
    await remindOn(['/ok/bob-3']);
    await eventually(() => requestsTo('/ok/bob-3').length === 1, "Bob's browser reached");
    expect(requestsTo('/hang/ada-3')[0]?.abandoned).toBe(false);
  });
});
