// Smoke test of a running Taskstream, from the outside (a port-forward, an ingress URL, or a local
// process): probes, a new account, a task, and the task's audit history, which only appears once
// the task.created event went through the outbox, the bus (Kafka via Dapr in a cluster) and the
// audit consumer. Node built-ins only.
//   node scripts/deploy/smoke.mjs http://localhost:8080 [--timeout 120] [--origin <PUBLIC_URL>]
// Sign-up checks the Origin header against PUBLIC_URL: --origin defaults to the base URL.
// --probes-only: just /healthz and /readyz (for production, where a test account is unwelcome).
// Prints one line per step and "smoke: N passed, N failed"; exit 1 on a failure.
const [base = 'http://localhost:8080', ...rest] = process.argv.slice(2);
const timeoutArg = rest.indexOf('--timeout');
const timeoutMs = (timeoutArg >= 0 ? Number(rest[timeoutArg + 1]) : 120) * 1000;
const originArg = rest.indexOf('--origin');
const origin = originArg >= 0 ? String(rest[originArg + 1]) : new URL(base).origin;
const probesOnly = rest.includes('--probes-only');
const deadline = Date.now() + timeoutMs;

let passed = 0;
let failed = 0;
/** @param {string} name @param {() => Promise<string | void>} fn */
async function stepCheck(name, fn) {
  try {
    const note = await fn();
    passed++;
    console.log(`ok   ${name}${note ? ` (${note})` : ''}`);
    return true;
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e instanceof Error ? e.message : e}`);
    return false;
  }
}

/** Retries `fn` until it stops throwing or the overall deadline passes (bounded). */
async function eventually(/** @type {() => Promise<string | void>} */ fn) {
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** @param {string} path @param {RequestInit & { json?: unknown }} [init] */
async function call(path, init = {}) {
  const headers = { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(auth ? { authorization: `Bearer ${auth}` } : {}), origin, ...init.headers };
  const res = await fetch(new URL(path, base), { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { res, body };
}
let auth = '';

const ok = (/** @type {{ res: Response, body: unknown }} */ r, /** @type {string} */ what) => {
  if (!r.res.ok) throw new Error(`${what}: HTTP ${r.res.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
};

await stepCheck('GET /healthz', () => eventually(async () => void ok(await call('/healthz'), '/healthz')));
await stepCheck('GET /readyz (database reachable)', () => eventually(async () => JSON.stringify(ok(await call('/readyz'), '/readyz'))));
const email = `smoke-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const signedUp = !probesOnly && await stepCheck('sign up (POST /api/auth/sign-up/email)', async () => {
  const r = await call('/api/auth/sign-up/email', { method: 'POST', json: { email, password: 'smoke-test-password-1', name: 'Smoke Test' } });
  ok(r, 'sign-up');
  auth = r.res.headers.get('set-auth-token') ?? /** @type {{ token?: string }} */ (r.body)?.token ?? '';
  if (!auth) throw new Error('no bearer token in the sign-up answer (set-auth-token header or token field)');
  return email;
});
/** @type {string} */
let taskId = '';
if (signedUp) {
  await stepCheck('create a task (POST /api/tasks)', async () => {
    const body = /** @type {{ id: string }} */ (ok(await call('/api/tasks', { method: 'POST', json: { title: 'Smoke test task', priority: 'high' } }), 'create task'));
    taskId = body.id;
    return taskId;
  });
}
if (taskId) {
  await stepCheck('list tasks shows it (GET /api/tasks)', async () => {
    const body = /** @type {{ items: { id: string }[] }} */ (ok(await call('/api/tasks'), 'list tasks'));
    if (!body.items.some((t) => t.id === taskId)) throw new Error('the new task is not listed');
  });
  await stepCheck('its history is recorded by the audit consumer (event delivered)', () =>
    eventually(async () => {
      const body = /** @type {{ items: unknown[] }} */ (ok(await call(`/api/tasks/${taskId}/history`), 'history'));
      if (body.items.length === 0) throw new Error(`no history yet after ${timeoutMs / 1000}s`);
      return `${body.items.length} entr${body.items.length === 1 ? 'y' : 'ies'}`;
    }),
  );
}
console.log(`smoke: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
