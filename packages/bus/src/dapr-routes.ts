import type { FastifyPluginAsync } from 'fastify';
import type { DaprBus } from './dapr-bus.js';

/**
 * The app side of Dapr pub/sub, for our own Fastify app (not the SDK's DaprServer):
 * GET /dapr/subscribe (the bus's programmatic subscriptions) and POST /dapr/events/:topic.
 * Register it without a prefix and before the app listens: Dapr reads /dapr/subscribe once,
 * after the app port opens, so subscribe everything on the bus before that.
 *
 *   await app.register(daprSubscriptionRoutes(bus));
 */
export function daprSubscriptionRoutes(bus: DaprBus): FastifyPluginAsync {
  return async (app) => {
    // Encapsulated: only these routes take any body as raw bytes, so an unparsable one is
    // answered DROP (to the dead-letter topic) instead of a 400 that Dapr would retry.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    app.get('/dapr/subscribe', async () => bus.subscriptionManifest());

    app.post<{ Params: { topic: string } }>('/dapr/events/:topic', async (request, reply) => {
      // The response's 'close' also fires when the connection ends before we answer.
      const gone = new Promise<void>((resolve) => {
        if (reply.raw.destroyed) resolve();
        reply.raw.once('close', () => resolve());
      });
      const status = await bus.handleDelivery(request.params.topic, request.body, gone);
      if (status === 'GONE') return reply.hijack();
      return reply.code(200).send({ status });
    });
  };
}
