import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { problem } from './problem.js';

/** Node's HTTP parser failures we answer, by error code; anything else is a malformed request. */
const parserProblems: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'The request line and headers exceed 16 KiB: shorten the query string or the headers (cookies, tokens).'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request was not received in time.'],
};

/**
 * Answers requests that Node's HTTP parser rejects before Fastify sees them (headers over its
 * limit, a malformed request line) in problem+json like every other error, instead of Fastify's
 * own `{error, message, statusCode}`. Used as Fastify's `clientErrorHandler` (`this` is the app);
 * like Node's default it closes the connection, whose parser state is unknown.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] = parserProblems[error.code ?? ''] ?? [400, 'malformed_request', 'The request is not valid HTTP/1.1.'];
  const reason = STATUS_CODES[status] ?? 'Error';
  const body = JSON.stringify({ ...problem(status, code, detail), title: reason });
  this.log.info({ code: error.code, status }, 'request rejected by the HTTP parser');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
