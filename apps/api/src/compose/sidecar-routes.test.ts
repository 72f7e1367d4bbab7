import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@taskstream/config';
import { queryRows } from '@taskstream/db';
import { createEvent, TOPICS } from '@taskstream/events';
import { createTestDatabase } from '@taskstream/testing';
import { composeProcess, type ComposedProcess } from './compose-process.js';
import { MODULE_MIGRATIONS } from './module-migrations.js';

/**
 * The routes only a Dapr sidecar calls: the bus's subscriptions, the cron bindings, the job
 * callbacks. The processes here are composed and ready but not started, so no sidecar is needed
 * (and none is faked): what is tested is who the routes let in.
 */

const TOKEN = `app-token-${randomUUID()}`;
const logger = pino({ level: 'silent' });

/** Every sidecar-facing route of an api + notifications + recurrence process with REMINDER_TRIGGER=dapr-jobs. */
const SIDECAR_CALLS = [
  { method: 'GET', url: '/dapr/subscribe' },
  { method: 'OPTIONS', url: '/daily-cleanup' },
  { method: 'POST', url: '/daily-cleanup' },
  { method: 'POST', url: '/reminder-sweep' },
  { method: 'POST', url: '/recurrence-sweep' },
  { method: 'POST', url: '/job/notifications-reminder-wake' },
] as const;

const forgedReminder = () =>
  createEvent(
    'reminder.due',
    { reminderId: randomUUID(), taskId: randomUUID(), userId: randomUUID(), title: 'Forged', dueAt: null, remindAt: new Date().toISOString(), occurrenceIndex: 0, notificationId: null },
    { source: 'test/forged', subject: randomUUID(), partitionKey: randomUUID() },
  );

describe('under Dapr', () => {
  let processUnderDapr: ComposedProcess;
  beforeAll(async () => {
    const config = loadConfig({
      SERVICES: 'api,notifications,recurrence',
      EVENT_BUS: 'dapr',
      REMINDER_TRIGGER: 'dapr-jobs',
      APP_API_TOKEN: TOKEN,
      AUTH_SECRET: 'test-secret-test-secret-test-secret-0123',
      DATA_DIR: join(tmpdir(), 'taskstream-test-data'),
      WEB_DIR: join(tmpdir(), 'taskstream-test-no-web-ui'),
    });
    processUnderDapr = await composeProcess(config, { logger, database: await createTestDatabase(MODULE_MIGRATIONS) });
    await processUnderDapr.app.ready();
  });
  afterAll(() => processUnderDapr.close());

  const call = (c: { method: string; url: string }, token?: string) =>
    processUnderDapr.app.inject({ method: c.method as 'GET', url: c.url, headers: { 'content-type': 'application/json', ...(token !== undefined && { 'dapr-api-token': token }) }, payload: c.method === 'POST' ? '{}' : undefined });

  it('refuses every sidecar-facing route with 401 without the app token or with a wrong one, and serves it with the token', async () => {
    for (const c of SIDECAR_CALLS) {
      for (const token of [undefined, 'not-the-token', `${TOKEN}x`]) {
        const res = await call(c, token);
        expect(res.statusCode, `${c.method} ${c.url} with ${token}`).toBe(401);
        expect(res.json()).toMatchObject({ code: 'sidecar_unauthenticated' });
      }
      expect((await call(c, TOKEN)).statusCode, `${c.method} ${c.url} with the token`).toBe(200);
    }
    // The public routes are not behind the token.
    expect((await processUnderDapr.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('refuses a forged reminder.due delivered without the app token, and it notifies nobody', async () => {
    for (const token of [undefined, 'not-the-token']) {
      const res = await processUnderDapr.app.inject({
        method: 'POST',
        url: `/dapr/events/${TOPICS.reminders}`,
        headers: { 'content-type': 'application/cloudevents+json', ...(token !== undefined && { 'dapr-api-token': token }) },
        payload: JSON.stringify(forgedReminder()),
      });
      expect(res.statusCode).toBe(401);
    }
    const rows = await queryRows<{ n: number }>(processUnderDapr.database.db, sql`select count(*)::int as n from notifications`);
    expect(rows[0]?.n).toBe(0);
  });
});

describe('without Dapr', () => {
  let processWithoutDapr: ComposedProcess;
  beforeAll(async () => {
    // Built by hand: loadConfig refuses dapr-jobs without EVENT_BUS=dapr; the composition must not open the routes either way.
    const config = {
      ...loadConfig({
        SERVICES: 'api,notifications,recurrence',
        AUTH_SECRET: 'test-secret-test-secret-test-secret-0123',
        DATA_DIR: join(tmpdir(), 'taskstream-test-data'),
        WEB_DIR: join(tmpdir(), 'taskstream-test-no-web-ui'),
      }),
      REMINDER_TRIGGER: 'dapr-jobs' as const,
    };
    processWithoutDapr = await composeProcess(config, { logger, database: await createTestDatabase(MODULE_MIGRATIONS) });
    await processWithoutDapr.app.ready();
  });
  afterAll(() => processWithoutDapr.close());

  it('has no sidecar-facing route at all, not even the Dapr job callback: each answers 404, with or without a token', async () => {
    for (const c of [...SIDECAR_CALLS, { method: 'POST', url: `/dapr/events/${TOPICS.reminders}` }]) {
      const res = await processWithoutDapr.app.inject({ method: c.method, url: c.url, headers: { 'dapr-api-token': TOKEN } });
      expect(res.statusCode, `${c.method} ${c.url}`).toBe(404);
    }
  });
});
