import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@taskstream/api';
import { loadConfig } from '@taskstream/config';
import { Cleanup, createScratchDatabase, freePort, logTail, requireInfra, startRecordingApp, startSidecar, waitUntil, type InfraStatus, type ReceivedRequest, type RunningDaprd } from './infra-stack.js';

/**
 * The whole path on real infrastructure: the real API (startServer) on a fresh PostgreSQL
 * database → outbox → relay → event bus → Kafka `task-events` → a separate subscriber app's daprd
 * (programmatic GET /dapr/subscribe) → POST to the subscriber.
 *
 * Both transports of the API, each with its own API process and database: EVENT_BUS=dapr (the API
 * has a sidecar of its own and publishes through it) and EVENT_BUS=kafka (the API publishes straight
 * to Kafka; the subscriber still consumes through Dapr). E2E_EVENT_BUS=dapr|kafka runs only one.
 */

type Transport = 'dapr' | 'kafka';
const only = process.env.E2E_EVENT_BUS;
if (only !== undefined && only !== 'dapr' && only !== 'kafka') throw new Error(`E2E_EVENT_BUS must be dapr or kafka, not ${only}`);
const transports: Transport[] = only ? [only] : ['dapr', 'kafka'];

const run = randomUUID().slice(0, 8);
const TRACE_ID = randomUUID().replaceAll('-', '');
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const shared = new Cleanup();
let status: InfraStatus;
let subscriberSidecar: RunningDaprd;
let deliveries: ReceivedRequest[];

beforeAll(async () => {
  status = requireInfra(['postgres', 'kafka', 'daprd']);
  // One subscriber for both: a consumer group of its own (its app id) starting at the oldest
  // offset, so it sees an event whenever it was published.
  const subscriber = await startRecordingApp(shared, (req) => {
    if (req.method === 'GET' && req.url === '/dapr/subscribe') return { json: [{ pubsubname: 'pubsub', topic: 'task-events', route: '/events' }] };
    if (req.method === 'POST' && req.url === '/events') return { json: { status: 'SUCCESS' } };
    return undefined;
  });
  deliveries = subscriber.requests;
  subscriberSidecar = await startSidecar(shared, { appId: `e2e-subscriber-${run}`, appPort: subscriber.port });
});
afterAll(() => shared.stopAll());

/** The real API (startServer + loadConfig) on a fresh database, with EVENT_BUS = transport. */
async function startApi(transport: Transport, cleanup: Cleanup): Promise<{ api: RunningServer; baseUrl: string }> {
  const database = await createScratchDatabase(status, `e2e_api_${transport}`);
  cleanup.add(`drop database ${database.name}`, () => database.drop());
  const dataDir = mkdtempSync(join(tmpdir(), 'taskstream-e2e-api-'));
  cleanup.add(`remove ${dataDir}`, () => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    AUTH_SECRET: `e2e-secret-${randomUUID()}`,
    LOG_LEVEL: 'silent',
    EVENT_BUS: transport,
    KAFKA_BROKERS: status.kafka.bootstrap,
    KAFKA_CLIENT_ID: `e2e-api-${transport}-${run}`,
    OUTBOX_POLL_MS: '200',
  };
  if (transport === 'dapr') {
    // Outbound-ready before the API listens; it reads the API's /dapr/subscribe once the port opens,
    // with the app API token the API's sidecar routes demand.
    env.APP_API_TOKEN = `app-token-${randomUUID()}`;
    const apiSidecar = await startSidecar(cleanup, { appId: `e2e-api-${run}`, appPort: port, appApiToken: env.APP_API_TOKEN });
    env.DAPR_HTTP_PORT = new URL(apiSidecar.httpUrl).port;
  }
  const api = await startServer(loadConfig(env), logger);
  // Cleanup runs in reverse: the API stops before its sidecar and its database.
  cleanup.add(`api (${transport})`, () => api.close());
  return { api, baseUrl: `http://127.0.0.1:${port}` };
}

describe.each(transports)('the API on PostgreSQL with EVENT_BUS=%s → Kafka → a subscriber behind daprd', (transport) => {
  const cleanup = new Cleanup();
  let baseUrl: string;
  beforeAll(async () => {
    ({ baseUrl } = await startApi(transport, cleanup));
  });
  afterAll(() => cleanup.stopAll());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('a task created over HTTP arrives as task.created at the subscriber: subject = task id, partitionkey = user id, the request trace', async () => {
    const signUp = await post('/api/auth/sign-up/email', { email: `e2e-${transport}-${run}@example.com`, password: 'correct horse battery', name: 'E2E', timeZone: 'Europe/Berlin' });
    expect(signUp.status, await signUp.clone().text()).toBe(200);
    const token = signUp.headers.get('set-auth-token');
    expect(token, 'set-auth-token header').toBeTruthy();
    const user = ((await signUp.json()) as { user: { id: string } }).user;

    const traceparent = `00-${TRACE_ID}-${randomUUID().replaceAll('-', '').slice(0, 16)}-01`;
    const created = await post('/api/tasks', { title: `via ${transport} ${run}`, priority: 'high', tags: ['e2e'] }, { authorization: `Bearer ${token}`, traceparent });
    expect(created.status, await created.clone().text()).toBe(201);
    const task = (await created.json()) as { id: string; title: string };

    const events = () => deliveries.filter((r) => r.url === '/events').map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const event = await waitUntil(() => events().find((e) => e.type === 'task.created' && e.subject === task.id), {
      what: `task.created for ${task.id} (EVENT_BUS=${transport}) at the subscriber`,
      timeoutMs: 60_000,
      describe: () => `${deliveries.length} requests to the subscriber (types: ${[...new Set(events().map((e) => String(e.type)))].join(', ') || 'none'})\n${logTail(subscriberSidecar.log)}`,
    });

    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'task.created',
      source: 'taskstream/api',
      subject: task.id,
      partitionkey: user.id,
      datacontenttype: 'application/json',
      traceparent,
    });
    expect(event.data).toMatchObject({ taskId: task.id, userId: user.id, task: { id: task.id, title: task.title } });
    // Published through daprd, the envelope carries Dapr's pubsub/topic attributes; straight to Kafka it does not.
    if (transport === 'dapr') expect(event).toMatchObject({ pubsubname: 'pubsub', topic: 'task-events' });
    else expect(event.pubsubname).toBeUndefined();
  });
});
