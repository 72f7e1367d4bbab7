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
