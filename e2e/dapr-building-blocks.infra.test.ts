import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, Cleanup, fastCronResources, logTail, requireInfra, startRecordingApp, startSidecar, waitUntil, type InfraStatus, type ReceivedRequest, type RunningDaprd, withDatabase } from './infra-stack.js';

/**
 * The Dapr building blocks Taskstream relies on, against the real sidecar, PostgreSQL, Kafka and
 * scheduler from scripts/infra: state store, cron input binding, service invocation, Jobs API.
 *
 * Two sidecars: "caller" (no app) and "worker" in front of a recording node:http app with the
 * components rendered with a 2 s reminder-sweep. Needs `node scripts/infra/infra.mjs up --build-dapr`.
 */

const run = randomUUID().slice(0, 8);
const cleanup = new Cleanup();
let status: InfraStatus;
let caller: RunningDaprd;
let worker: RunningDaprd;
let requests: ReceivedRequest[];

const json = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  ...(body !== undefined && { body: JSON.stringify(body) }),
});

beforeAll(async () => {
  // The components (statestore, pubsub) need PostgreSQL and Kafka to load: daprd refuses to start without them.
  status = requireInfra(['postgres', 'kafka', 'daprd']);
  const app = await startRecordingApp(cleanup, (req) => {
    if (req.url === '/dapr/subscribe') return { json: [] };
    if (req.url === '/reminder-sweep') return { json: {} };
    if (req.method === 'POST' && req.url.startsWith('/echo')) return { json: { echoed: req.body ? (JSON.parse(req.body) as unknown) : null, method: req.method } };
    if (req.method === 'POST' && req.url.startsWith('/job/')) return { json: {} };
    return undefined;
  });
  requests = app.requests;
  const resources = await fastCronResources(cleanup, '@every 2s');
  worker = await startSidecar(cleanup, { appId: `e2e-worker-${run}`, appPort: app.port, componentsPath: resources });
  caller = await startSidecar(cleanup, { appId: `e2e-caller-${run}` });
});

afterAll(() => cleanup.stopAll());

const seen = (predicate: (r: ReceivedRequest) => boolean) => requests.filter(predicate);
const describeRequests = () => `requests so far: ${requests.map((r) => `${r.method} ${r.url}`).join(', ') || 'none'}\n${logTail(worker.log)}`;

describe('Dapr building blocks on the local infrastructure', () => {
  it('state store: a value written through daprd is read back (PostgreSQL dapr_state)', async () => {
    const key = `e2e-${run}`;
    const value = { run, at: new Date().toISOString(), nested: { n: 1 } };
    const save = await fetch(`${caller.httpUrl}/v1.0/state/statestore`, json('POST', [{ key, value }]));
    expect(save.status, await save.clone().text()).toBe(204);
    const got = await fetch(`${caller.httpUrl}/v1.0/state/statestore/${key}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(value);
    // The row is really in PostgreSQL, under Dapr's "<appId>||<key>" naming.
    const rows = await adminQuery<{ key: string }>(withDatabase(status.postgres.urls[0]!, 'dapr_state'), 'select key from dapr_state where key = $1', [`${caller.appId}||${key}`]);
    expect(rows).toHaveLength(1);
    const del = await fetch(`${caller.httpUrl}/v1.0/state/statestore/${key}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
  });

  it('cron binding: reminder-sweep POSTs /reminder-sweep to the app on its schedule', async () => {
    const first = await waitUntil(() => seen((r) => r.method === 'POST' && r.url === '/reminder-sweep')[0], { what: 'POST /reminder-sweep from the cron binding', timeoutMs: 15_000, describe: describeRequests });
    await waitUntil(() => seen((r) => r.method === 'POST' && r.url === '/reminder-sweep').length >= 2, { what: 'a second POST /reminder-sweep (@every 2s)', timeoutMs: 10_000, describe: describeRequests });
    const [a, b] = seen((r) => r.method === 'POST' && r.url === '/reminder-sweep');
    expect(first).toBe(a);
    // Roughly the 2 s schedule (not a timing assertion beyond "it repeats, not in a burst").
    expect(b!.at - a!.at).toBeGreaterThan(1000);
  });

  it('service invocation: the caller sidecar invokes the worker app /echo through the worker sidecar', async () => {
    const payload = { hello: 'worker', run };
    const res = await fetch(`${caller.httpUrl}/v1.0/invoke/${worker.appId}/method/echo`, json('POST', payload));
    const text = await res.text();
    expect(res.status, `${text}\n${logTail(caller.log)}`).toBe(200);
    expect(JSON.parse(text)).toEqual({ echoed: payload, method: 'POST' });
    const received = seen((r) => r.url.startsWith('/echo'));
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['dapr-caller-app-id']).toBe(caller.appId);
  });

  it('Jobs API: a job scheduled through the scheduler is delivered to the app at /job/<name>', async () => {
    requireInfra(['scheduler']);
    const name = `e2e-job-${run}`;
    const put = await fetch(`${worker.httpUrl}/v1.0-alpha1/jobs/${name}`, json('POST', { dueTime: '1s', data: { run, kind: 'e2e' } }));
    expect(put.status, `${await put.clone().text()}\n${logTail(worker.log)}`).toBe(204);
    const delivered = await waitUntil(() => seen((r) => r.url === `/job/${name}`)[0], { what: `job callback POST /job/${name}`, timeoutMs: 20_000, describe: describeRequests });
    expect(delivered.method).toBe('POST');
    expect(delivered.body).toContain(run);
  });
});
