import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, type TestSocket } from '@taskstream/testing';
import { call, logTail, podman, readStack, sql, waitUntil, type Stack } from './stack.js';

/**
 * The deployed system, as the chart describes it, in podman pods (npm run test:deploy): each role's
 * pod runs the one image beside a real daprd (mTLS from a sentry pod, the chart's components, its
 * access control), over the tier's own Kafka and PostgreSQL. Everything goes through the pods'
 * own addresses: the api for HTTP, the realtime pod for the WebSocket.
 */
interface Task {
  id: string;
  title: string;
  status: string;
  tags: string[];
  seriesId: string | null;
  occurrenceIndex: number | null;
  dueAt: string | null;
  reminders: { firesAt: string | null }[];
}
interface Page<T> {
  items: T[];
}
interface Notification {
  id: string;
  title: string;
  createdAt: string;
}
interface HistoryEntry {
  eventId: string;
  action: string;
}
interface Pushed {
  type: string;
  data?: unknown;
}

const run = randomUUID().slice(0, 8);
let stack: Stack;
let token = '';
let socket: TestSocket | undefined;
let weekly: Task;

const api = <T>(method: string, path: string, body?: unknown) => call<T>(stack.api, token, method, path, body);
const diagnostics = () => Object.values(stack.pods).map((p) => [logTail(stack, p.app, 15), p.daprd ? logTail(stack, p.daprd, 10) : ''].join('\n')).join('\n');
const taskOf = (m: Pushed) => (m.data as { task?: { id: string } | null } | undefined)?.task?.id;

beforeAll(async () => {
  stack = readStack();
  const email = `journey-${run}@example.com`;
  const res = await call<{ user: { id: string } }>(stack.api, null, 'POST', '/api/auth/sign-up/email', { email, password: 'correct horse battery', name: 'Journey', timeZone: 'Europe/Berlin' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  token = res.headers.get('set-auth-token') ?? '';
  expect(token).not.toBe('');
});
afterAll(async () => {
  await socket?.close();
});

describe('the chart\'s pods in podman, each with its Dapr sidecar', () => {
  it('a weekly task with a tag and a reminder: the realtime pod pushes the change over its WebSocket', async () => {
    // As the web app does: a short-lived JWT from the api pod, offered to the realtime pod as the
    // subprotocol bearer.<jwt> (the realtime pod checks it against the shared JWKS table).
    const jwt = await api<{ token: string }>('GET', '/api/auth/token');
    expect(jwt.status, JSON.stringify(jwt.body)).toBe(200);
    socket = await openSocket(stack.realtime, { protocols: ['taskstream', `bearer.${jwt.body.token}`] });
    expect(socket.ws.protocol).toBe('taskstream');
    expect((await socket.received(1))[0]).toMatchObject({ type: 'hello' });
    const remindAt = new Date(Date.now() + 6000).toISOString();
    const created = await api<Task>('POST', '/api/tasks', {
      title: `Weekly review ${run}`,
      tags: ['work'],
      // Whole minutes: occurrences are computed to the second.
      dueAt: new Date(Math.ceil((Date.now() + 2 * 3600_000) / 60_000) * 60_000).toISOString(),
      timeZone: 'Europe/Berlin',
      recurrence: { rule: 'weekly' },
      reminders: [{ remindAt }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    weekly = created.body;
    expect(weekly).toMatchObject({ tags: ['work'], occurrenceIndex: 0 });
    expect(weekly.seriesId).toBeTruthy();
    const pushed = await waitUntil(() => socket?.messages.find((m) => m.type === 'task.changed' && taskOf(m) === weekly.id), {
      what: 'task.changed for the new task over /ws (api → outbox → Dapr → Kafka → Dapr → realtime)',
      timeoutMs: 60_000,
      describe: diagnostics,
    });
    expect(pushed.data).toMatchObject({ task: { title: `Weekly review ${run}`, tags: ['work'] } });
  });

  it('the reminder becomes an in-app notification (notifications pod), pushed live too', async () => {
    const notification = await waitUntil(async () => (await api<Page<Notification>>('GET', '/api/notifications')).body.items.find((n) => n.title === weekly.title), {
      what: 'the in-app notification of the reminder',
      timeoutMs: 90_000,
      intervalMs: 1000,
      describe: diagnostics,
    });
    expect(Date.parse(notification.createdAt)).toBeGreaterThanOrEqual(Date.parse(weekly.reminders[0]?.firesAt ?? ''));
    const live = await waitUntil(() => socket?.messages.find((m) => m.type === 'notification.changed'), { what: 'notification.changed over /ws', timeoutMs: 60_000, describe: diagnostics });
    expect(live.data).toMatchObject({ notification: { id: notification.id, title: weekly.title } });
  });

  it('completing it creates exactly one next occurrence, by Dapr service invocation from the recurrence pod to the api pod with the app token', async () => {
    expect((await api<Task>('POST', `/api/tasks/${weekly.id}/complete`)).status).toBe(200);
    const series = async () => (await api<Page<Task>>('GET', '/api/tasks?status=open&recurring=true&limit=100')).body.items.filter((t) => t.seriesId === weekly.seriesId);
    const next = await waitUntil(async () => (await series())[0], { what: 'the next occurrence', timeoutMs: 90_000, intervalMs: 1000, describe: diagnostics });
    expect(next).toMatchObject({ title: weekly.title, tags: ['work'], occurrenceIndex: 1 });
    // A week after the first one (the preset keeps the weekday and the time).
    expect(Date.parse(next.dueAt ?? '') - Date.parse(weekly.dueAt ?? '')).toBe(7 * 24 * 3600_000);
    await new Promise((r) => setTimeout(r, 5000));
    expect(await series()).toHaveLength(1);
    // The sidecars' own metrics: the recurrence app invoked the api through its sidecar, and the api's
    // sidecar forwarded it to the api (with the app token: the api answers 401 without), which said 200.
    const metrics = async (role: string) => (await fetch(`http://${stack.pods[role]?.ip}:9090/metrics`)).text();
    expect(await metrics('recurrence')).toMatch(/dapr_http_server_request_count\{app_id="recurrence",method="POST",path="\/v1\.0\/invoke\/api\/method\/internal\/occurrences",status="200"\} [1-9]/);
    expect(await metrics('api')).toMatch(/dapr_http_client_completed_count\{app_id="api",method="POST",path="internal\/occurrences",status="200"\} [1-9]/);
  });

  it('the internal and sidecar-only routes refuse calls without the app token, and Dapr\'s access control refuses other apps', async () => {
    const direct = await call<{ code: string }>(stack.api, null, 'POST', '/internal/occurrences', { userId: 'x', seriesId: randomUUID(), occurrenceIndex: 1, dueAt: new Date().toISOString(), template: { title: 'x', description: '', priority: 'low', tags: [], reminderOffsets: [] } });
    expect(direct.status).toBe(401);
    expect(direct.body.code).toBe('service_unauthenticated');
    // A forged event straight to a consumer pod's subscription routes (what only its sidecar may call).
    const forged = await call<{ code: string }>(stack.pods.audit?.url ?? '', null, 'GET', '/dapr/subscribe');
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('sidecar_unauthenticated');
    // From the audit pod, through its own sidecar: the api's sidecar denies the audit app (only recurrence may call).
    const script = "fetch('http://127.0.0.1:3500/v1.0/invoke/api/method/internal/occurrences',{method:'POST',headers:{'content-type':'application/json'},body:'{}'}).then(async r=>{console.log(r.status+' '+(await r.text()))})";
    const r = podman(stack, ['exec', stack.pods.audit?.app ?? '', 'node', '-e', script]);
    expect(r.stdout, r.stderr).toMatch(/^403 .*access control policy has denied access to id: spiffe:\/\/public\/ns\/taskstream\/audit/);
  });

  it('the audit history (audit pod) shows the creation and the completion', async () => {
    const history = await waitUntil(
      async () => {
        const h = await api<Page<HistoryEntry>>('GET', `/api/tasks/${weekly.id}/history`);
        return h.status === 200 && h.body.items.length >= 2 ? h.body.items : null;
      },
      { what: 'created and completed in the history', timeoutMs: 60_000, describe: diagnostics },
    );
    expect(history.map((e) => e.action)).toEqual(['created', 'completed']);
  });

  it('a consumer pod restarted while changes happen loses no event and applies none twice', async () => {
    const audit = stack.pods.audit;
    if (!audit) throw new Error('no audit pod in the stack');
    const titles = Array.from({ length: 4 }, (_, i) => `Restart ${run} #${i}`);
    const ids: string[] = [];
    const change = async (title: string) => {
      const t = await api<Task>('POST', '/api/tasks', { title });
      expect(t.status).toBe(201);
      ids.push(t.body.id);
      expect((await api('PATCH', `/api/tasks/${t.body.id}`, { priority: 'high' })).status).toBe(200);
      expect((await api('POST', `/api/tasks/${t.body.id}/complete`)).status).toBe(200);
    };
    // One change just before the stop (maybe in flight), two while the pod is down, one after it is back.
    await change(titles[0] ?? '');
    const stopped = podman(stack, ['pod', 'stop', '--time', '30', audit.pod], 120_000);
    expect(stopped.code, stopped.stderr).toBe(0);
    await change(titles[1] ?? '');
    await change(titles[2] ?? '');
    const started = podman(stack, ['pod', 'start', audit.pod], 120_000);
    expect(started.code, started.stderr).toBe(0);
    await waitUntil(async () => (await fetch(`${audit.url}/readyz`).catch(() => null))?.ok, { what: 'the audit pod ready again', timeoutMs: 180_000, intervalMs: 1000, describe: diagnostics });
    await change(titles[3] ?? '');

    for (const id of ids) {
      const history = await waitUntil(
        async () => {
          const h = await api<Page<HistoryEntry>>('GET', `/api/tasks/${id}/history`);
          return h.body.items.length >= 3 ? h.body.items : null;
        },
        { what: `three history entries of ${id}`, timeoutMs: 180_000, intervalMs: 1000, describe: diagnostics },
      );
      expect(history.map((e) => e.action)).toEqual(['created', 'updated', 'completed']);
    }
    // Every task event the api recorded (outbox) is in the audit trail exactly once, and nothing else is.
    const published = await sql<{ event_id: string }>(stack, `select event_id::text from outbox where topic = 'task-events' and (event->'data'->>'taskId') = any($1::text[]) order by event_id`, [ids]);
    const audited = await sql<{ event_id: string }>(stack, 'select event_id from audit_entries where task_id = any($1::uuid[]) order by event_id', [ids]);
    expect(published).toHaveLength(12);
    expect(audited.map((a) => a.event_id)).toEqual(published.map((p) => p.event_id));
    const deadLettered = await sql<{ n: number }>(stack, "select count(*)::int as n from dead_letters where consumer = 'audit'");
    expect(deadLettered[0]?.n).toBe(0);
  });
});
