import pino, { type Logger } from 'pino';

/**
 * JSON logs to stdout; secrets in headers never reach them. Through process.stdout rather than
 * pino's own file-descriptor writer: that one flushes synchronously on exit and retries a write to
 * a closed pipe forever, so a process whose output reader was gone never exited. process.stdout
 * never blocks on a pipe, and its errors are dropped (tolerateLostOutput).
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["sec-websocket-protocol"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    },
    process.stdout,
  );
}
