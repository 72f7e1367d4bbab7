import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { user, type DatabaseHandle } from '@taskstream/db';
import { createTestDatabase, FAKE_PUSH_HOSTNAME, startFakePushService } from '@taskstream/testing';
import { notificationMigrations } from '../notification-migrations.js';
import { notificationDeliveries, pushSubscriptions } from '../notification-schema.js';
import { DeliveryWorker } from './delivery-worker.js';
import { checkPushHost, PushHostRefused, type HostResolver } from './push-host-guard.js';
import { webPushSender } from './push-sender.js';

let push: Awaited<ReturnType<typeof startFakePushService>>;
const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:test@taskstream.test' };
const payload = { title: 'Stretch', body: 'Reminder', url: 'http://localhost:8080/', tag: 'n1' };

beforeAll(async () => {
  push = await startFakePushService();
});
afterAll(async () => {
  await push.close();
});

/** A fake DNS (the system resolver is a service outside this process): answers from a table and counts the questions. */
function fakeDns(answers: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    return (answers[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the push endpoint guard', () => {
  it('refuses a host that is, or resolves to, a loopback, private, link-local, metadata, CGNAT, unspecified, multicast or IPv4-mapped address', async () => {
    const refused = [
      'https://127.0.0.1/p',
      'https://2130706433/p',
      'https://10.0.0.7/p',
      'https://172.16.5.4/p',
      'https://192.168.1.1/p',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/p',
      'https://0.0.0.0/p',
      'https://224.0.0.1/p',
      'https://[::1]/p',
      'https://[::]/p',
      'https://[fe80::1]/p',
      'https://[fc00::1]/p',
      'https://[fd00:ec2::254]/p',
      'https://[::ffff:127.0.0.1]/p',
      'https://[::ffff:a9fe:a9fe]/p',
    ];
    for (const endpoint of refused) await expect(checkPushHost(endpoint), endpoint).rejects.toBeInstanceOf(PushHostRefused);
    // Every address of a name counts, not only the first.
    const dns = fakeDns({ 'push.example.com': ['93.184.216.34', '10.1.2.3'] });
    await expect(checkPushHost('https://push.example.com/p', { resolve: dns })).rejects.toThrow('push.example.com resolves to 10.1.2.3, a private (RFC 1918) address');
    await expect(checkPushHost('https://localhost/p')).rejects.toBeInstanceOf(PushHostRefused);
    await expect(checkPushHost('https://[2606:4700:4700::1111]/p')).resolves.toMatchObject({ addresses: [{ address: '2606:4700:4700::1111', family: 6 }] });
    await expect(checkPushHost('https://fcm.example.com/p', { resolve: fakeDns({ 'fcm.example.com': ['142.250.0.1'] }) })).resolves.toMatchObject({ addresses: [{ address: '142.250.0.1' }] });
  });

  it('sends to the address it checked, never to a second DNS answer (fake DNS)', async () => {
    // The name is known only to the fake DNS, asked once; were the connection to look it up again
    // (the window DNS rebinding uses), the system resolver would not find it and the send would fail.
    const dns = fakeDns({ [FAKE_PUSH_HOSTNAME]: ['127.0.0.1'] });
    const sender = webPushSender(vapid, { ca: push.ca, hosts: { allowPrivateHosts: true, resolve: dns } });
    const device = push.subscription('/pinned/device');
    const endpoint = `https://${FAKE_PUSH_HOSTNAME}:${push.port}/pinned/device`;
    expect(await sender.send({ endpoint, keys: device.keys }, payload)).toBe('sent');
    expect(push.requests.filter((r) => r.path === '/pinned/device')).toHaveLength(1);
    expect(dns.asked).toEqual([FAKE_PUSH_HOSTNAME]);
  });
});

describe('a stored subscription whose endpoint is now a private address', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase([notificationMigrations]);
  });
  afterAll(async () => {
    await database.close();
  });

  it('is refused at send time: the push service is never called and the subscription is forgotten', async () => {
    // Stored directly, as a row saved before the guard existed, or whose name resolved elsewhere then.
    const userId = randomUUID();
    await database.db.insert(user).values({ id: userId, name: 'Ada', email: `${userId}@example.com` });
    const device = push.subscription('/private/device');
    const [row] = await database.db.insert(pushSubscriptions).values({ id: randomUUID(), userId, endpoint: device.endpoint, ...device.keys }).returning();
    await database.db.insert(notificationDeliveries).values({ eventId: 'e1', userId, channel: 'push', subscriptionId: row?.id, payload });
    // The production guard (no allowance), with the stand-in's certificate trusted: only the guard stops it.
    const worker = new DeliveryWorker({ db: database.db, logger: pino({ level: 'silent' }), push: webPushSender(vapid, { ca: push.ca }), pollIntervalMs: 50 });
    worker.start();
    try {
      await until(async () => (await database.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId))).length === 0, 'the subscription forgotten');
    } finally {
      await worker.stop();
    }
    expect(push.requests.filter((r) => r.path === '/private/device')).toEqual([]);
  });
});
