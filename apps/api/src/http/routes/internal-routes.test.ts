import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@taskstream/config';
import { user } from '@taskstream/db';
import { createTask, CreateTaskInput } from '@taskstream/tasks';
import { createTestDatabase } from '@taskstream/testing';
import { composeProcess, type ComposedProcess } from '../../compose/compose-process.js';
import { MODULE_MIGRATIONS } from '../../compose/module-migrations.js';

/**
 * The routes the recurrence service invokes on the api through Dapr, in an api process composed
 * for Dapr but not started (no sidecar needed): who they let in, and what they answer.
 */
const TOKEN = `app-token-${randomUUID()}`;
let api: ComposedProcess;
beforeAll(async () => {
  const config = loadConfig({
    SERVICES: 'api',
    EVENT_BUS: 'dapr',
    APP_API_TOKEN: TOKEN,
    AUTH_SECRET: 'test-secret-test-secret-test-secret-0123',
    DATA_DIR: join(tmpdir(), 'taskstream-test-data'),
    WEB_DIR: join(tmpdir(), 'taskstream-test-no-web-ui'),
  });
  api = await composeProcess(config, { logger: pino({ level: 'silent' }), database: await createTestDatabase(MODULE_MIGRATIONS) });
  await api.app.ready();
});
afterAll(() => api.close());

const invoke = (url: string, payload: object, headers: Record<string, string> = { 'dapr-api-token': TOKEN, 'dapr-caller-app-id': 'recurrence' }) =>
  api.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload });

async function weeklySeries(): Promise<{ userId: string; seriesId: string }> {
  const userId = randomUUID();
  await api.database.db.insert(user).values({ id: userId, name: 'Ada', email: `${userId}@example.com` });
  const task = await createTask(api.tasks, { userId, timeZone: 'UTC' }, CreateTaskInput.parse({ title: 'Review', dueAt: '2026-12-04T16:00:00Z', recurrence: { rule: 'FREQ=WEEKLY', count: 1 } }));
  return { userId, seriesId: task.seriesId! };
}

describe('POST /internal/series-ends', () => {
  it('is refused without the app token and to any caller but the recurrence app', async () => {
    const end = { ...(await weeklySeries()), occurrenceIndex: 0 };
    expect((await invoke('/internal/series-ends', end, {})).json()).toMatchObject({ status: 401, code: 'service_unauthenticated' });
    expect((await invoke('/internal/series-ends', end, { 'dapr-api-token': TOKEN, 'dapr-caller-app-id': 'notifications' })).json()).toMatchObject({ status: 403, code: 'service_forbidden' });
    expect((await invoke('/internal/series-ends', { ...end, occurrenceIndex: -1 })).statusCode).toBe(400);
  });

  it("ends the series, after which the next occurrence is answered 'stopped' and not made", async () => {
    const end = { ...(await weeklySeries()), occurrenceIndex: 0 };
    const ended = await invoke('/internal/series-ends', end);
    expect([ended.statusCode, ended.json()]).toEqual([200, { outcome: 'ended' }]);
    const next = await invoke('/internal/occurrences', {
      ...end,
      occurrenceIndex: 1,
      dueAt: '2026-12-11T16:00:00.000Z',
      template: { title: 'Review', description: '', priority: 'medium', tags: [], reminderOffsets: [] },
    });
    expect([next.statusCode, next.json()]).toEqual([200, { outcome: 'stopped' }]);
  });
});
