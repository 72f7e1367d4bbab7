import type { Logger } from 'pino';
import type { Config } from '@taskstream/config';
import { composeProcess, type ComposedProcess } from './compose/compose-process.js';

export interface RunningServer {
  process: ComposedProcess;
  /** Where to reach it: the public URL for the API, else this process's own address. */
  url: string;
  database: ComposedProcess['database'];
  close(): Promise<void>;
}

/** Builds the process SERVICES describes on the configured database and bus, and listens. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const process = await composeProcess(config, { logger });
  try {
    await process.start({ host: config.HOST, port: config.PORT });
  } catch (e) {
    await process.close().catch((err: unknown) => logger.warn({ err }, 'closing after a failed start failed'));
    throw e;
  }
  const address = process.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  // The public URL is the API's; a service without the API answers only on its own port.
  const local = `http://${config.HOST === '127.0.0.1' || config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  const url = process.roles.includes('api') ? (config.PUBLIC_URL ?? local) : local;
  return { process, url, database: process.database, close: () => process.close() };
}
