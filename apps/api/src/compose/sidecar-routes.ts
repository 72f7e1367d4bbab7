import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { requireAppToken } from '../http/sidecar-token.js';

/**
 * Everything only the Dapr sidecar calls (the bus's subscription routes, job callbacks, cron
 * bindings), in one scope that refuses any request without the sidecar's app token: whoever else
 * reaches the app port (another pod, the ingress) could otherwise deliver a forged event or run a
 * job.
 */
export function sidecarScope(appApiToken: string, plugins: readonly FastifyPluginAsync[]): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', requireAppToken(appApiToken));
    for (const plugin of plugins) await app.register(plugin);
  };
}

/**
 * Job callbacks and cron bindings. Their bodies carry nothing we read, and a cron tick is an empty
 * body labelled JSON, which Fastify's JSON parser refuses: in this scope every body is taken as text.
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
