import type { FastifyInstance } from 'fastify';
import type { SwaggerTransformObject } from '@fastify/swagger';

/**
 * Operations that no route schema describes — Better Auth's endpoints, served behind one
 * wildcard route — with the component schemas they reference.
 */
export interface ApiDocumentPart {
  paths: Record<string, Record<string, unknown>>;
  schemas?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Adds operations to /openapi.json; call it while registering routes. */
    describeApi(part: ApiDocumentPart): void;
  }
}

/**
 * Decorates the root app with `describeApi` and returns the swagger `transformObject` that merges
 * what plugins added into the document generated from the routes. The document is built on its
 * first request, after every plugin registered.
 */
export function apiDocumentParts(app: FastifyInstance): SwaggerTransformObject {
  const parts: ApiDocumentPart[] = [];
  app.decorate('describeApi', (part: ApiDocumentPart) => void parts.push(part));
  return (document) => {
    if (!('openapiObject' in document)) return document.swaggerObject;
    // Plain JSON from here: the parts are already OpenAPI 3.1, no need for the library's types.
    const doc = document.openapiObject as { paths?: Record<string, unknown>; components?: Record<string, unknown> & { schemas?: Record<string, unknown> } };
    for (const part of parts) {
      doc.paths = { ...doc.paths, ...part.paths };
      doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...part.schemas } };
    }
    return doc as typeof document.openapiObject;
  };
}
