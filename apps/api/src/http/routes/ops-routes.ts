import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { DatabaseHandle } from '@taskstream/db';
import { problem, sendProblem } from '../problem.js';

export async function opsRoutes(app: FastifyInstance, opts: { database: DatabaseHandle; registry: Registry }): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    try {
      await opts.database.ping();
      return { status: 'ready', database: opts.database.kind };
    } catch (err) {
      request.log.warn({ err }, 'database unreachable');
      return sendProblem(reply, problem(503, 'database_unreachable', 'The database does not answer.'));
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(opts.registry.contentType).send(await opts.registry.metrics()),
  );
}
