import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

// What one user may keep of the chat and how fast they may call chat and MCP, with small limits.
// The clock moves a second at every reading, so "least recently used" is never a tie.
let clock = new Date('2026-03-06T15:00:00Z').getTime();
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    now: () => new Date((clock += 1000)),
    env: { CHAT_CONVERSATIONS_PER_USER: '2', CHAT_MESSAGES_PER_CONVERSATION: '4', CHAT_RATE_LIMIT_PER_MINUTE: '5', MCP_RATE_LIMIT_PER_MINUTE: '3' },
  });
});
afterAll(() => t?.close());

const chat = (user: TestUser, payload: object) => t.app.inject({ method: 'POST', url: '/api/chat', headers: user.headers, payload });
const history = (user: TestUser, id: string, query = '') => t.app.inject({ method: 'GET', url: `/api/chat/${id}${query}`, headers: user.headers });
const start = async (user: TestUser, message: string): Promise<string> => (await chat(user, { message })).json<{ conversationId: string }>().conversationId;

describe('GET /api/chat/:conversationId pages', () => {
  it('returns the messages oldest first, limit at a time, with a cursor to the rest', async () => {
    const ada = await t.signUp();
    const id = await start(ada, 'add water plants');
    await chat(ada, { conversationId: id, message: 'list my tasks' });

    const first = (await history(ada, id, '?limit=3')).json();
    expect(first.messages.map((m: any) => m.content.split('\n')[0])).toEqual(['add water plants', expect.stringContaining('Water plants'), 'list my tasks']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = (await history(ada, id, `?limit=3&cursor=${first.nextCursor}`)).json();
    expect(rest.messages.map((m: any) => m.role)).toEqual(['assistant']);
    expect(rest.nextCursor).toBeNull();
    expect((await history(ada, id)).json().messages).toHaveLength(4);

    expect((await history(ada, id, '?cursor=abc')).json()).toMatchObject({ status: 400, code: 'validation_failed', errors: [{ path: 'query.cursor' }] });
    expect((await history(ada, id, '?limit=201')).statusCode).toBe(400);
  });
});

describe('chat limits', () => {
  it('refuses a turn beyond CHAT_MESSAGES_PER_CONVERSATION with 409 limit_reached, storing nothing; a new conversation goes on', async () => {
    const ada = await t.signUp();
    const id = await start(ada, 'add call mum');
    expect((await chat(ada, { conversationId: id, message: 'list my tasks' })).statusCode).toBe(200);

    const full = await chat(ada, { conversationId: id, message: 'add call dad' });
    expect(full.statusCode).toBe(409);
    expect(full.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(full.json()).toMatchObject({ code: 'limit_reached', detail: expect.stringMatching(/reached 4 messages.*Start a new one: send your message without conversationId/) });
    expect((await history(ada, id)).json().messages).toHaveLength(4);
    const tasks = (await t.app.inject({ method: 'GET', url: '/api/tasks', headers: ada.headers })).json().items.map((x: any) => x.title);
    expect(tasks).toEqual(['Call mum']);

    expect((await chat(ada, { message: 'add call dad' })).statusCode).toBe(200);
  });

  it('keeps CHAT_CONVERSATIONS_PER_USER conversations: starting one more deletes the least recently used', async () => {
    const ada = await t.signUp();
    const bob = await t.signUp();
    const bobs = await start(bob, 'list my tasks');
    const first = await start(ada, 'list my tasks');
    const second = await start(ada, 'list my tasks');
    // Using the first makes the second the least recently used.
    await chat(ada, { conversationId: first, message: 'list my tasks' });
    const third = await start(ada, 'list my tasks');

    expect((await history(ada, second)).json()).toMatchObject({ status: 404, code: 'conversation_not_found' });
    expect((await history(ada, first)).statusCode).toBe(200);
    expect((await history(ada, third)).statusCode).toBe(200);
    expect((await history(bob, bobs)).statusCode).toBe(200);
  });

  it('answers 429 rate_limited with Retry-After beyond CHAT_RATE_LIMIT_PER_MINUTE, for that user only', async () => {
    const ada = await t.signUp();
    const bob = await t.signUp();
    for (let i = 0; i < 5; i++) expect((await chat(ada, { message: 'list my tasks' })).statusCode).toBe(200);
    const limited = await chat(ada, { message: 'list my tasks' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ code: 'rate_limited', detail: expect.stringMatching(/Too many chat messages: at most 5 per 60 seconds for one user\. Try again in \d+ seconds\./) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await chat(bob, { message: 'list my tasks' })).statusCode).toBe(200);
  });

  it('answers 429 beyond MCP_RATE_LIMIT_PER_MINUTE on POST /mcp, for that user only', async () => {
    const ada = await t.signUp();
    const bob = await t.signUp();
    const mcp = (user: TestUser) =>
      t.app.inject({
        method: 'POST',
        url: '/mcp',
        headers: { ...user.headers, accept: 'application/json, text/event-stream', 'content-type': 'application/json' },
        payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      });
    for (let i = 0; i < 3; i++) expect((await mcp(ada)).statusCode).toBe(200);
    const limited = await mcp(ada);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'rate_limited', detail: expect.stringContaining('MCP requests') });
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect((await mcp(bob)).statusCode).toBe(200);
  });
});
