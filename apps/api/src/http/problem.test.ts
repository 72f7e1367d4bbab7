import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../testing/test-app.js';

let t: TestApp;
let ada: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  ada = await t.signUp();
});
afterAll(() => t.close());

const raw = (method: 'POST' | 'PATCH', url: string, body: string | Buffer | undefined, contentType?: string) =>
  t.app.inject({ method, url, headers: { ...ada.headers, ...(contentType && { 'content-type': contentType }) }, ...(body !== undefined && { body }) });

function expectProblem(res: Awaited<ReturnType<typeof raw>>, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = res.json<Record<string, unknown>>();
  expect(p).toMatchObject({ status, code, title: expect.any(String), type: expect.stringContaining('problems/') });
  expect(typeof p.detail).toBe('string');
  expect(p.requestId).toBe(res.headers['x-request-id']);
  return p;
}

describe('problem+json for everything a client can get wrong', () => {
  it('malformed JSON', async () => {
    const p = expectProblem(await raw('POST', '/api/tasks', '{"title": "x",', 'application/json'), 400, 'invalid_json');
    expect(p.detail).toMatch(/JSON/);
  });

  it('missing body', async () => {
    expectProblem(await raw('POST', '/api/tasks', undefined), 400, 'body_required');
    expectProblem(await raw('POST', '/api/tasks', '', 'application/json'), 400, 'body_required');
  });

  it('wrong types and a JSON value that is not an object', async () => {
    const p = expectProblem(await raw('POST', '/api/tasks', JSON.stringify({ title: 42, tags: 'work' }), 'application/json'), 400, 'validation_failed');
    expect((p.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['body.tags', 'body.title']);
    expectProblem(await raw('POST', '/api/tasks', '[1,2]', 'application/json'), 400, 'validation_failed');
    expectProblem(await raw('POST', '/api/tasks', 'null', 'application/json'), 400, 'body_required');
  });

  it('unknown enum values name the allowed ones', async () => {
    const p = expectProblem(await raw('POST', '/api/tasks', JSON.stringify({ title: 'x', priority: 'asap' }), 'application/json'), 400, 'validation_failed');
    expect(p.detail).toMatch(/low|urgent/);
  });

  it('oversize body', async () => {
    const big = JSON.stringify({ title: 'x', description: 'y'.repeat(1_100_000) });
    expectProblem(await raw('POST', '/api/tasks', big, 'application/json'), 413, 'body_too_large');
  });

  it('wrong content type', async () => {
    expectProblem(await raw('POST', '/api/tasks', 'title=x', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
  });

  it('prototype poisoning', async () => {
    const res = await raw('POST', '/api/tasks', '{"title":"x","__proto__":{"admin":true}}', 'application/json');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('unknown routes and missing credentials', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/nothing' }), 404, 'route_not_found');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/tasks' }), 401, 'unauthenticated');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/tasks', headers: { authorization: 'Bearer forged' } }), 401, 'unauthenticated');
  });

  it('never answers 5xx to garbage, and garbage changes nothing', async () => {
    const bodies = [
      '{', '}', '""', '0', 'true', '{"title":{}}', '{"title":"x","dueAt":12}', '{"title":"x","reminders":{}}',
      '{"title":"x","reminders":[null]}', '{"title":"x","reminders":[{"offsetMinutes":-1}]}', '{"title":"x","reminders":[{"offsetMinutes":1.5}]}',
      '{"title":"x","recurrence":"daily"}', '{"title":"x","recurrence":{"rule":""}}', '{"title":"x","dueAt":"2026-13-45T25:61"}',
      '{"title":"x","dueAt":"9999999-01-01T00:00"}', '{"title":"\\u0000"}', '{"title":"x","tags":[""]}', '{"title":"x","tags":["a,b"]}',
      '{"title":"x","timeZone":""}', '{"title":"x","timeZone":"../../etc/passwd"}', '{"title":"x","dueAt":"2026-12-01T09:00","recurrence":{"rule":"FREQ=DAILY;DTSTART=20260101T000000Z"}}',
      '{"title":"x","dueAt":"2026-12-01T09:00","recurrence":{"rule":"FREQ=SECONDLY"}}', '{"title":"x","dueAt":"2026-12-01T09:00","recurrence":{"rule":"daily","until":"2020-01-01T00:00:00Z"}}',
    ];
    for (const body of bodies) {
      const res = await raw('POST', '/api/tasks', body, 'application/json');
      expect(res.statusCode, body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${body} → ${res.body}`).toBeLessThan(500);
    }
    const queries = ['limit=abc', 'cursor=%00', 'q=' + '%27'.repeat(50), 'q=a%3A*%20%26%20!b', 'dueAfter=2026-01-01', 'tags=' + ',' .repeat(60), 'q=' + 'x'.repeat(201)];
    for (const q of queries) {
      const res = await t.app.inject({ method: 'GET', url: `/api/tasks?${q}`, headers: ada.headers });
      expect(res.statusCode, `${q} → ${res.body}`).toBeLessThan(500);
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/tasks', headers: ada.headers });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
  });
});
