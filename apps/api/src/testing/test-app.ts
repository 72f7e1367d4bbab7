import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import type { Config, Role } from '@taskstream/config';
import { loadConfig } from '@taskstream/config';
import type { DatabaseHandle } from '@taskstream/db';
import { createTestDatabase } from '@taskstream/testing';
import { composeProcess, type ComposedProcess } from '../compose/compose-process.js';
import { MODULE_MIGRATIONS } from '../compose/module-migrations.js';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  headers: { authorization: string };
}

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  /** The composed process: its services' handles and jobs. */
  process: ComposedProcess;
  /** With `listen`: http://127.0.0.1:<port> of the listening app (for WebSocket clients). */
  url: string | undefined;
  signUp(options?: { email?: string; timeZone?: string; password?: string }): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

/** The real process as production composes it, on a real (in-memory PGlite) database, driven through app.inject. */
export interface TestAppOptions {
  now?: () => Date;
  signInLimit?: number;
  /** Failed sign-ins per account per window (SIGN_IN_ACCOUNT_LIMIT); by default high enough not to matter. */
  signInAccountLimit?: number;
  /** TRUST_PROXY: whose X-Forwarded-For gives the client address (by default nobody's). */
  trustProxy?: string;
  /** Run every consumer service and the relay: outbox → relay → in-process bus → consumers. Without it only the API (and /ws) run, and events stay in the outbox. */
  events?: boolean;
  /** Reminder email goes to this SMTP server (a real one the test started). */
  smtpUrl?: string;
  /** Trust this CA for Web Push endpoints (a local stand-in for a push service, self-signed). */
  pushCa?: string;
  /** Let push endpoints be on 127.0.0.1, where the stand-in listens (production refuses loopback and private hosts). */
  allowPrivatePushHosts?: boolean;
  /** Settings besides the test defaults (limits, for example). */
  config?: Partial<Config>;
  /** Run the real-time service (GET /ws); settings override the defaults. */
  realtime?: boolean | Partial<Config>;
  /** Listen on 127.0.0.1 at a free port, for clients that need a socket (WebSocket). */
  listen?: boolean;
  /** Serve a built web UI from this folder at / (by default a folder that does not exist: no UI). */
  webDir?: string;
  /** The chat's language model: a local replaying endpoint in tests. */
  llm?: { baseUrl: string; model: string; apiKey?: string };
  /** More environment variables, as the process would read them (limits, retention). */
  env?: Record<string, string>;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const roles: Role[] = options.events ? ['api', 'audit', 'recurrence', 'notifications'] : ['api'];
  if (options.realtime) roles.push('realtime');
  const config: Config = {
    ...loadConfig({
      SERVICES: roles.join(','),
      AUTH_SECRET: 'test-secret-test-secret-test-secret-0123',
      PUBLIC_URL: 'http://localhost:8080',
      SIGN_IN_RATE_LIMIT: String(options.signInLimit ?? 1000),
      SIGN_IN_ACCOUNT_LIMIT: String(options.signInAccountLimit ?? 1000),
      TRUST_PROXY: options.trustProxy,
      // Tests call chat and MCP faster than a person; the limit tests set their own.
      CHAT_RATE_LIMIT_PER_MINUTE: '10000',
      MCP_RATE_LIMIT_PER_MINUTE: '10000',
      RELAY_ENABLED: String(!!options.events),
      OUTBOX_POLL_MS: '200',
      VAPID_SUBJECT: 'mailto:test@taskstream.test',
      SMTP_URL: options.smtpUrl,
      SMTP_FROM: 'Taskstream <reminders@taskstream.test>',
      WEB_DIR: options.webDir ?? join(tmpdir(), 'taskstream-test-no-web-ui'),
      OPENAI_BASE_URL: options.llm?.baseUrl,
      OPENAI_MODEL: options.llm?.model,
      OPENAI_API_KEY: options.llm?.apiKey,
      DATA_DIR: join(tmpdir(), 'taskstream-test-data'),
      ...options.env,
    }),
    ...(typeof options.realtime === 'object' && options.realtime),
    ...options.config,
  };
  const composed = await composeProcess(config, {
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    database: await createTestDatabase(MODULE_MIGRATIONS),
    ...(options.now && { now: options.now }),
    busRetry: { baseDelayMs: 20, maxDelayMs: 200 },
    notifications: {
      delivery: { pollIntervalMs: 200, backoff: { baseDelayMs: 50, maxDelayMs: 500 } },
      ...(options.pushCa && { pushCa: options.pushCa }),
      ...(options.allowPrivatePushHosts && { allowPrivatePushHosts: true }),
    },
  });
  await composed.start(options.listen ? { host: '127.0.0.1', port: 0 } : undefined);
  const { app } = composed;
  const address = app.server.address();
  const url = options.listen && typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : undefined;
  return {
    app,
    database: composed.database,
    process: composed,
    url,
    async signUp({ email = `user${++counter}-${Date.now()}@example.com`, timeZone, password = 'correct horse battery' } = {}) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-up/email',
        payload: { email, password, name: email.split('@')[0], ...(timeZone && { timeZone }) },
      });
      if (res.statusCode !== 200) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
      const token = bearerToken(res);
      const body = res.json<{ user: { id: string } }>();
      return { id: body.user.id, email, token, headers: { authorization: `Bearer ${token}` } };
    },
    close: () => composed.close(),
  };
}

export function bearerToken(res: LightMyRequestResponse): string {
  const token = res.headers['set-auth-token'];
  if (typeof token !== 'string') throw new Error(`no set-auth-token header in ${res.statusCode} ${res.body}`);
  return token;
}
