import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './testing/test-app.js';
import { openSocket, refusedUpgrade, type Received, type SocketOptions, type TestSocket } from '@taskstream/testing';

/**
 * GET /ws end to end: a real listening server, real ws clients, and task changes travelling
 * PATCH → outbox → relay → in-process bus → real-time consumer → resume buffer → sockets.
 */

let t: TestApp;
let url: string;
let ada: TestUser;
let bob: TestUser;
const open: TestSocket[] = [];

beforeAll(async () => {
  t = await createTestApp({ events: true, realtime: true, listen: true });
  url = t.url!;
  [ada, bob] = [await t.signUp(), await t.signUp()];
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(() => t.close());

const connect = async (options: Parameters<typeof openSocket>[1] = {}) => {
  const socket = await openSocket(url, options);
  open.push(socket);
  return socket;
};
const as = (user: TestUser, query: Record<string, string> = {}) => connect({ headers: user.headers, query });

async function createTask(user: TestUser, title: string): Promise<{ id: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: user.headers, payload: { title } });
  expect(res.statusCode).toBe(201);
  return res.json();
}
async function rename(user: TestUser, id: string, title: string): Promise<void> {
  const res = await t.app.inject({ method: 'PATCH', url: `/api/tasks/${id}`, headers: user.headers, payload: { title } });
  expect(res.statusCode).toBe(200);
}
const titleOf = (m: Received) => (m.data as { task: { title: string } | null }).task?.title;
const pushed = (s: TestSocket) => s.messages.filter((m) => m.type !== 'hello');

describe('GET /ws fan-out', () => {
  it('a task change reaches every connection of its user and no one else', async () => {
    const [first, second, other] = [await as(ada), await as(ada), await as(bob)];
    for (const s of [first, second, other]) expect((await s.received(1))[0]).toMatchObject({ type: 'hello' });
    const task = await createTask(ada, 'Ada only');
    const [[, a1], [, a2]] = await Promise.all([first.received(2), second.received(2)]);
    expect(a1).toMatchObject({ type: 'task.changed', data: { userId: ada.id, taskId: task.id, operation: 'created' } });
    expect(titleOf(a1!)).toBe('Ada only');
    expect(a2).toEqual(a1);
    expect(typeof a1!.id).toBe('string');
    // Bob's own change is the marker: anything of Ada's sent to him would have arrived before it.
    await createTask(bob, 'Bob marker');
    await other.received(2);
    expect(other.messages.map((m) => m.type === 'hello' ? 'hello' : titleOf(m))).toEqual(['hello', 'Bob marker']);
    expect(first.messages).toHaveLength(2);
  });

  it('keeps one user\'s messages in the order of the changes', async () => {
    const socket = await as(ada);
    const task = await createTask(ada, 'v0');
    for (let i = 1; i <= 5; i++) await rename(ada, task.id, `v${i}`);
    const messages = await socket.received(7);
    expect(messages.slice(1).map(titleOf)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5']);
  });
});

describe('GET /ws authentication', () => {
  it('accepts the session cookie (from our origin or no origin), a bearer session token and a JWT from /api/auth/token offered as a subprotocol', async () => {
    const signIn = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: ada.email, password: 'correct horse battery' } });
    const cookie = ([signIn.headers['set-cookie']].flat().filter((c): c is string => !!c)).map((c) => c.split(';')[0]).join('; ');
    expect(cookie).toMatch(/session_token=/);
    const jwt = (await t.app.inject({ method: 'GET', url: '/api/auth/token', headers: ada.headers })).json<{ token: string }>().token;
    const sockets = [
      await connect({ headers: { cookie } }),
      await connect({ headers: { cookie, origin: 'http://localhost:8080' } }),
      await as(ada),
      await connect({ protocols: ['taskstream', `bearer.${jwt}`] }),
    ];
    for (const s of sockets) await s.received(1);
    await createTask(ada, 'for every credential');
    for (const s of sockets) expect(titleOf((await s.received(2))[1]!)).toBe('for every credential');
  });

  it('refuses missing or bad credentials with 401 problem+json before the upgrade', async () => {
    const jwt = (await t.app.inject({ method: 'GET', url: '/api/auth/token', headers: ada.headers })).json<{ token: string }>().token;
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: bob.id })).toString('base64url');
    const attempts: SocketOptions[] = [
      {},
      { headers: { authorization: 'Bearer not-a-session' } },
      { headers: { cookie: 'better-auth.session_token=forged.value' } },
      { protocols: ['taskstream', 'bearer.not-a-jwt'] },
      { protocols: ['taskstream', `bearer.${header}.${forged}.${signature}`] },
      // A valid session does not rescue an invalid token.
      { headers: ada.headers, protocols: ['taskstream', 'bearer.not-a-jwt'] },
    ];
    for (const attempt of attempts) {
      const refused = await refusedUpgrade(url, attempt);
      expect(refused.status, JSON.stringify(attempt)).toBe(401);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(refused.body)).toMatchObject({ status: 401, code: 'unauthenticated' });
    }
  });

  it('takes the JWT from the subprotocol bearer.<jwt> and answers with taskstream, never echoing the token', async () => {
    const jwt = (await t.app.inject({ method: 'GET', url: '/api/auth/token', headers: ada.headers })).json<{ token: string }>().token;
    // The bearer offered first: the answer is still taskstream, not the first offer.
    const socket = await connect({ protocols: [`bearer.${jwt}`, 'taskstream'] });
    expect(socket.ws.protocol).toBe('taskstream');
    await socket.received(1);
    await createTask(ada, 'through the subprotocol');
    expect(titleOf((await socket.received(2))[1]!)).toBe('through the subprotocol');
    // Without taskstream beside it, a browser would fail the handshake that answers none of its offers: refused up front.
    const alone = await refusedUpgrade(url, { protocols: [`bearer.${jwt}`] });
    expect(alone.status).toBe(400);
    expect(JSON.parse(alone.body)).toMatchObject({ code: 'invalid_protocols' });
  });

  it('refuses a token in the URL (it would end up in access logs) with 400 that says where to put it', async () => {
    const jwt = (await t.app.inject({ method: 'GET', url: '/api/auth/token', headers: ada.headers })).json<{ token: string }>().token;
    for (const attempt of [{ query: { token: jwt } }, { headers: ada.headers, query: { token: jwt } }]) {
      const refused = await refusedUpgrade(url, attempt);
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body)).toMatchObject({ code: 'token_in_url', errors: [{ path: 'query.token' }] });
      expect(JSON.parse(refused.body).detail).toMatch(/bearer\.<JWT>/);
    }
  });

  it('refuses the cookie from a foreign origin (cross-site WebSocket hijacking) with 403', async () => {
    const signIn = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: ada.email, password: 'correct horse battery' } });
    const cookie = [signIn.headers['set-cookie']].flat().filter((c): c is string => !!c).map((c) => c.split(';')[0]).join('; ');
    const refused = await refusedUpgrade(url, { headers: { cookie, origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'origin_not_allowed' });
  });

  it('answers a plain GET /ws with 426 Upgrade Required', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/ws', headers: ada.headers });
    expect(res.statusCode).toBe(426);
    expect(res.json()).toMatchObject({ code: 'upgrade_required' });
  });
});

describe('GET /ws resume', () => {
  it('after a disconnect, lastEventId (or Last-Event-ID) brings exactly the missed messages, in order, then live ones', async () => {
    // The watcher sees every message; waiting on it keeps each step after the previous event
    // went through the pipeline (on PostgreSQL the relay may still be publishing the creation).
    const watcher = await as(ada);
    const task = await createTask(ada, 'resume v0');
    await watcher.received(2);
    const first = await as(ada);
    await first.received(1);
    await rename(ada, task.id, 'resume v1');
    const [, seen] = await first.received(2);
    expect(titleOf(seen!)).toBe('resume v1');
    await first.close();
    await rename(ada, task.id, 'resume v2');
    await rename(ada, task.id, 'resume v3');
    // Once the watcher has both, they are in the resume buffer.
    await watcher.received(5);
    const viaQuery = await as(ada, { lastEventId: seen!.id! });
    const viaHeader = await connect({ headers: { ...ada.headers, 'last-event-id': seen!.id! } });
    for (const s of [viaQuery, viaHeader]) {
      const [hello, ...missed] = await s.received(3);
      expect(hello).toEqual({ type: 'hello', id: missed[1]!.id });
      expect(missed.map(titleOf)).toEqual(['resume v2', 'resume v3']);
    }
    await rename(ada, task.id, 'resume v4');
    for (const s of [viaQuery, viaHeader]) {
      await s.received(4);
      expect(pushed(s).map(titleOf)).toEqual(['resume v2', 'resume v3', 'resume v4']);
    }
  });

  it('an id that is not buffered gets resync, then live messages', async () => {
    const socket = await as(ada, { lastEventId: '00000000-0000-7000-8000-000000000000' });
    expect(await socket.received(2)).toEqual([expect.objectContaining({ type: 'hello' }), { type: 'resync' }]);
    await createTask(ada, 'after resync');
    expect(titleOf((await socket.received(3))[2]!)).toBe('after resync');
  });
});

describe('GET /ws metrics', () => {
  it('reports open connections and messages sent', async () => {
    // hello comes once the connection is registered with the hub.
    await (await as(ada)).received(1);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^realtime_connections [1-9]/m);
    expect(metrics).toMatch(/^realtime_messages_sent_total [1-9]/m);
    expect(metrics).toMatch(/^realtime_slow_client_closes_total 0$/m);
  });
});
