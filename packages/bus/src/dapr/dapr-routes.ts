import type { FastifyPluginAsync } from 'fastify';

/** One entry of the app's GET /dapr/subscribe answer (Dapr's programmatic subscriptions). */
export interface DaprSubscriptionManifest {
  pubsubname: string;
  topic: string;
  route: string;
  deadLetterTopic?: string;
  metadata: Record<string, string>;
}

/** What the app answers Dapr for one delivery (HTTP 200 with {"status": …}). */
export type DaprDeliveryStatus = 'SUCCESS' | 'RETRY' | 'DROP';

/** What the routes need from the bus (DaprBus implements it). */
export interface DaprDeliveryHandler {
  /** The programmatic subscriptions for GET /dapr/subscribe. */
  subscriptionManifest(): DaprSubscriptionManifest[];
  /**
   * The answer to one delivery; 'GONE' when the request ended before there was one. `body` is the
   * raw request body; `gone` settles when the sidecar's request is closed. Never rejects.
   */
  handleDelivery(topic: string, body: unknown, gone: Promise<void>): Promise<DaprDeliveryStatus | 'GONE'>;
}

/** Where Dapr POSTs a topic's events (route of the programmatic subscription). */
export const daprEventRoute = (topic: string): string => `/dapr/events/${encodeURIComponent(topic)}`;

/**
 * The app side of Dapr pub/sub, for our own Fastify app (not the SDK's DaprServer):
 * GET /dapr/subscribe (the bus's programmatic subscriptions) and POST /dapr/events/:topic.
 * Register it without a prefix and before the app listens: Dapr reads /dapr/subscribe once,
 * after the app port opens, so subscribe everything on the bus before that. DaprBus offers it
 * as `bus.httpRoutes`:
 *
 *   await app.register(bus.httpRoutes);
 */
export function daprSubscriptionRoutes(bus: DaprDeliveryHandler): FastifyPluginAsync {
  // Named: Fastify (and the hook spans of its tracing) call a plugin by its function's name, else by its source text.
  return async function daprSubscriptionRoutes(app) {
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
