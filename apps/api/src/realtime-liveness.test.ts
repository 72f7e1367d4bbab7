import { connect, type Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@taskstream/db';
import { appendToOutbox } from '@taskstream/bus';
import { createEvent, TOPICS, type TaskSnapshot } from '@taskstream/events';
import { bearerToken, createTestApp, type TestApp, type TestUser } from './testing/test-app.js';
import { openSocket, refusedUpgrade, UpgradeRejected, type TestSocket } from '@taskstream/testing';

/** Dead and slow WebSocket clients, each against an app with settings that make them show quickly. */

describe('heartbeat', () => {
  let t: TestApp;
  let ada: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ realtime: { WS_HEARTBEAT_MS: 150 }, listen: true });
    ada = await t.signUp();
  });
  afterAll(() => t.close());

  it('terminates a client that does not answer pings and keeps one that does', async () => {
    const dead = await openSocket(t.url!, { headers: ada.headers, autoPong: false });
    const alive = await openSocket(t.url!, { headers: ada.headers });
    let pings = 0;
    const threePings = new Promise<void>((resolve) => alive.ws.on('ping', () => ++pings === 3 && resolve()));
    const { code } = await dead.closed;
    // Terminated, not closed politely: no close frame arrives (1006 on the client).
    expect(code).toBe(1006);
    await threePings;
    expect(alive.ws.readyState).toBe(alive.ws.OPEN);
    expect(t.process.services.realtime!.hub.stats()).toMatchObject({ heartbeatTerminations: 1, connections: 1 });
    await alive.close();
  });
});

describe('backpressure', () => {
  let t: TestApp;
  let ada: TestUser;
  let snapshot: TaskSnapshot;
  beforeAll(async () => {
    t = await createTestApp({ events: true, realtime: { WS_MAX_BUFFERED_BYTES: 64 * 1024, REALTIME_RESUME_SIZE: 2 }, listen: true });
    ada = await t.signUp();
    snapshot = (await t.app.inject({ method: 'POST', url: '/api/tasks', headers: ada.headers, payload: { title: 'big' } })).json<TaskSnapshot>();
    // Let the creation's events through first (on PostgreSQL the relay may still be publishing
    // them), so the tests below count only their own messages.
    for (let pending = 1; pending > 0; await new Promise((r) => setTimeout(r, 20))) {
      pending = (await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from outbox where published_at is null`))[0]?.n ?? 0;
    }
  });
  afterAll(() => t.close());

  /** Large task.changed events through the real outbox → relay → bus path (the API caps descriptions at 10k). */
  async function publishBig(count: number): Promise<void> {
    const description = 'x'.repeat(256 * 1024);
    const events = Array.from({ length: count }, () =>
      createEvent('task.changed', { userId: ada.id, taskId: snapshot.id, operation: 'updated', task: { ...snapshot, description } }, { source: 'test/backpressure', subject: snapshot.id, partitionKey: ada.id }),
    );
    await t.database.db.transaction((tx) => appendToOutbox(tx, events.map((event) => ({ topic: TOPICS.taskUpdates, event }))));
  }

  it('closes a client that stopped reading with 1013 while the others keep receiving', async () => {
    const slow = await openSocket(t.url!, { headers: ada.headers });
    const fast = await openSocket(t.url!, { headers: ada.headers });
    await Promise.all([slow.received(1), fast.received(1)]);
    // The client stops reading: the kernel buffers fill (a few MB on loopback), then the server's queue grows.
    (slow.ws as unknown as { _socket: Socket })._socket.pause();
    let sent = 1;
    while (t.process.services.realtime!.hub.stats().slowClientCloses === 0) {
      if (sent > 200) throw new Error('the slow client was never closed');
      await publishBig(4);
      sent += 4;
      await fast.received(sent);
    }
    expect(t.process.services.realtime!.hub.stats().slowClientCloses).toBe(1);
    // Still served after the slow one was cut off.
    const marker = await t.app.inject({ method: 'PATCH', url: `/api/tasks/${snapshot.id}`, headers: ada.headers, payload: { title: 'still live' } });
    expect(marker.statusCode).toBe(200);
    const last = (await fast.received(sent + 1)).at(-1)!;
    expect((last.data as { task: { title: string } }).task.title).toBe('still live');
    // Reading again, the slow client drains what was queued and then finds the 1013 close frame.
    (slow.ws as unknown as { _socket: Socket })._socket.resume();
    expect(await slow.closed).toEqual({ code: 1013, reason: 'too slow; reconnect and resume' });
    expect(slow.messages.length).toBeLessThan(sent);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^realtime_slow_client_closes_total 1$/m);
    await fast.close();
  });

  it('a resume point that fell out of the buffer (REALTIME_RESUME_SIZE) gets resync, not a gap', async () => {
    const socket = await openSocket(t.url!, { headers: ada.headers });
    const [hello] = await socket.received(1);
    await publishBig(2);
    await socket.received(3);
    await socket.close();
    const resumed = await openSocket(t.url!, { headers: ada.headers, query: { lastEventId: hello!.id! } });
    expect(await resumed.received(2)).toEqual([{ type: 'hello', id: socket.messages[2]!.id }, { type: 'resync' }]);
    await resumed.close();
  });
});

describe('sessions and limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ realtime: { WS_HEARTBEAT_MS: 150, WS_MAX_CONNECTIONS_PER_USER: 2 }, listen: true });
  });
  afterAll(() => t.close());

  async function signInAgain(user: TestUser): Promise<TestUser> {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: user.email, password: 'correct horse battery' } });
    expect(res.statusCode).toBe(200);
    const token = bearerToken(res);
    return { ...user, token, headers: { authorization: `Bearer ${token}` } };
  }

  it("closes a signed-out session's socket with 4001 and keeps the socket of the user's other session", async () => {
    const ada = await t.signUp();
    const phone = await signInAgain(ada);
    const laptop = await openSocket(t.url!, { headers: ada.headers });
    const onPhone = await openSocket(t.url!, { headers: phone.headers });
    await Promise.all([laptop.received(1), onPhone.received(1)]);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: ada.headers });
    expect(out.statusCode).toBe(200);
    expect(await laptop.closed).toEqual({ code: 4001, reason: 'session ended; sign in again' });
    // Several heartbeats later the other session is still connected, and still served.
    await new Promise((r) => setTimeout(r, 600));
    expect(onPhone.ws.readyState).toBe(onPhone.ws.OPEN);
    expect(t.process.services.realtime!.hub.stats().credentialCloses).toBe(1);
    // The signed-out token cannot open a new one either.
    expect((await refusedUpgrade(t.url!, { headers: ada.headers })).status).toBe(401);
    await onPhone.close();
  });

  it("refuses a user's socket past the cap with 429 problem+json, still serves other users, and accepts again once one closes", async () => {
    const bob = await t.signUp();
    const cy = await t.signUp();
    const first = await openSocket(t.url!, { headers: bob.headers });
    const second = await openSocket(t.url!, { headers: bob.headers });
    await Promise.all([first.received(1), second.received(1)]);
    const rejected = await refusedUpgrade(t.url!, { headers: bob.headers });
    expect(rejected.status).toBe(429);
    expect(rejected.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(rejected.body)).toMatchObject({ code: 'too_many_connections' });
    const other = await openSocket(t.url!, { headers: cy.headers });
    await other.received(1);
    await first.close();
    await expect.poll(() => t.process.services.realtime!.hub.connectionsOf(bob.id)).toBe(1);
    const again = await openSocket(t.url!, { headers: bob.headers });
    await again.received(1);
    await Promise.all([second.close(), other.close(), again.close()]);
  });
});

describe('connection cap under parallel upgrades', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ realtime: { WS_MAX_CONNECTIONS_PER_USER: 32 }, listen: true });
  });
  afterAll(() => t.close());

  it('opens exactly 32 of 48 parallel upgrades of one user and refuses the other 16 with 429', async () => {
    const ada = await t.signUp();
    const attempts = await Promise.allSettled(Array.from({ length: 48 }, () => openSocket(t.url!, { headers: ada.headers })));
    const opened = attempts.flatMap((a): TestSocket[] => (a.status === 'fulfilled' ? [a.value] : []));
    const refused = attempts.flatMap((a): unknown[] => (a.status === 'rejected' ? [a.reason] : []));
    await Promise.all(opened.map((s) => s.received(1)));
    expect(opened).toHaveLength(32);
    expect(refused).toHaveLength(16);
    for (const r of refused) expect(r instanceof UpgradeRejected && r.status, String(r)).toBe(429);
    expect(t.process.services.realtime!.hub.stats().connections).toBe(32);
    // Every slot comes back: refused and closed upgrades hold none.
    await Promise.all(opened.map((s) => s.close()));
    await expect.poll(() => t.process.services.realtime!.hub.connectionsOf(ada.id)).toBe(0);
  });

  it('gives the slot back when an accepted upgrade fails its WebSocket handshake', async () => {
    const bob = await t.signUp();
    // Authenticated and under the cap, so a slot is reserved; then ws refuses the malformed key with 400.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(t.url!).port), '127.0.0.1', () =>
        socket.write(`GET /ws HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: not-a-key\r\nAuthorization: Bearer ${bob.token}\r\n\r\n`),
      );
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1.1 400/);
    await expect.poll(() => t.process.services.realtime!.hub.connectionsOf(bob.id)).toBe(0);
  });
});
