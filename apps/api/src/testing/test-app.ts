import { Agent } from 'node:https';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import type { LlmConfig } from '@taskstream/chat';
import type { DatabaseHandle } from '@taskstream/db';
import { createTestDatabase } from '@taskstream/testing';
import { databaseDeadLetters, InProcessBus } from '@taskstream/bus';
import { loadConfig, ROLES } from '@taskstream/config';
import { buildApp, tasksContext } from '../app.js';
import { directOccurrencePort, registerConsumers } from '../consumers.js';
import { startEventPipeline } from '../event-pipeline.js';
import { MODULE_MIGRATIONS } from '../module-migrations.js';
import { createNotificationService, type NotificationService } from '@taskstream/notifications';
import { createRealtime, type Realtime, type RealtimeConfig } from '../realtime-wiring.js';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  headers: { authorization: string };
}

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  /** The notification service, when the app runs with events. */
  notifications: NotificationService | undefined;
  /** With `realtime`: the hub behind GET /ws. */
  realtime: Realtime | undefined;
  /** With `listen`: http://127.0.0.1:<port> of the listening app (for WebSocket clients). */
  url: string | undefined;
  signUp(options?: { email?: string; timeZone?: string; password?: string }): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

/** The real API on a real (in-memory PGlite) database, driven through app.inject. */
export interface TestAppOptions {
  now?: () => Date;
  signInLimit?: number;
  /** Run the embedded pipeline: outbox → relay → in-process bus → every consumer service. */
  events?: boolean;
  /** Reminder email goes to this SMTP server (a real one the test started). */
  smtpUrl?: string;
  /** Trust this CA for Web Push endpoints (a local stand-in for a push service, self-signed). */
  pushCa?: string;
  /** Serve GET /ws (and with `events`, push task-updates and notifications to it); settings override the defaults. */
  realtime?: boolean | Partial<RealtimeConfig>;
  /** Listen on 127.0.0.1 at a free port, for clients that need a socket (WebSocket). */
  listen?: boolean;
  /** Serve a built web UI from this folder at /. */
  webDir?: string;
  /** The chat's language model (a local replaying endpoint in tests). */
  llm?: LlmConfig;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(MODULE_MIGRATIONS);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  // With events, the embedded pipeline runs too: outbox → relay → in-process bus → consumers.
  const bus = options.events
    ? new InProcessBus({ deadLetters: databaseDeadLetters(database.db), logger, retry: { baseDelayMs: 20, maxDelayMs: 200 } })
    : undefined;
  const notifications = bus
    ? await createNotificationService({
        database,
        logger,
        publicUrl: 'http://localhost:8080',
        smtp: options.smtpUrl ? { url: options.smtpUrl, from: 'Taskstream <reminders@taskstream.test>' } : undefined,
        vapid: { subject: 'mailto:test@taskstream.test' },
        delivery: { pollIntervalMs: 200, backoff: { baseDelayMs: 50, maxDelayMs: 500 } },
        ...(options.pushCa && { pushAgent: new Agent({ ca: options.pushCa }) }),
      })
    : undefined;
  const realtime = options.realtime
    ? createRealtime({ ...loadConfig({}), ...(typeof options.realtime === 'object' && options.realtime) }, { db: database.db, logger })
    : undefined;
  if (bus) {
    const ctx = tasksContext(database.db, options.now);
    registerConsumers(bus, { ctx, logger, roles: ROLES, occurrences: directOccurrencePort(ctx), notifications, realtime });
  }
  const pipeline = bus
    ? await startEventPipeline({
        bus,
        database,
        logger,
        relay: { enabled: true, pollIntervalMs: 200 },
      })
    : undefined;
  await notifications?.start();
  const app = await buildApp({
    database,
    logger,
    auth: {
      secret: 'test-secret-test-secret-test-secret-0123',
      config: {
        publicUrl: 'http://localhost:8080',
        TRUSTED_ORIGINS: [],
        SIGN_IN_RATE_LIMIT: options.signInLimit ?? 1000,
        SIGN_IN_RATE_WINDOW_SECONDS: 60,
      },
    },
    ...(options.now && { now: options.now }),
    ...(realtime && { realtime }),
    ...(options.webDir && { webDir: options.webDir }),
    ...(options.llm && { llm: options.llm }),
  });
  const url = options.listen ? await app.listen({ host: '127.0.0.1', port: 0 }) : (await app.ready(), undefined);
  return {
    app,
    database,
    notifications,
    realtime,
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
    async close() {
      await app.close();
      await notifications?.stop();
      await pipeline?.stop();
      await database.close();
    },
  };
}

export function bearerToken(res: LightMyRequestResponse): string {
  const token = res.headers['set-auth-token'];
  if (typeof token !== 'string') throw new Error(`no set-auth-token header in ${res.statusCode} ${res.body}`);
  return token;
}
