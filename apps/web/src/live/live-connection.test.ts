// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveConnection, type LiveMessage, type LiveStatus } from './live-connection.js';

/** Stands in for the browser's WebSocket (a platform API, not ours): the test opens, feeds and drops it. */
class FakeSocket {
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(readonly url: string) {}
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  close(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

describe('the live connection', () => {
  let sockets: FakeSocket[];
  let statuses: LiveStatus[];
  let messages: LiveMessage[];
  let reconnects: number;
  let signedOut: number;
  let reachable: boolean;
  let connection: LiveConnection;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    statuses = [];
    messages = [];
    reconnects = 0;
    signedOut = 0;
    reachable = false;
    connection = new LiveConnection({
      url: (last) => `ws://app/ws${last ? `?lastEventId=${last}` : ''}`,
      onMessage: (m) => messages.push(m),
      onStatus: (s) => statuses.push(s),
      onReconnect: () => reconnects++,
      onSignedOut: () => signedOut++,
      serverReachable: async () => reachable,
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s as unknown as WebSocket;
      },
    });
    connection.start();
  });
  afterEach(() => {
    connection.stop();
    vi.useRealTimers();
  });

  const last = () => sockets.at(-1)!;

  it('goes live, passes messages on, and resumes from the last event id after a drop', async () => {
    last().open();
    expect(statuses).toEqual(['live']);
    last().receive({ id: 'e1', type: 'task.changed', data: {} });
    last().receive({ id: 'p1', type: 'ping' });
    last().receive({ id: 'e2', type: 'notification.changed', data: {} });
    expect(messages.map((m) => m.type)).toEqual(['task.changed', 'ping', 'notification.changed']);

    last().close();
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(2);
    expect(last().url).toBe('ws://app/ws?lastEventId=e2');
    last().open();
    expect(statuses.at(-1)).toBe('live');
    expect(reconnects).toBe(1);
  });

  it('waits longer after each failed attempt while the server is down', async () => {
    // Delays are 0.5 s, 1 s, 2 s … with ±25 % jitter.
    for (const [quiet, by] of [[350, 650], [700, 1300], [1450, 2600]] as const) {
      const count = sockets.length;
      last().close();
      await vi.advanceTimersByTimeAsync(quiet);
      expect(sockets.length).toBe(count);
      await vi.advanceTimersByTimeAsync(by - quiet);
      expect(sockets.length).toBe(count + 1);
    }
    expect(statuses).toEqual(['reconnecting']);
  });

  it('says live updates are unavailable when the server answers but never takes the socket', async () => {
    reachable = true;
    for (let i = 0; i < 3; i++) {
      last().close();
      await vi.advanceTimersByTimeAsync(20_000);
    }
    expect(statuses.at(-1)).toBe('unavailable');
  });

  it('shows offline at once, and reconnects as soon as the browser is back online', async () => {
    let online = true;
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
    last().open();
    online = false;
    window.dispatchEvent(new Event('offline'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statuses.at(-1)).toBe('offline');
    const count = sockets.length;
    expect(count).toBe(1);
    online = true;
    window.dispatchEvent(new Event('online'));
    expect(sockets.length).toBe(count + 1);
    last().open();
    expect(statuses.at(-1)).toBe('live');
  });

  it('ignores what is not a message', () => {
    last().open();
    last().onmessage?.({ data: 'not json' });
    last().receive({ no: 'type' });
    expect(messages).toEqual([]);
  });

  it('says so when the server closes because the session ended (4001), and not for other closes', async () => {
    last().open();
    last().close(1013);
    expect(signedOut).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    last().open();
    last().close(4001);
    expect(signedOut).toBe(1);
  });
});
