import { decrypt } from 'http_ece';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReminderScheduler } from '@taskstream/notifications';
import { eventually, startFakePushService, startMailbox } from '@taskstream/testing';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';
import { followVerificationLink } from './testing/verify-email.js';
import { openSocket, type TestSocket } from '@taskstream/testing';

/**
 * Embedded, end to end through the API: a task's reminder is scheduled from its events, fires on
 * time, and becomes an in-app notification, an email on a real SMTP server and a Web Push message.
 */
let t: TestApp;
let mailbox: Awaited<ReturnType<typeof startMailbox>>;
let push: Awaited<ReturnType<typeof startFakePushService>>;

beforeAll(async () => {
  mailbox = await startMailbox();
  push = await startFakePushService();
  t = await createTestApp({ events: true, smtpUrl: mailbox.url, pushCa: push.ca, allowPrivatePushHosts: true, realtime: true, listen: true });
});
afterAll(async () => {
  await t.close();
  await mailbox.close();
  await push.close();
});

const inject = async (u: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
  const res = await t.app.inject({ method, url, headers: u.headers, ...(payload && { payload }) });
  return { status: res.statusCode, body: res.body ? res.json<any>() : null };
};


const notificationsOf = async (u: TestUser, query = '') => (await inject(u, 'GET', `/api/notifications${query}`)).body as { items: any[]; unreadCount: number; nextCursor: string | null };
const soon = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('a reminder that fires', () => {
  it('becomes an in-app notification, an email, a WebSocket message on both of its owner\'s connections and a Web Push message — for its owner only, never early', async () => {
    const ada = await t.signUp({ timeZone: 'Europe/Berlin' });
    await followVerificationLink(t.app, mailbox, ada.email);
    const bob = await t.signUp();
    const sockets: TestSocket[] = [];
    for (const u of [ada, ada, bob]) sockets.push(await openSocket(t.url ?? '', { headers: u.headers }));
    const [adaLaptop, adaPhone, bobSocket] = sockets as [TestSocket, TestSocket, TestSocket];
    for (const s of sockets) expect((await s.received(1))[0]).toMatchObject({ type: 'hello' });
    await inject(ada, 'PATCH', '/api/me', { notifications: { email: true, push: true } });
    const browser = push.subscription('/push/ada-laptop');
    expect((await inject(ada, 'POST', '/api/notifications/push/subscriptions', { endpoint: browser.endpoint, keys: browser.keys })).status).toBe(201);

    const remindAt = soon(1500);
    const created = await inject(ada, 'POST', '/api/tasks', { title: 'Call the dentist', dueAt: '2026-12-01T09:30', reminders: [{ remindAt }] });
    expect(created.status).toBe(201);

    const page = await eventually(async () => {
      const p = await notificationsOf(ada);
      return p.items.length > 0 && p;
    }, 'the in-app notification');
    expect(page.unreadCount).toBe(1);
    expect(page.items[0]).toMatchObject({ kind: 'reminder', taskId: created.body.id, title: 'Call the dentist', body: 'Due Tue 1 Dec, 09:30 (Europe/Berlin)', readAt: null });
    expect(Date.parse(page.items[0].createdAt)).toBeGreaterThanOrEqual(Date.parse(remindAt));

    const mail = await eventually(async () => mailbox.messages.find((m) => m.subject === 'Reminder: Call the dentist'), 'the email');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(ada.email);
    expect(mail.text).toContain('Due Tue 1 Dec, 09:30 (Europe/Berlin)');

    const delivered = await eventually(async () => push.requests.find((r) => r.path === '/push/ada-laptop'), 'the push message');
    expect(delivered.headers['content-encoding']).toBe('aes128gcm');
    expect(delivered.headers.authorization).toMatch(/^vapid t=.+, k=.+/);
    const key = (await inject(ada, 'GET', '/api/notifications/push/public-key')).body.publicKey;
    expect(delivered.headers.authorization).toContain(`k=${key}`);
    const payload = JSON.parse(decrypt(delivered.body, { version: 'aes128gcm', privateKey: browser.receiver, authSecret: browser.authSecret }).toString('utf8'));
    expect(payload).toMatchObject({ title: 'Call the dentist', body: 'Due Tue 1 Dec, 09:30 (Europe/Berlin)' });

    // Live: both of Ada's connections get the notification (after the task.changed of its creation).
    const live = (s: TestSocket) => s.messages.find((m) => m.type === 'notification.changed');
    for (const s of [adaLaptop, adaPhone]) {
      await eventually(async () => live(s), 'the live notification');
      expect(live(s)).toMatchObject({ data: { userId: ada.id, operation: 'created', unreadCount: 1, notification: { id: page.items[0].id, title: 'Call the dentist' } } });
    }
    // Bob's own change is the marker: anything of Ada's pushed to him would have arrived before it.
    await inject(bob, 'POST', '/api/tasks', { title: 'Bob marker' });
    await eventually(async () => bobSocket.messages.some((m) => m.type === 'task.changed'), "Bob's marker");
    expect(bobSocket.messages.map((m) => m.type)).toEqual(['hello', 'task.changed']);
    await Promise.all(sockets.map((s) => s.close()));

    expect((await notificationsOf(bob)).items).toEqual([]);
    expect(mailbox.messages.filter((m) => m.subject === 'Reminder: Call the dentist')).toHaveLength(1);
  });

  it('follows its task: a moved due time moves the reminder, and completing the task cancels it', async () => {
    const ada = await t.signUp();
    const moved = await inject(ada, 'POST', '/api/tasks', { title: 'Moved', dueAt: soon(1200), reminders: [{ offsetMinutes: 0 }] });
    const cancelled = await inject(ada, 'POST', '/api/tasks', { title: 'Cancelled', dueAt: soon(1200), reminders: [{ offsetMinutes: 0 }] });
    const newDue = soon(2500);
    expect((await inject(ada, 'PATCH', `/api/tasks/${moved.body.id}`, { dueAt: newDue })).status).toBe(200);
    expect((await inject(ada, 'POST', `/api/tasks/${cancelled.body.id}/complete`)).status).toBe(200);

    const page = await eventually(async () => {
      const p = await notificationsOf(ada);
      return p.items.length > 0 && p;
    }, 'the moved reminder');
    expect(Date.parse(page.items[0].createdAt)).toBeGreaterThanOrEqual(Date.parse(newDue));
    // The cancelled one was due before the moved one; it would be here by now.
    expect(page.items.map((n) => n.title)).toEqual(['Moved']);
  });

  it('honours channel preferences: in-app off stores nothing, email off sends none', async () => {
    const quiet = await t.signUp();
    await inject(quiet, 'PATCH', '/api/me', { notifications: { inApp: false, email: false } });
    const loud = await t.signUp();
    await followVerificationLink(t.app, mailbox, loud.email);
    await inject(loud, 'PATCH', '/api/me', { notifications: { email: true } });
    await inject(quiet, 'POST', '/api/tasks', { title: 'Quiet one', reminders: [{ remindAt: soon(800) }] });
    await inject(loud, 'POST', '/api/tasks', { title: 'Loud one', reminders: [{ remindAt: soon(1000) }] });
    await eventually(async () => mailbox.messages.find((m) => m.subject === 'Reminder: Loud one'), 'the later reminder');
    expect((await notificationsOf(quiet)).items).toEqual([]);
    expect(mailbox.messages.find((m) => m.subject === 'Reminder: Quiet one')).toBeUndefined();
  });
});

describe('in-app notifications', () => {
  async function notified(u: TestUser, title: string) {
    await inject(u, 'POST', '/api/tasks', { title, reminders: [{ remindAt: soon(300) }] });
    return eventually(async () => (await notificationsOf(u)).items.find((n) => n.title === title), title);
  }

  it('mark read, read all, unread count, and only your own', async () => {
    const ada = await t.signUp();
    const bob = await t.signUp();
    const first = await notified(ada, 'First');
    await notified(ada, 'Second');
    expect((await inject(ada, 'GET', '/api/notifications/unread-count')).body).toEqual({ unreadCount: 2 });
    expect((await inject(bob, 'POST', `/api/notifications/${first.id}/read`)).status).toBe(404);
    const read = await inject(ada, 'POST', `/api/notifications/${first.id}/read`);
    expect(read.body.readAt).not.toBeNull();
    expect((await notificationsOf(ada, '?unread=true')).items.map((n) => n.title)).toEqual(['Second']);
    expect((await inject(ada, 'POST', '/api/notifications/read-all')).body).toEqual({ updated: 1 });
    expect((await notificationsOf(ada)).unreadCount).toBe(0);
  });

  it('pages newest first with a cursor, and rejects a cursor it did not make', async () => {
    const ada = await t.signUp();
    for (const title of ['One', 'Two', 'Three']) await notified(ada, title);
    const first = await notificationsOf(ada, '?limit=2');
    expect(first.items.map((n) => n.title)).toEqual(['Three', 'Two']);
    const second = await notificationsOf(ada, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((n) => n.title)).toEqual(['One']);
    expect(second.nextCursor).toBeNull();
    const bad = await inject(ada, 'GET', '/api/notifications?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_cursor');
  });

  it('snooze hides it and brings it back once, unread, when the snooze is over', async () => {
    const ada = await t.signUp();
    const n = await notified(ada, 'Stretch');
    expect((await inject(ada, 'POST', `/api/notifications/${n.id}/snooze`, { minutes: 0 })).status).toBe(400);
    const snoozed = await inject(ada, 'POST', `/api/notifications/${n.id}/snooze`, { minutes: 10 });
    expect(snoozed.status).toBe(200);
    expect(Date.parse(snoozed.body.snoozedUntil) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect((await notificationsOf(ada)).items).toEqual([]);
    expect((await notificationsOf(ada, '?includeSnoozed=true')).items.map((x) => x.id)).toEqual([n.id]);

    // A second scheduler whose clock is 11 minutes ahead: the snooze is over for it.
    const ahead = new ReminderScheduler({ database: t.database, logger: pino({ level: 'silent' }), now: () => new Date(Date.now() + 11 * 60_000) });
    expect(await ahead.fireDue()).toBe(1);
    expect(await ahead.fireDue()).toBe(0);
    const back = await eventually(async () => (await notificationsOf(ada)).items.find((x) => x.id === n.id), 'the snoozed notification back');
    expect(back).toMatchObject({ snoozedUntil: null, readAt: null });
    expect((await notificationsOf(ada)).items).toHaveLength(1);
  });

  it('rejects bad input with problem+json and forgets a push subscription when asked or when the service says it is gone', async () => {
    const ada = await t.signUp();
    for (const endpoint of ['not a url', 'http://127.0.0.1:9/plain-http']) {
      const bad = await inject(ada, 'POST', '/api/notifications/push/subscriptions', { endpoint, keys: { p256dh: 'x', auth: 'y' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('body.endpoint');
    }
    expect((await inject(ada, 'POST', '/api/notifications/not-a-uuid/read')).status).toBe(404);

    const gone = push.subscription('/gone/old-phone');
    await inject(ada, 'PATCH', '/api/me', { notifications: { push: true, inApp: false } });
    await inject(ada, 'POST', '/api/notifications/push/subscriptions', { endpoint: gone.endpoint, keys: gone.keys });
    await inject(ada, 'POST', '/api/tasks', { title: 'Ping', reminders: [{ remindAt: soon(300) }] });
    await eventually(async () => push.requests.some((r) => r.path === '/gone/old-phone'), 'the push attempt');
    await eventually(async () => (await inject(ada, 'DELETE', '/api/notifications/push/subscriptions', { endpoint: gone.endpoint })).status === 404, 'the gone subscription removed');
  });
});
