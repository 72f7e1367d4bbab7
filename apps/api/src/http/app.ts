import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DatabaseHandle } from '@taskstream/db';
import { apiDocumentParts } from './api-document.js';
import { clientErrorHandler } from './client-error.js';
import { observeRequests } from './metrics.js';
import { problem, registerProblemHandlers, sendProblem } from './problem.js';
import { registerWebSocket } from './routes/realtime-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import { rejectNulCharacters } from './reject-nul.js';

export interface AppDeps {
  database: DatabaseHandle;
  logger: Logger;
  metrics: Registry;
  bodyLimit: number;
  /** Fastify's trustProxy (config TRUST_PROXY): which proxies' X-Forwarded-For sets request.ip. */
  trustProxy: boolean | string[];
  /** The services' routes: the REST API, GET /ws, the web UI. */
  routes: readonly FastifyPluginAsync[];
  /** Routes only a Dapr sidecar calls: the bus's subscriptions, job callbacks, cron bindings. */
  sidecarRoutes: readonly FastifyPluginAsync[];
}

/**
 * The HTTP app every process serves: problem+json errors, the OpenAPI document and docs, probes
 * and metrics, and the routes its services bring. Built without listening, so tests can inject.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Typed as fastify's logger interface so the instance keeps the default logger type.
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: deps.bodyLimit,
    // request.ip keys the per-address sign-in limit: behind an ingress it must be the client's.
    trustProxy: deps.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Disallow __proto__ and constructor keys in JSON bodies outright.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Longer than any id we issue, so an overlong id reaches our own check and gets a 404.
    routerOptions: { maxParamLength: 200 },
    // What Node's HTTP parser rejects (headers over 16 KiB) never reaches a hook; problem+json too.
    clientErrorHandler,
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
  await registerWebSocket(app);

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
    transformObject: apiDocumentParts(app),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(scalar, { routePrefix: '/docs', configuration: { url: '/openapi.json' } });

  for (const routes of deps.sidecarRoutes) await app.register(routes);
  observeRequests(app, deps.metrics);
  await app.register(opsRoutes, { database: deps.database, registry: deps.metrics });
  for (const routes of deps.routes) await app.register(routes);
  return app;
}
