import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_IP_HEADER, type Auth } from '../auth.js';
import { betterAuthDocument } from '../better-auth-document.js';
import { problem, sendProblem } from '../problem.js';

/** Serves Better Auth under /api/auth by bridging Fastify requests to its Web Request handler. */
export async function authRoutes(app: FastifyInstance, { auth }: { auth: Auth }): Promise<void> {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    schema: { hide: true },
    handler: async (request, reply) => forward(auth, request, reply),
  });
  // The wildcard route is hidden; /openapi.json describes the endpoints behind it instead.
  app.describeApi(await betterAuthDocument(auth));
}

async function forward(auth: Auth, request: FastifyRequest, reply: FastifyReply) {
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value === undefined || key === CLIENT_IP_HEADER) continue;
    headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  headers.set(CLIENT_IP_HEADER, request.ip);
  const url = new URL(request.url, `http://${request.headers.host ?? 'localhost'}`);
  const hasBody = request.method !== 'GET' && request.body !== undefined;
  const response = await auth.handler(
    new Request(url, { method: request.method, headers, body: hasBody ? JSON.stringify(request.body) : undefined }),
  );
  const text = await response.text();
  if (response.status >= 400) return sendAuthProblem(reply, response, text);
  reply.status(response.status);
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie' && key !== 'content-length') reply.header(key, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) reply.header('set-cookie', cookies);
  return reply.send(text || null);
}

/** Better Auth answers errors as {code, message}; clients get our usual problem+json instead. */
function sendAuthProblem(reply: FastifyReply, response: Response, text: string) {
  let body: { code?: string; message?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: fall back to the status text
  }
  const retryAfter = response.headers.get('x-retry-after') ?? response.headers.get('retry-after');
  if (retryAfter) reply.header('retry-after', retryAfter);
  const status = response.status >= 500 ? 500 : response.status;
  const code = (body.code ?? (status === 429 ? 'too_many_requests' : 'auth_error')).toLowerCase();
  const detail = status === 429 ? `Too many attempts; try again in ${retryAfter ?? 'a few'} seconds.` : body.message || response.statusText || 'Authentication failed.';
  return sendProblem(reply, problem(status, code, detail));
}
