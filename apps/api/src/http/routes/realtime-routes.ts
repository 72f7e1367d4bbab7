import type { Socket } from 'node:net';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { RealtimeHub, Slot } from '@taskstream/realtime';
import type { Auth } from '../auth.js';
import { HttpProblem, problem, ProblemSchema, sendProblem } from '../problem.js';
import { bearerFromProtocols, upgradeAuthenticator, WS_PROTOCOL, type UpgradeIdentity } from '../realtime-auth.js';
import { registerRealtimeMetrics } from '../realtime-metrics.js';
import { problemResponses } from './problem-schema.js';

const WsQuery = z.object({
  token: z.string().max(8192).optional().describe('refused (400): a token in the URL ends up in access logs; offer it as the subprotocol bearer.<jwt> instead'),
  lastEventId: z.string().min(1).max(100).optional().describe('resume after this message id (or send the Last-Event-ID header)'),
});

/**
 * Registers @fastify/websocket on the root app: before any route, so an upgrade request to a
 * route that is not a WebSocket is closed rather than left open.
 */
export async function registerWebSocket(app: FastifyInstance): Promise<void> {
  // Clients send nothing but pongs; a large frame from one is an error, not something to buffer.
  // Of the offered subprotocols only ours is answered: never the bearer.<jwt> beside it.
  await app.register(websocket, { options: { maxPayload: 4096, handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false) } });
}

/** GET /ws: authenticated before the upgrade, then handed to the hub. */
export async function realtimeRoutes(
  app: FastifyInstance,
  opts: { hub: RealtimeHub; maxConnectionsPerUser: number; auth: Auth; trustedOrigins: readonly string[]; registry: Registry },
): Promise<void> {
  const { hub, maxConnectionsPerUser } = opts;
  registerRealtimeMetrics(opts.registry, hub);
  const authenticate = upgradeAuthenticator(opts.auth, opts.trustedOrigins);
  const identities = new WeakMap<FastifyRequest, { identity: UpgradeIdentity; slot: Slot | undefined }>();
  app.withTypeProvider<ZodTypeProvider>().route({
    method: 'GET',
    url: '/ws',
    schema: {
      summary: 'Live task changes and notifications (WebSocket)',
      description:
        `Upgrade to a WebSocket; authenticate with the session cookie, "Authorization: Bearer <session token>", or by offering the subprotocols ["${WS_PROTOCOL}", "bearer.<JWT from GET /api/auth/token>"] (answered with ${WS_PROTOCOL}). ` +
        'Messages: {type:"hello", id} first, then {id, type:"task.changed"|"notification.changed", data}; ' +
        '{type:"resync"} when the resume point is no longer buffered. A slow reader is closed with 1013: reconnect with lastEventId. ' +
        'When the session is signed out or expires, or the token expires, the socket is closed with 4001: sign in again. ' +
        'More live connections per user than WS_MAX_CONNECTIONS_PER_USER answer 429.',
      tags: ['realtime'],
      querystring: WsQuery,
      response: {
        101: z.null().describe('Switching Protocols: the WebSocket is open'),
        401: ProblemSchema.describe('Not signed in, or the token or session is not valid'),
        426: ProblemSchema.describe('Upgrade Required: a plain HTTP request, not a WebSocket handshake'),
        ...problemResponses,
      },
    },
    // A JWT wrongly sent in the query string must not reach the request log either.
    logSerializers: { req: (req: FastifyRequest) => ({ method: req.method, url: req.url.replace(/([?&]token=)[^&]*/g, '$1[redacted]'), remoteAddress: req.ip }) },
    preHandler: async (request) => {
      if (request.query.token !== undefined) {
        throw new HttpProblem(
          problem(400, 'token_in_url', `A token in the URL ends up in access logs, so GET /ws no longer accepts ?token=: offer the subprotocols ${WS_PROTOCOL} and bearer.<JWT> instead.`, [
            { path: 'query.token', message: 'not accepted; use the Sec-WebSocket-Protocol bearer.<jwt>' },
          ]),
        );
      }
      const protocols = request.headers['sec-websocket-protocol'];
      const identity = await authenticate(request, bearerFromProtocols(typeof protocols === 'string' ? protocols : undefined));
      // Per replica: enough for every tab and device a person has, not for a runaway client.
      const open = hub.connectionsOf(identity.userId);
      if (open >= maxConnectionsPerUser) {
        throw new HttpProblem(
          problem(429, 'too_many_connections', `This account already has ${open} live connections here (the limit is ${maxConnectionsPerUser}); close some tabs or apps and try again.`),
        );
      }
      // No await between the check and the reservation: the slot is taken before another upgrade can look.
      identities.set(request, { identity, slot: request.ws ? holdSlot(hub, identity.userId, request) : undefined });
    },
    handler: async (_request, reply) =>
      sendProblem(reply.header('upgrade', 'websocket'), problem(426, 'upgrade_required', 'GET /ws is a WebSocket endpoint: connect with a WebSocket client.')),
    wsHandler: (socket, request) => {
      const accepted = identities.get(request);
      if (!accepted) return socket.close(1008, 'unauthenticated');
      const { identity, slot } = accepted;
      const header = request.headers['last-event-id'];
      const lastEventId = request.query.lastEventId ?? (typeof header === 'string' && header.length > 0 ? header : undefined);
      return hub.connect(socket, identity.userId, lastEventId, identity.credential, slot);
    },
  });
}

/**
 * Reserves one of the user's connections for an upgrade in progress. The hub turns it into the
 * connection; if the upgrade never completes (the client went away, the handshake was bad), the
 * socket's close gives the slot back.
 */
function holdSlot(hub: RealtimeHub, userId: string, request: FastifyRequest): Slot {
  const slot = hub.reserve(userId);
  const transport = request.raw.socket as Socket | undefined;
  if (!transport || transport.destroyed) slot.release();
  else transport.once('close', () => slot.release());
  return slot;
}
