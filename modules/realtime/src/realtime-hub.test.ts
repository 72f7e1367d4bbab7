import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@taskstream/db';
import { TableStateStore, type StateEntry } from '@taskstream/state';
import { createTestDatabase } from '@taskstream/testing';
import { OPEN, type ClientSocket } from './client-socket.js';
import { RealtimeHub } from './realtime-hub.js';
import type { RealtimeMessage } from './realtime-message.js';
import { ResumeBuffer } from './resume-buffer.js';

/**
 * The hub's ordering and dedupe rules, driven with interleavings a network test cannot force.
 * The socket here records what the hub sends, in place of a ws WebSocket (the API tests use real ones).
 */
class RecordingSocket extends EventEmitter implements ClientSocket {
  readyState = OPEN;
  bufferedAmount = 0;
  readonly received: { id?: string; type: string }[] = [];
  send(data: string): void {
    this.received.push(JSON.parse(data) as { id?: string; type: string });
  }
  ping(): void {}
  closedWith: { code: number; reason: string } | undefined;
  close(code = 1005, reason = ''): void {
    this.closedWith ??= { code, reason };
    this.readyState = 3;
    this.emit('close');
  }
  terminate(): void {
    this.close();
  }
}

/** The table store, where one chosen read can be held after it ran: a slow network to the store. */
class HeldReadStore extends TableStateStore {
  private hold: Promise<void> | undefined;
  holdNextRead(): () => void {
    let release!: () => void;
    this.hold = new Promise<void>((resolve) => (release = resolve));
    return release;
  }
  override async get(key: string): Promise<StateEntry | null> {
    const entry = await super.get(key);
    const hold = this.hold;
    this.hold = undefined;
    await hold;
    return entry;
  }
}

let database: DatabaseHandle;
const hubs: RealtimeHub[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(hubs.map((h) => h.close()));
  await database.close();
});

/** A replica: its own hub and state client over the shared state table. */
function replica(state = new TableStateStore(database.db)): RealtimeHub {
  const hub = new RealtimeHub({
    buffer: new ResumeBuffer(state, { size: 50, ttlSeconds: 3600 }),
    logger: pino({ level: 'silent' }),
    heartbeatMs: 60_000,
    maxBufferedBytes: 1 << 20,
  });
  hubs.push(hub);
  return hub;
}
const message = (): RealtimeMessage => ({ id: randomUUID(), type: 'task.changed', data: {} });
const now = () => new Date().toISOString();
const ids = (socket: RecordingSocket) => socket.received.map((m) => (m.type === 'hello' || m.type === 'resync' ? m.type : m.id));

describe('RealtimeHub', () => {
  it('a resume racing live messages gets every message after its id once, in order (either interleaving)', async () => {
    for (const connectFirst of [true, false]) {
      const hub = replica();
      const user = randomUUID();
      const [m1, m2, m3, m4] = [message(), message(), message(), message()];
      await hub.publish(user, m1, now());
      await hub.publish(user, m2, now());
      const socket = new RecordingSocket();
      // Not awaited in between: the connection's buffer read and the live publishes race.
      const steps = connectFirst
        ? [hub.connect(socket, user, m1.id), hub.publish(user, m3, now()), hub.publish(user, m4, now())]
        : [hub.publish(user, m3, now()), hub.connect(socket, user, m1.id), hub.publish(user, m4, now())];
      await Promise.all(steps);
      // A redelivery of events the connection already has changes nothing.
      await hub.publish(user, m2, now());
      await hub.publish(user, m4, now());
      expect(ids(socket)).toEqual(['hello', m2.id, m3.id, m4.id]);
    }
  });

  it('a message buffered and fanned out while a resume\'s read is still on its way is not lost', async () => {
    const state = new HeldReadStore(database.db);
    const hub = replica(state);
    const user = randomUUID();
    const m1 = message();
    await hub.publish(user, m1, now());
    const socket = new RecordingSocket();
    const release = state.holdNextRead();
    const connecting = hub.connect(socket, user, m1.id);
    const m2 = message();
    const publishing = hub.publish(user, m2, now());
    // Give the publish every chance to finish before the read returns (it must wait for it).
    await Promise.race([publishing, new Promise((resolve) => setTimeout(resolve, 300))]);
    release();
    await Promise.all([connecting, publishing]);
    expect(ids(socket)).toEqual(['hello', m2.id]);
  });

  it('an unknown resume id gets resync, then live messages', async () => {
    const hub = replica();
    const user = randomUUID();
    await hub.publish(user, message(), now());
    const socket = new RecordingSocket();
    await hub.connect(socket, user, randomUUID());
    const live = message();
    await hub.publish(user, live, now());
    expect(ids(socket)).toEqual(['hello', 'resync', live.id]);
  });

  it('across replicas: a client on a replica that is behind gets each message once, whoever buffered it first', async () => {
    const [ahead, behind] = [replica(), replica()];
    const user = randomUUID();
    const [m1, m2, m3] = [message(), message(), message()];
    await ahead.publish(user, m1, now());
    await behind.publish(user, m1, now());
    await ahead.publish(user, m2, now());
    // The client connects to the replica that has not received m2 yet; the buffer already has it.
    const socket = new RecordingSocket();
    await behind.connect(socket, user, m1.id);
    await behind.publish(user, m2, now());
    await ahead.publish(user, m3, now());
    await behind.publish(user, m3, now());
    expect(ids(socket)).toEqual(['hello', m2.id, m3.id]);
  });

  it('sends a user\'s messages only to that user\'s connections, and stops at close', async () => {
    const hub = replica();
    const [ada, bob] = [randomUUID(), randomUUID()];
    const [a1, a2, b] = [new RecordingSocket(), new RecordingSocket(), new RecordingSocket()];
    await Promise.all([hub.connect(a1, ada), hub.connect(a2, ada), hub.connect(b, bob)]);
    const m = message();
    await hub.publish(ada, m, now());
    expect([ids(a1), ids(a2), ids(b)]).toEqual([['hello', m.id], ['hello', m.id], ['hello']]);
    a1.close();
    await hub.publish(ada, message(), now());
    expect(a1.received).toHaveLength(2);
    expect(a2.received).toHaveLength(3);
    expect(hub.stats()).toMatchObject({ connections: 2, users: 2 });
  });

  it('closes, with 4001, connections whose credentials expired or whose session is no longer live; a failed lookup closes none', async () => {
    let clock = Date.parse('2026-11-26T12:00:00Z');
    let live = new Set(['session-a', 'session-b']);
    let lookupFails = false;
    const hub = new RealtimeHub({
      buffer: new ResumeBuffer(new TableStateStore(database.db), { size: 50, ttlSeconds: 3600 }),
      logger: pino({ level: 'silent' }),
      heartbeatMs: 60_000,
      maxBufferedBytes: 1 << 20,
      now: () => clock,
      liveSessions: async (tokens) => {
        if (lookupFails) throw new Error('database unreachable');
        return new Set(tokens.filter((t) => live.has(t)));
      },
    });
    hubs.push(hub);
    const user = randomUUID();
    const jwt = new RecordingSocket();
    const a = new RecordingSocket();
    const b = new RecordingSocket();
    await hub.connect(jwt, user, undefined, { expiresAt: clock + 15 * 60_000 });
    await hub.connect(a, user, undefined, { sessionToken: 'session-a' });
    await hub.connect(b, user, undefined, { sessionToken: 'session-b' });

    await hub.checkCredentials();
    expect([jwt, a, b].map((s) => s.closedWith)).toEqual([undefined, undefined, undefined]);

    clock += 15 * 60_000;
    live = new Set(['session-b']);
    lookupFails = true;
    await hub.checkCredentials();
    // Expiry needs no lookup; the sign-out is not seen while the lookup fails.
    expect([jwt, a, b].map((s) => s.closedWith?.code)).toEqual([4001, undefined, undefined]);

    lookupFails = false;
    await hub.checkCredentials();
    expect(a.closedWith).toEqual({ code: 4001, reason: 'session ended; sign in again' });
    expect(b.closedWith).toBeUndefined();
    expect(hub.connectionsOf(user)).toBe(1);
    expect(hub.stats().credentialCloses).toBe(2);
  });

  it('counts a reserved slot as a connection until connect turns it into one, and frees it when the socket closes while connecting', async () => {
    const state = new HeldReadStore(database.db);
    const hub = replica(state);
    const user = randomUUID();
    const slots = [hub.reserve(user), hub.reserve(user)];
    expect(hub.connectionsOf(user)).toBe(2);

    await hub.connect(new RecordingSocket(), user, undefined, {}, slots[0]);
    expect(hub.connectionsOf(user)).toBe(2);
    expect(hub.stats().connections).toBe(1);

    const release = state.holdNextRead();
    const leaving = new RecordingSocket();
    const connecting = hub.connect(leaving, user, undefined, {}, slots[1]);
    leaving.close(1001, 'client went away');
    release();
    await connecting;
    expect(hub.connectionsOf(user)).toBe(1);
    slots[1]!.release();
    expect(hub.connectionsOf(user)).toBe(1);
  });
});
