import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

/**
 * Routes that the Dapr sidecar calls (job callbacks, cron bindings). Their bodies carry nothing we
 * read, and a cron tick is an empty body labelled JSON, which Fastify's JSON parser refuses: in
 * this scope every body is taken as text.
 */
export function sidecarRoutes(register: (app: FastifyInstance) => void): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    register(app);
  };
}

/**
 * A Dapr cron binding's input route: daprd probes it with OPTIONS at start-up, then POSTs each
 * tick to /<binding>; the answer is what `run` returns.
 */
export function cronBindingRoute(app: FastifyInstance, binding: string, run: () => Promise<unknown>): void {
  app.options(`/${binding}`, { schema: { hide: true } }, async () => ({}));
  app.post(`/${binding}`, { schema: { hide: true } }, async () => run());
}
