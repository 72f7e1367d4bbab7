import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, startMailbox, type TestSocket } from '@taskstream/testing';
import { adminQuery, apiClient, Cleanup, createScratchDatabase, fastCronResources, logTail, requireInfra, startServiceBehindSidecar, waitUntil, type ServiceBehindSidecar } from './infra-stack.js';

/**
 * Distributed: every service is its own process (apps/<service>/src/main.ts) behind its own daprd,
 * events go over real Kafka through Dapr pub/sub, all on one fresh PostgreSQL database. The
 * recurrence service creates the next task by Dapr service invocation of the API; the notification
 * service is woken by the Dapr Jobs API and swept by a cron binding.
 */
const run = randomUUID().slice(0, 8);
const cleanup = new Cleanup();
const appToken = `app-token-${randomUUID()}`;
type Role = 'api' | 'recurrence' | 'audit' | 'notifications' | 'realtime';
const services = new Map<Role, ServiceBehindSidecar>();
let mailbox: Awaited<ReturnType<typeof startMailbox>>;
let api: string;
let databaseUrl: string;

const diagnostics = () => [...services.entries()].map(([role, s]) => `=== ${role}\n${s.process.output().split('\n').slice(-15).join('\n')}\n${logTail(s.sidecar.log, 10)}`).join('\n');

beforeAll(async () => {
  const status = requireInfra(['postgres', 'kafka', 'daprd', 'scheduler']);
  const database = await createScratchDatabase(status, 'e2e_services');
  cleanup.add(`drop database ${database.name}`, () => database.drop());
  databaseUrl = database.url;
  mailbox = await startMailbox();
  cleanup.add('mailbox', () => mailbox.close());
  const resources = await fastCronResources(cleanup, '@every 3s');
  const dataDir = mkdtempSync(join(tmpdir(), 'taskstream-e2e-services-'));
  cleanup.add(`remove ${dataDir}`, () => rmSync(dataDir, { recursive: true, force: true }));
  const common = {
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    AUTH_SECRET: `e2e-secret-${randomUUID()}`,
    EVENT_BUS: 'dapr',
    OUTBOX_POLL_MS: '200',
    SMTP_URL: mailbox.url,
    API_APP_ID: `api-${run}`,
    RECURRENCE_APP_ID: `recurrence-${run}`,
    APP_API_TOKEN: appToken,
  };
  // The API first: it migrates; the others take their turn on the migration lock and find it done.
  for (const role of ['api', 'recurrence', 'audit', 'notifications', 'realtime'] as const) {
    const env = { ...common, ...(role === 'notifications' && { REMINDER_TRIGGER: 'dapr-jobs', LOG_LEVEL: 'debug' }),
      // The real-time service keeps its resume buffers in the Dapr state store (PostgreSQL).
      ...(role === 'realtime' && { STATE_STORE: 'dapr' }),
    };
    services.set(role, await startServiceBehindSidecar(cleanup, role, { appId: `${role}-${run}`, appToken, env, sidecar: { componentsPath: resources } }));
  }
  api = `http://127.0.0.1:${services.get('api')?.port ?? 0}`;
}, 240_000);
afterAll(() => cleanup.stopAll(), 120_000);

const call = apiClient(() => api);

async function signUp(name: string, timeZone = 'Europe/Berlin'): Promise<{ token: string; email: string; id: string }> {
  const email = `${name}-${run}@example.com`;
  const res = await call(null, 'POST', '/api/auth/sign-up/email', { email, password: 'correct horse battery', name, timeZone });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { token: res.headers.get('set-auth-token') ?? '', email, id: res.body.user.id };
}

describe('each service as its own process behind daprd, over Kafka', () => {
  it('recurrence: completing a daily task gives exactly one next task, made by the recurrence service through service invocation, across the DST change', async () => {
    const { token } = await signUp('rita');
    const created = await call(token, 'POST', '/api/tasks', { title: 'Water the plants', dueAt: '2026-03-28T09:00', timeZone: 'Europe/Berlin', recurrence: { rule: 'daily' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await call(token, 'POST', `/api/tasks/${created.body.id}/complete`)).status).toBe(200);
    const next = await waitUntil(async () => (await call(token, 'GET', '/api/tasks?status=open')).body.items.find((t: any) => t.seriesId === created.body.seriesId), {
      what: 'the next occurrence',
      timeoutMs: 60_000,
      describe: diagnostics,
    });
    // 09:00 in Berlin on 29 March is 07:00 UTC (summer time began that night), not 08:00.
    expect(next).toMatchObject({ title: 'Water the plants', dueAt: '2026-03-29T07:00:00.000Z', occurrenceIndex: 1 });
    await new Promise((r) => setTimeout(r, 1500));
    const open = (await call(token, 'GET', '/api/tasks?status=open')).body.items.filter((t: any) => t.seriesId === created.body.seriesId);
    expect(open).toHaveLength(1);
  });

  it('audit: the history written by the audit service is served by the API, and survives delete', async () => {
    const { token } = await signUp('aude');
    const created = await call(token, 'POST', '/api/tasks', { title: 'File taxes' });
    await call(token, 'PATCH', `/api/tasks/${created.body.id}`, { priority: 'high' });
    await call(token, 'POST', `/api/tasks/${created.body.id}/complete`);
    await call(token, 'DELETE', `/api/tasks/${created.body.id}`);
    const history = await waitUntil(
      async () => {
        const h = await call(token, 'GET', `/api/tasks/${created.body.id}/history`);
        return h.status === 200 && h.body.items.length === 4 && h.body.items;
      },
      { what: 'four history entries', timeoutMs: 60_000, describe: diagnostics },
    );
    expect(history.map((e: any) => e.action)).toEqual(['created', 'updated', 'completed', 'deleted']);
    expect(history[1].changes).toEqual({ priority: { from: 'medium', to: 'high' } });
  });

  it('notifications: a reminder, woken through the Dapr Jobs API, becomes an in-app notification, an email and a WebSocket message from the real-time service on both of its owner\'s connections — for its owner only', async () => {
    const ada = await signUp('ada');
    const bob = await signUp('bob');
    const realtimeUrl = `http://127.0.0.1:${services.get('realtime')?.port ?? 0}`;
    const sockets: TestSocket[] = [];
    for (const u of [ada, ada, bob]) sockets.push(await openSocket(realtimeUrl, { headers: { authorization: `Bearer ${u.token}` } }));
    cleanup.add('sockets', () => Promise.all(sockets.map((s) => s.close())));
    for (const s of sockets) expect((await s.received(1))[0]).toMatchObject({ type: 'hello' });
    // Reminder email goes only to a verified address: Ada opens the link the API mailed at sign-up.
    const verification = await waitUntil(() => mailbox.messages.find((m) => m.subject === 'Confirm your email address for Taskstream' && m.text?.includes(ada.email)), { what: 'the verification mail', timeoutMs: 30_000, describe: diagnostics });
    const link = new URL(verification.text?.match(/https?:\/\/\S+\/api\/auth\/verify-email\?\S+/)?.[0] ?? '');
    expect((await fetch(`${api}${link.pathname}${link.search}`, { redirect: 'manual' })).status).toBe(302);
    await call(ada.token, 'PATCH', '/api/me', { notifications: { email: true } });
    const remindAt = new Date(Date.now() + 4000).toISOString();
    expect((await call(ada.token, 'POST', '/api/tasks', { title: 'Call the dentist', reminders: [{ remindAt }] })).status).toBe(201);
    const notification = await waitUntil(async () => (await call(ada.token, 'GET', '/api/notifications')).body.items[0], { what: 'the in-app notification', timeoutMs: 60_000, describe: diagnostics });
    expect(notification).toMatchObject({ title: 'Call the dentist', readAt: null });
    expect(Date.parse(notification.createdAt)).toBeGreaterThanOrEqual(Date.parse(remindAt));
    const mail = await waitUntil(() => mailbox.messages.find((m) => m.subject === 'Reminder: Call the dentist'), { what: 'the email', timeoutMs: 30_000, describe: diagnostics });
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(ada.email);
    expect((await call(bob.token, 'GET', '/api/notifications')).body.items).toEqual([]);
    for (const s of sockets.slice(0, 2)) {
      const live = await waitUntil(() => s.messages.find((m) => m.type === 'notification.changed'), { what: 'notification.changed over /ws', timeoutMs: 30_000, describe: diagnostics });
      expect(live).toMatchObject({ data: { operation: 'created', notification: { id: notification.id, title: 'Call the dentist' } } });
      // The task's own creation too (task-updates; a new consumer group may still be replaying older events of the topic).
      await waitUntil(() => s.messages.some((m) => m.type === 'task.changed' && (m.data as { task: { title: string } | null }).task?.title === 'Call the dentist'), { what: 'task.changed over /ws', timeoutMs: 60_000, describe: diagnostics });
    }
    // Bob's own change is the marker: anything of Ada's pushed to him would have arrived before it.
    await call(bob.token, 'POST', '/api/tasks', { title: 'Bob marker' });
    const bobSocket = sockets[2];
    await waitUntil(() => bobSocket?.messages.some((m) => m.type === 'task.changed'), { what: "Bob's marker over /ws", timeoutMs: 30_000, describe: diagnostics });
    expect(bobSocket?.messages.map((m) => m.type)).toEqual(['hello', 'task.changed']);
    const output = services.get('notifications')?.process.output() ?? '';
    expect(output, 'the scheduler armed a Dapr job and the sidecar called it back').toContain('woken by the Dapr job');
  });

  it('notifications: the cron binding sweeps up a reminder that was due while nothing was awake to fire it', async () => {
    const cleo = await signUp('cleo');
    // As if written before a crash: already due, and no change notification woke any scheduler.
    await adminQuery(
      databaseUrl,
      `insert into reminder_schedules (id, reminder_id, user_id, task_id, title, fires_at, task_version) values ($1, $2, $3, $4, 'Missed while down', now() - interval '1 minute', 1)`,
      [randomUUID(), randomUUID(), cleo.id, randomUUID()],
    );
    await waitUntil(async () => (await call(cleo.token, 'GET', '/api/notifications')).body.items.find((n: any) => n.title === 'Missed while down'), {
      what: 'the swept reminder',
      timeoutMs: 30_000,
      describe: diagnostics,
    });
    expect(services.get('notifications')?.process.output()).toContain('reminder sweep fired reminders the scheduler had missed');
  });

  it('the internal occurrence route refuses callers that do not come through the sidecar with the app token', async () => {
    const res = await call(null, 'POST', '/internal/occurrences', { userId: 'x', seriesId: randomUUID(), occurrenceIndex: 1, dueAt: new Date().toISOString(), template: { title: 'x', description: '', priority: 'low', tags: [], reminderOffsets: [] } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('service_unauthenticated');
  });
});
