import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from '@taskstream/config';
import { flushTraces } from '@taskstream/telemetry';
import { createLogger } from './logger.js';
import { say, tolerateLostOutput } from './process-output.js';

interface Running {
  url: string;
  database: { kind: string; location: string };
  close(): Promise<void>;
}

/**
 * Boots a process: config (a bad value stops here with its name), start, a banner, and a clean
 * shutdown on Ctrl-C/SIGTERM that lets in-flight requests finish before the database closes.
 */
export async function runUntilSignal(name: string, start: (config: Config, logger: Logger) => Promise<Running>): Promise<void> {
  tolerateLostOutput();
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      say(`[taskstream] ${e.message}`, 'stderr');
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let running: Running;
  try {
    running = await start(config, logger);
  } catch (err) {
    logger.fatal({ err }, `${name} failed to start`);
    say(`[taskstream] ${name} failed to start: ${(err as Error).message}`, 'stderr');
    process.exit(1);
  }
  const where = running.database.kind === 'pglite' ? `${running.database.location} (PGlite)` : `${running.database.location} (PostgreSQL)`;
  say(`\n  Taskstream ${name} is running at ${running.url}\n  API docs:  ${running.url}/docs\n  Data:      ${where}\n  Stop:      Ctrl-C\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // The shutdown starts before anything is written: nothing said on stdout may delay or prevent it.
    const timer = setTimeout(() => {
      say(`[taskstream] shutdown took longer than ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting anyway`, 'stderr');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    // The spans of the last requests are still batched: send them before exiting (no-op untraced).
    const closing = running.close().then(() => flushTraces().catch((err: unknown) => logger.warn({ err }, 'could not send the last spans')));
    say(`[taskstream] ${signal} received, finishing in-flight requests…`);
    closing.then(
      () => {
        say('[taskstream] stopped cleanly; database closed');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
