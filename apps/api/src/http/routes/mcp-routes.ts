import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { createTaskMcpServer } from '@taskstream/chat';
import type { Db } from '@taskstream/db';
import type { TasksContext } from '@taskstream/tasks';
import { actorOf } from '../authenticate.js';
import { userRateLimit } from '../rate-limit.js';
import { taskToolsAdapter } from '../chat/task-tools-adapter.js';

function webRequest(req: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  return new Request(`http://${req.host}${req.url}`, { method: req.method, headers });
}

const notAllowed = { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP server is stateless; send JSON-RPC with POST /mcp.' }, id: null };

/**
 * MCP over Streamable HTTP, stateless: each POST gets a fresh server bound to the
 * authenticated user, so nothing is kept between requests (any replica can answer).
 */
export const mcpRoutes: FastifyPluginAsync<{ ctx: TasksContext; db: Db; perMinute: number }> = async (app, { ctx, db, perMinute }) => {
  // A client (or a model driving it) in a loop is held to a pace, counted across every replica.
  const rateLimit = userRateLimit(db, { scope: 'mcp', what: 'MCP requests', max: perMinute, windowSeconds: 60 });
  app.addHook('onSend', async (_req, reply) => {
    if (reply.statusCode === 401) reply.header('www-authenticate', 'Bearer realm="taskstream"');
  });
  app.post('/mcp', { schema: { hide: true }, preHandler: rateLimit }, async (req, reply) => {
    // Loaded on first use: an API that never serves MCP starts without the SDK.
    const { WebStandardStreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js');
    const server = await createTaskMcpServer(taskToolsAdapter(ctx, db, actorOf(req)), ctx.now);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    try {
      await server.connect(transport);
      const response = await transport.handleRequest(webRequest(req), { parsedBody: req.body });
      reply.status(response.status);
      response.headers.forEach((value, name) => void reply.header(name, value));
      const body = await response.text();
      return await reply.send(body === '' ? undefined : body);
    } finally {
      await server.close();
    }
  });
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({ method, url: '/mcp', schema: { hide: true }, handler: async (_req, reply) => reply.status(405).header('allow', 'POST').send(notAllowed) });
  }
};
