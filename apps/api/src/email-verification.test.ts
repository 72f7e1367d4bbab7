import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startMailbox } from '@taskstream/testing';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';
import { followVerificationLink } from './testing/verify-email.js';

/**
 * Reminder email goes only to an address its owner proved by opening the link mailed at sign-up
 * (over the same, real, local SMTP server), and at most EMAIL_MAX_PER_USER_PER_HOUR an hour.
 */
let t: TestApp;
let mailbox: Awaited<ReturnType<typeof startMailbox>>;

beforeAll(async () => {
  mailbox = await startMailbox();
  t = await createTestApp({ events: true, smtpUrl: mailbox.url, config: { EMAIL_MAX_PER_USER_PER_HOUR: 2 } });
});
afterAll(async () => {
  await t.close();
  await mailbox.close();
});

const inject = async (u: TestUser, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
  const res = await t.app.inject({ method, url, headers: u.headers, ...(payload && { payload }) });
  return { status: res.statusCode, body: res.body ? res.json<any>() : null };
};


/** Creates a task whose reminder fires in a second (time for the request: a reminder set in the past never fires) and waits for its in-app notification (the email, if any, is queued with it). */
async function remind(u: TestUser, title: string): Promise<void> {
  expect((await inject(u, 'POST', '/api/tasks', { title, reminders: [{ remindAt: new Date(Date.now() + 1000).toISOString() }] })).status).toBe(201);
  await eventually(async () => (await inject(u, 'GET', '/api/notifications')).body.items.some((n: { title: string }) => n.title === title), `the notification "${title}"`);
}

const reminderMail = (u: TestUser, title: string) => mailbox.messages.find((m) => m.subject === `Reminder: ${title}` && m.to && !Array.isArray(m.to) && m.to.text === u.email);
const verifiedOf = async (u: TestUser) => (await inject(u, 'GET', '/api/auth/get-session')).body.user.emailVerified as boolean;

describe('reminder email', () => {
  it('an unverified address gets reminders in-app only; once its owner follows the link mailed at sign-up, by email too', async () => {
    const ada = await t.signUp();
    expect(await verifiedOf(ada)).toBe(false);
    expect((await inject(ada, 'PATCH', '/api/me', { notifications: { email: true } })).status).toBe(200);
    await remind(ada, 'Before verifying');

    const opened = await followVerificationLink(t.app, mailbox, ada.email);
    expect(opened).toEqual({ statusCode: 302, location: '/' });
    expect(await verifiedOf(ada)).toBe(true);
    await remind(ada, 'After verifying');
    await eventually(async () => reminderMail(ada, 'After verifying'), 'the email after verifying');
    // Queued (or not) with its notification before the later one was: it would be here by now.
    expect(reminderMail(ada, 'Before verifying')).toBeUndefined();
  });

  it('past EMAIL_MAX_PER_USER_PER_HOUR (2 here) a user gets further reminders in-app only', async () => {
    const ada = await t.signUp();
    const bob = await t.signUp();
    for (const u of [ada, bob]) {
      await followVerificationLink(t.app, mailbox, u.email);
      await inject(u, 'PATCH', '/api/me', { notifications: { email: true } });
    }
    for (const title of ['First', 'Second', 'Third']) await remind(ada, title);
    await remind(bob, 'Marker');
    await eventually(async () => reminderMail(bob, 'Marker'), "Bob's email, after Ada's");
    expect(reminderMail(ada, 'First')).toBeDefined();
    expect(reminderMail(ada, 'Second')).toBeDefined();
    expect(reminderMail(ada, 'Third')).toBeUndefined();
    expect((await inject(ada, 'GET', '/api/notifications')).body.items).toHaveLength(3);
  });
});
