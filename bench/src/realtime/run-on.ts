import { randomBytes } from 'node:crypto';
import { createLogger, startServer } from '@taskstream/api';
import { loadConfig } from '@taskstream/config';
import { freePort } from '../../../scripts/infra/ports.mjs';
import { appConfigEnv } from '../harness.js';
import { progress } from '../pool.js';
import { changer } from './changer.js';
import { connectClients, type Client } from './connect-clients.js';
import { Inbox } from './inbox.js';
import { measure } from './measure.js';
import { modes, params, rates } from './params.js';
import type { Result } from './result.js';

/**
 * The app as `npm start` runs it, on the given database, listening on a free loopback port. Each
 * finished line goes to `results` at once, so a run stopped by the time limit keeps them.
 */
export async function runOn(label: string, server: string, env: Record<string, string>, dataDir: string, signal: AbortSignal, results: Result[]): Promise<void> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...appConfigEnv(), ...env, HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: baseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'warn', AUTH_SECRET: randomBytes(32).toString('hex') });
  const app = await startServer(config, createLogger('warn'));
  const inbox = new Inbox();
  let clients: Client[] = [];
  try {
    progress(`realtime on ${label}: app on ${baseUrl}`);
    clients = await connectClients(app, baseUrl, inbox, signal);
    for (const rate of rates) {
      for (const mode of modes) {
        progress(`${label} ${mode}: ${params.warmup} warm-up + ${rate * params.seconds} changes at ${rate}/s`);
        const line = { label, mode, rate, clients, inbox, change: changer(mode, app, baseUrl, signal), signal };
        results.push({ database: label, server, ...(await measure(line)) });
      }
    }
  } finally {
    for (const c of clients) for (const ws of c.sockets) ws.terminate();
    await app.close();
  }
}
