import type { IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';

/** A message as a client sees it: control messages (hello, resync) and pushed events. */
export interface Received {
  type: string;
  id?: string | null;
  data?: unknown;
}

export interface TestSocket {
  ws: WebSocket;
  messages: Received[];
  /** Resolves once at least `count` messages arrived; rejects if the socket closes first or after `timeoutMs`. */
  received(count: number, timeoutMs?: number): Promise<Received[]>;
  /** Resolves with the close code and reason once the socket closed. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export interface SocketOptions {
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Subprotocols to offer (Sec-WebSocket-Protocol), e.g. ['taskstream', 'bearer.<jwt>']. */
  protocols?: string[];
  /** false: do not answer pings (a dead client, for the heartbeat). */
  autoPong?: boolean;
}

export class UpgradeRejected extends Error {
  constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    readonly body: string,
  ) {
    super(`upgrade rejected with ${status}: ${body}`);
  }
}

const wsUrl = (baseUrl: string, query: Record<string, string> = {}) => {
  const url = new URL('/ws', baseUrl.replace(/^http/, 'ws'));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
};

/** Opens a real WebSocket to GET /ws; rejects with UpgradeRejected when the server answers HTTP instead. */
export function openSocket(baseUrl: string, options: SocketOptions = {}): Promise<TestSocket> {
  const ws = new WebSocket(wsUrl(baseUrl, options.query), options.protocols ?? [], { headers: options.headers ?? {}, autoPong: options.autoPong ?? true });
  const messages: Received[] = [];
  const waiters = new Set<() => void>();
  let closeInfo: { code: number; reason: string } | undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString() };
      resolve(closeInfo);
      for (const wake of waiters) wake();
    }),
  );
  ws.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString()) as Received);
    for (const wake of waiters) wake();
  });
  const received = (count: number, timeoutMs = 15_000) =>
    new Promise<Received[]>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`expected ${count} messages, got ${messages.length} in ${timeoutMs} ms: ${JSON.stringify(messages.map((m) => m.type))}`)), timeoutMs);
      const check = () => {
        if (messages.length >= count) finish();
        else if (closeInfo) finish(new Error(`socket closed (${closeInfo.code} ${closeInfo.reason}) after ${messages.length} of ${count} messages`));
      };
      const finish = (err?: Error) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (err) reject(err);
        else resolve(messages.slice(0, count));
      };
      waiters.add(check);
      check();
    });
  const close = async () => {
    if (ws.readyState !== WebSocket.CLOSED) ws.close();
    await closed;
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, received, closed, close }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        ws.terminate();
        reject(new UpgradeRejected(res.statusCode ?? 0, res.headers, body));
      });
    });
    ws.once('error', reject);
  });
}

/** The HTTP answer to an upgrade the server refused (fails if the upgrade succeeded). */
export async function refusedUpgrade(baseUrl: string, options: SocketOptions = {}): Promise<UpgradeRejected> {
  try {
    const socket = await openSocket(baseUrl, options);
    await socket.close();
  } catch (err) {
    if (err instanceof UpgradeRejected) return err;
    throw err;
  }
  throw new Error('the upgrade was accepted');
}
