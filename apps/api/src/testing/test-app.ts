import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import type { LlmConfig } from '@taskstream/chat';
import type { DatabaseHandle } from '@taskstream/db';
import { createTestDatabase } from '@taskstream/testing';
import { databaseDeadLetters, InProcessBus } from '@taskstream/bus';
import { buildApp, tasksContext } from '../app.js';
import { registerConsumers } from '../consumers.js';
import { startEventPipeline } from '../event-pipeline.js';
import { MODULE_MIGRATIONS } from '../module-migrations.js';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  headers: { authorization: string };
}

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  signUp(options?: { email?: string; timeZone?: string; password?: string }): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

/** The real API on a real (in-memory PGlite) database, driven through app.inject. */
export async function createTestApp(options: { now?: () => Date; signInLimit?: number; events?: boolean; llm?: LlmConfig } = {}): Promise<TestApp> {
  const database = await createTestDatabase(MODULE_MIGRATIONS);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  // With events, the embedded pipeline runs too: outbox → relay → in-process bus → consumers.
  const bus = options.events
    ? new InProcessBus({ deadLetters: databaseDeadLetters(database.db), logger, retry: { baseDelayMs: 20, maxDelayMs: 200 } })
    : undefined;
  if (bus) registerConsumers(bus, { ctx: tasksContext(database.db, options.now), logger });
  const pipeline = bus
    ? await startEventPipeline({
        bus,
        database,
        logger,
        relay: { enabled: true, pollIntervalMs: 200 },
      })
    : undefined;
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
    ...(options.llm && { llm: options.llm }),
  });
  await app.ready();
  return {
    app,
    database,
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
