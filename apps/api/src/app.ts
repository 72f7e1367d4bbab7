import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { EventBus } from '@taskstream/bus';
import { ROLES, type Role } from '@taskstream/config';
import type { DatabaseHandle, Db } from '@taskstream/db';
import { resolveVapidKeys } from '@taskstream/notifications';
import type { LlmConfig } from '@taskstream/chat';
import type { TasksContext } from '@taskstream/tasks';
import { createAuth, type AuthOptions } from './auth.js';
import { authenticator } from './authenticate.js';
import { registerMetrics } from './metrics.js';
import { problem, registerProblemHandlers, sendProblem } from './problem.js';
import type { Realtime } from './realtime-wiring.js';
import { recurrenceAdapter } from './recurrence-adapter.js';
import { rejectNulCharacters } from './reject-nul.js';
import { auditRoutes } from './routes/audit-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { chatRoutes } from './routes/chat-routes.js';
import { mcpRoutes } from './routes/mcp-routes.js';
import { meRoutes } from './routes/me-routes.js';
import { notificationRoutes } from './routes/notification-routes.js';
import { internalRoutes } from './routes/internal-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import { realtimeRoutes, registerWebSocket } from './routes/realtime-routes.js';
import { recurrenceRoutes } from './routes/recurrence-routes.js';
import { tagRoutes } from './routes/tag-routes.js';
import { taskRoutes } from './routes/task-routes.js';
import { registerWebUi } from './web-ui.js';

export interface AppDeps {
  database: DatabaseHandle;
  auth: Omit<AuthOptions, 'db'>;
  logger: Logger;
  /** With the Dapr bus, the app also serves the sidecar's subscription routes. */
  bus?: EventBus;
  /** The real-time service of this process: serves GET /ws (its consumer is registered on the bus). */
  realtime?: Realtime;
  bodyLimit?: number;
  now?: () => Date;
  /** Serve the built web UI from this folder at / (skipped, with a log line, when it is not built). */
  webDir?: string;
  /** Configured Web Push keys; made on first start and kept in the database when absent. */
  vapid?: { publicKey?: string | undefined; privateKey?: string | undefined };
  /** Routes a sidecar calls (job callbacks, cron bindings): outside /api, without user auth. */
  routes?: FastifyPluginAsync[];
  /** The services this process runs; the REST API is served by the api role. Default: all. */
  roles?: readonly Role[];
  /** Service invocation (Dapr bus): the app API token the sidecar sends, and who may create occurrences. */
  internal?: { appApiToken: string | undefined; recurrenceAppId: string };
  /** The chat's language model; without it a deterministic interpreter answers. */
  llm?: LlmConfig;
}

export const tasksContext = (db: Db, now: () => Date = () => new Date()): TasksContext => ({ db, recurrence: recurrenceAdapter, now });

/** Builds the API without listening, so tests drive it through app.inject. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Typed as fastify's logger interface so the instance keeps the default logger type.
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Disallow __proto__ and constructor keys in JSON bodies outright.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Longer than any id we issue, so an overlong id reaches our own check and gets a 404.
    routerOptions: { maxParamLength: 200 },
    // Router-level failures (a malformed URL encoding) skip hooks; answer them in our format too.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id);
      request.log.info({ code: error.code }, 'request rejected by the router');
      void sendProblem(reply, problem(400, 'invalid_url', `The URL cannot be decoded: ${error.message}`));
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerProblemHandlers(app);
  app.addHook('preValidation', rejectNulCharacters);
  await registerWebSocket(app, deps.realtime);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Taskstream API', version: '0.1.0', description: 'Tasks with tags, reminders, recurrence and full-text search.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'token from POST /api/auth/sign-in/email (set-auth-token header)' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(scalar, { routePrefix: '/docs', configuration: { url: '/openapi.json' } });

  if (deps.bus?.httpRoutes) await app.register(deps.bus.httpRoutes);
  for (const routes of deps.routes ?? []) await app.register(routes);
  const registry = registerMetrics(app, deps.database);
  await app.register(opsRoutes, { database: deps.database, registry });

  const roles = deps.roles ?? ROLES;
  if (!roles.includes('api') && !deps.realtime) return app;
  // Sessions and JWTs are checked against the shared database: the API signs in, /ws verifies.
  const auth = createAuth({ ...deps.auth, db: deps.database.db });
  if (deps.realtime) {
    const trustedOrigins = [deps.auth.config.publicUrl, ...deps.auth.config.TRUSTED_ORIGINS];
    await app.register(realtimeRoutes, { realtime: deps.realtime, auth, trustedOrigins, registry });
  }
  if (!roles.includes('api')) return app;
  await app.register(authRoutes, { auth });

  const ctx = tasksContext(deps.database.db, deps.now);
  if (deps.bus?.kind === 'dapr') {
    await app.register(internalRoutes, { ctx, appApiToken: deps.internal?.appApiToken, allowedCaller: deps.internal?.recurrenceAppId ?? 'recurrence' });
  }
  const vapid = await resolveVapidKeys(deps.database.db, deps.vapid ?? {});
  app.decorateRequest('actor', null);
  await app.register(async (api) => {
    api.addHook('onRequest', authenticator(auth));
    await api.register(taskRoutes, { ctx });
    await api.register(tagRoutes, { ctx });
    await api.register(meRoutes, { ctx });
    await api.register(recurrenceRoutes, { ctx });
    await api.register(auditRoutes, { db: deps.database.db });
    await api.register(notificationRoutes, { db: deps.database.db, now: ctx.now, vapidPublicKey: vapid.publicKey });
    await api.register(chatRoutes, { ctx, db: deps.database.db, ...(deps.llm && { llm: deps.llm }) });
    await api.register(mcpRoutes, { ctx, db: deps.database.db });
  });
  if (deps.webDir) await registerWebUi(app, { dir: deps.webDir, logger });
  return app;
}
