import { z } from 'zod';
import type { ApiDocumentPart } from './api-document.js';
import type { Auth } from './auth.js';
import { ProblemSchema } from './problem.js';

type Json = Record<string, unknown>;

const BASE_PATH = '/api/auth';
/** Better Auth names its schemas after its tables (User, Session); ours must not collide with them. */
const SCHEMA_PREFIX = 'Auth';

/**
 * The Better Auth endpoints this API offers its clients (README "What the API offers"); Better
 * Auth serves more under /api/auth (social sign-in, e-mail verification) that are not configured
 * here, so they are not part of the contract. `public`: callable without being signed in.
 */
const DOCUMENTED = [
  { path: '/sign-up/email', method: 'post', public: true },
  { path: '/sign-in/email', method: 'post', public: true },
  { path: '/sign-out', method: 'post', public: false },
  { path: '/get-session', method: 'get', public: false },
  { path: '/token', method: 'get', public: false },
  { path: '/jwks', method: 'get', public: true },
] as const;

/** What routes/auth-routes.ts answers for every failure: Better Auth's error turned into problem+json. */
const problemResponse = {
  description: 'RFC 9457 problem details',
  content: { 'application/problem+json': { schema: withoutDialect(z.toJSONSchema(ProblemSchema)) } },
};

/**
 * Better Auth's own OpenAPI description (its openAPI plugin) of the endpoints above, as they are
 * served here: under /api/auth, tagged `auth`, failures as our problem+json, and OpenAPI 3.0's
 * `nullable` written the 3.1 way, since our document is 3.1 and a 3.1 reader ignores `nullable`.
 */
export async function betterAuthDocument(auth: Auth): Promise<ApiDocumentPart> {
  const generated = (await auth.api.generateOpenAPISchema()) as unknown as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };
  const referenced = new Set<string>();
  const paths: ApiDocumentPart['paths'] = {};
  for (const { path, method, public: open } of DOCUMENTED) {
    const operation = generated.paths[path]?.[method];
    // Loud at start-up rather than a silently thinner document after a Better Auth upgrade.
    if (!operation) throw new Error(`Better Auth no longer describes ${method.toUpperCase()} ${path}; update DOCUMENTED in better-auth-document.ts`);
    paths[BASE_PATH + path] = { ...paths[BASE_PATH + path], [method]: served(operation, open, referenced) };
  }
  const schemas: Record<string, unknown> = {};
  for (const name of referenced) {
    const model = generated.components.schemas[name];
    if (model) schemas[SCHEMA_PREFIX + name] = rewrite(optionalMayBeNull(model), referenced);
  }
  return { paths, schemas };
}

function served(operation: Json, open: boolean, referenced: Set<string>): Json {
  const { security: _security, responses, ...rest } = operation;
  const success = Object.entries(responses as Record<string, Json>).filter(([status]) => /^2\d\d$/.test(status));
  return {
    ...(rewrite(rest, referenced) as Json),
    tags: ['auth'],
    // Signed-in operations take the document's global security (bearer or cookie).
    ...(open && { security: [] }),
    responses: { ...Object.fromEntries(success.map(([status, r]) => [status, rewrite(r, referenced)])), '4XX': problemResponse },
  };
}

/** Copies a schema tree with `nullable` folded into `type` and references renamed and collected. */
function rewrite(node: unknown, referenced: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, referenced));
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      const name = value.slice('#/components/schemas/'.length);
      referenced.add(name);
      out[key] = `#/components/schemas/${SCHEMA_PREFIX}${name}`;
    } else {
      out[key] = rewrite(value, referenced);
    }
  }
  return nullable === true ? orNull(out) : out;
}

function orNull(schema: Json): Json {
  const types = Array.isArray(schema.type) ? (schema.type as unknown[]) : schema.type === undefined ? [] : [schema.type];
  if (types.length === 0 || types.includes('null')) return schema;
  const withNull = { ...schema, type: [...types, 'null'] };
  return Array.isArray(schema.enum) ? { ...withNull, enum: [...(schema.enum as unknown[]), null] } : withNull;
}

/** A table model's optional fields are nullable columns: Better Auth returns them as null. */
function optionalMayBeNull(model: Json): Json {
  const required = new Set((model.required as string[] | undefined) ?? []);
  const properties = Object.entries((model.properties as Record<string, Json> | undefined) ?? {});
  return { ...model, properties: Object.fromEntries(properties.map(([k, p]) => [k, required.has(k) ? p : orNull(p)])) };
}

function withoutDialect(schema: Json): Json {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
