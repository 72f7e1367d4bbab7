import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, unknown>;
  security?: unknown[];
}
interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { securitySchemes?: Record<string, unknown>; schemas?: Record<string, unknown> };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let t: TestApp;
let user: TestUser;

beforeAll(async () => {
  // With the real-time service, so the document has GET /ws too.
  t = await createTestApp({ realtime: true });
  user = await t.signUp();
});
afterAll(() => t.close());

describe('probes', () => {
  it('/healthz answers 200 without credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 and names the database', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: t.database.kind });
  });
});

describe('/metrics', () => {
  it('counts requests by route template and reports the database pool', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/tasks?limit=5', headers: user.headers });
    expect(list.statusCode, list.body).toBe(200);
    const created = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: user.headers, payload: { title: 'metric me' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const one = await t.app.inject({ method: 'GET', url: `/api/tasks/${id}`, headers: user.headers });
    expect(one.statusCode).toBe(200);

    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    const requestLines = text.split('\n').filter((l) => l.startsWith('http_requests_total{'));
    const tasksGet = requestLines.find((l) => l.includes('route="/api/tasks"') && l.includes('method="GET"') && l.includes('status_code="200"'));
    expect(tasksGet, requestLines.join('\n')).toBeDefined();
    expect(Number(tasksGet!.split(' ').at(-1))).toBeGreaterThanOrEqual(1);
    expect(requestLines.some((l) => l.includes('route="/api/tasks"') && l.includes('method="POST"') && l.includes('status_code="201"'))).toBe(true);
    // Route templates, never raw URLs, so label cardinality stays bounded.
    expect(requestLines.some((l) => l.includes('route="/api/tasks/:id"'))).toBe(true);
    expect(text).not.toContain(id);
    expect(text).not.toContain('limit=5');

    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(/^db_pool_connections\{state="total"\} \d+/m);
    expect(text).toMatch(/^db_pool_connections\{state="idle"\} \d+/m);
    expect(text).toMatch(/^db_pool_connections\{state="waiting"\} \d+/m);
  });

  it('labels unknown URLs with one shared route', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/no/such/path/12345' });
    expect(missing.statusCode).toBe(404);
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).not.toContain('/no/such/path');
    expect(text).toMatch(/^http_requests_total\{[^}]*status_code="404"[^}]*\} \d+/m);
  });
});

describe('/openapi.json', () => {
  let doc: OpenApiDoc;
  beforeAll(async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.json<OpenApiDoc>();
  });

  it('is OpenAPI 3.1.0 with bearer and cookie security', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Taskstream API');
    expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual(['bearer', 'cookie']);
  });

  it('describes the task list query parameters and the create body', () => {
    const tasks = doc.paths['/api/tasks'];
    expect(tasks).toBeDefined();
    const params = (tasks!.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['q', 'status', 'priority', 'tags', 'tagMode', 'sort', 'order', 'limit', 'cursor']));
    expect(tasks!.post?.requestBody?.content).toHaveProperty(['application/json']);
  });

  it('lists the tag, profile and recurrence routes', () => {
    expect(Object.keys(doc.paths['/api/tags'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/api/tags/{id}'] ?? {})).toEqual(expect.arrayContaining(['patch', 'delete']));
    expect(Object.keys(doc.paths['/api/me'] ?? {})).toEqual(expect.arrayContaining(['get', 'patch']));
    const preview = doc.paths['/api/recurrence/preview']?.get;
    expect(preview).toBeDefined();
    expect((preview!.parameters ?? []).map((p) => p.name)).toEqual(expect.arrayContaining(['rule', 'zone', 'start', 'count']));
  });

  it('describes the Better Auth routes clients sign up and sign in with, failing in problem+json', () => {
    for (const path of ['/api/auth/sign-up/email', '/api/auth/sign-in/email']) {
      const op = doc.paths[path]?.post;
      expect(op, path).toBeDefined();
      const body = op!.requestBody?.content?.['application/json'] as { schema: { required: string[] } };
      expect(body.schema.required).toEqual(expect.arrayContaining(['email', 'password']));
      expect(Object.keys(op!.responses ?? {}).sort()).toEqual(['200', '4XX']);
      expect(op!.responses!['4XX']).toHaveProperty(['content', 'application/problem+json', 'schema', 'required'], ['type', 'title', 'status', 'detail', 'code']);
      // Callable before signing in.
      expect(op!.security).toEqual([]);
    }
    for (const path of ['/api/auth/sign-out', '/api/auth/get-session', '/api/auth/token', '/api/auth/jwks']) expect(doc.paths, path).toHaveProperty([path]);
    // A 3.1 document: the user's optional image is null, written as a type, not 3.0's `nullable`.
    expect(JSON.stringify(doc)).not.toContain('"nullable"');
    expect(doc.components).toHaveProperty(['schemas', 'AuthUser', 'properties', 'image', 'type'], ['string', 'null']);
  });

  it('declares what GET /ws answers besides the upgrade: 401 without credentials, 426 without a handshake', () => {
    expect(Object.keys(doc.paths['/ws']?.get?.responses ?? {})).toEqual(expect.arrayContaining(['101', '401', '426']));
    expect(doc.paths['/ws']!.get!.responses).not.toHaveProperty(['200']);
  });

  it('hides the operational and auth proxy routes', () => {
    for (const hidden of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/api/auth/*', '/api/auth/{*}']) {
      expect(doc.paths).not.toHaveProperty([hidden]);
    }
  });
});

describe('/docs', () => {
  it('serves the API reference as HTML (a browser follows /docs to /docs/)', async () => {
    const bare = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 301, 302, 308]).toContain(bare.statusCode);
    const url = bare.statusCode === 200 ? '/docs' : String(bare.headers.location);
    expect(url).toMatch(/^\/docs\/?$/);

    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
    expect(res.body).toContain('/openapi.json');

    // The page's script is served too.
    const script = res.body.match(/<script src="([^"]+)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await t.app.inject({ method: 'GET', url: new URL(script!, `http://localhost${url.endsWith('/') ? url : `${url}/`}`).pathname });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });
});

describe('request ids', () => {
  it('puts a fresh x-request-id on every response', async () => {
    const responses = await Promise.all([
      t.app.inject({ method: 'GET', url: '/healthz' }),
      t.app.inject({ method: 'GET', url: '/api/tasks', headers: user.headers }),
      t.app.inject({ method: 'GET', url: '/api/tasks' }),
      t.app.inject({ method: 'GET', url: '/nowhere' }),
      t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: user.email, password: 'wrong password!' } }),
    ]);
    const ids = responses.map((r) => r.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('quotes the request id in problem bodies', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/tasks' });
    expect(res.statusCode).toBe(401);
    expect(res.json<{ requestId: string }>().requestId).toBe(res.headers['x-request-id']);
  });

  it('echoes an incoming x-request-id', async () => {
    const ok = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-abc-123' } });
    expect(ok.headers['x-request-id']).toBe('trace-abc-123');
    const failed = await t.app.inject({ method: 'GET', url: '/api/tasks', headers: { 'x-request-id': 'trace-def-456' } });
    expect(failed.statusCode).toBe(401);
    expect(failed.headers['x-request-id']).toBe('trace-def-456');
    expect(failed.json<{ requestId: string }>().requestId).toBe('trace-def-456');
  });
});
