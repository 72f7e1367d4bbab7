import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';

/** Where `npm run build:web` writes the UI; the same relative place from src/http/ and from dist/http/. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

// Paths that belong to the server; the single-page app never answers them.
const SERVER_PATHS = /^\/(api|ws|mcp|dapr|docs|openapi\.json|metrics|healthz|readyz)(\/|$)/;

const acceptsHtml = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');

/**
 * Serves the built web UI at / with its hashed assets cached for good, and index.html for any other
 * page a browser asks for (the app routes on the client). Returns false, having logged why, when
 * the UI has not been built, so the API still starts.
 */
export async function registerWebUi(app: FastifyInstance, { dir, logger }: { dir: string; logger: FastifyBaseLogger }): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) {
    logger.info({ dir }, 'web UI not built (npm run build:web); serving the API only');
    return false;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    schemaHide: true,
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (SERVER_PATHS.test(path) || !acceptsHtml(request)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  logger.info({ dir }, 'serving the web UI at /');
  return true;
}
