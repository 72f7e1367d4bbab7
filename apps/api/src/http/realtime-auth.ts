import type { FastifyRequest } from 'fastify';
import type { ConnectionCredential } from '@taskstream/realtime';
import type { Auth } from './auth.js';
import { HttpProblem, problem } from './problem.js';

const unauthenticated = (detail: string) => new HttpProblem(problem(401, 'unauthenticated', detail));

/** Who opened a WebSocket, and what authenticated it (the connection ends when that does). */
export interface UpgradeIdentity {
  userId: string;
  credential: ConnectionCredential;
}

/** The subprotocol GET /ws speaks, and answers with: a client offers it beside `bearer.<jwt>`. */
export const WS_PROTOCOL = 'taskstream';
const BEARER_PREFIX = 'bearer.';

/**
 * The JWT a client offered as the subprotocol `bearer.<jwt>` (browsers cannot set headers on a
 * WebSocket; a token in the URL would end up in proxy and ingress access logs). Undefined when it
 * offered none. The client must offer `taskstream` too: that is what the server answers with, so
 * the token is never echoed, and a browser fails a handshake that answers none of its offers.
 */
export function bearerFromProtocols(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const offered = header.split(',').map((p) => p.trim());
  const bearers = offered.filter((p) => p.startsWith(BEARER_PREFIX));
  if (bearers.length === 0) return undefined;
  if (bearers.length > 1 || !offered.includes(WS_PROTOCOL)) {
    throw new HttpProblem(
      problem(400, 'invalid_protocols', `Offer the subprotocols ["${WS_PROTOCOL}", "bearer.<JWT from GET /api/auth/token>"]: one bearer, beside ${WS_PROTOCOL}, which the server answers with.`, [
        { path: 'headers.sec-websocket-protocol', message: `must hold ${WS_PROTOCOL} and one bearer.<jwt>` },
      ]),
    );
  }
  return bearers[0]!.slice(BEARER_PREFIX.length);
}

/**
 * Who opens a WebSocket, decided before the upgrade: a JWT from GET /api/auth/token offered as the
 * subprotocol `bearer.<jwt>`, else the session cookie or "Authorization: Bearer <session token>".
 * A token that is given must be valid: it never falls back to a cookie. With the cookie alone the
 * Origin must be ours, since a browser attaches the cookie to a WebSocket opened by any site.
 */
export function upgradeAuthenticator(auth: Auth, trustedOrigins: readonly string[]) {
  const allowed = new Set(trustedOrigins.map((o) => new URL(o).origin));
  return async (request: FastifyRequest, token: string | undefined): Promise<UpgradeIdentity> => {
    if (token !== undefined) return userOfJwt(auth, token);
    const headers = new Headers();
    for (const name of ['cookie', 'authorization'] as const) {
      const v = request.headers[name];
      if (typeof v === 'string') headers.set(name, v);
    }
    const origin = request.headers.origin;
    if (!headers.has('authorization') && headers.has('cookie') && origin !== undefined && !allowed.has(origin)) {
      throw new HttpProblem(problem(403, 'origin_not_allowed', `WebSocket connections with the session cookie are accepted from ${[...allowed].join(', ')} only, not ${origin}.`));
    }
    const session = await auth.api.getSession({ headers });
    if (!session) throw unauthenticated(`Sign in first: send the session cookie, "Authorization: Bearer <session token>", or offer the subprotocols ${WS_PROTOCOL} and bearer.<JWT from GET /api/auth/token>.`);
    // No expiry kept: sign-in extends a session as it is used, so the hub asks the database for the current one.
    return { userId: session.user.id, credential: { sessionToken: session.session.token } };
  };
}

/** Verified against the app's own JWKS (the jwks table), with its issuer and audience. */
async function userOfJwt(auth: Auth, token: string): Promise<UpgradeIdentity> {
  let subject: string | undefined;
  let expiresAt: number | undefined;
  try {
    const { payload } = await auth.api.verifyJWT({ body: { token } });
    subject = payload?.sub;
    expiresAt = typeof payload?.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    subject = undefined;
  }
  if (!subject) throw unauthenticated('The token is not a valid, unexpired JWT from GET /api/auth/token.');
  // A JWT cannot be revoked: the connection lasts until it expires (15 minutes); the client reconnects with a fresh one.
  return { userId: subject, credential: expiresAt === undefined ? {} : { expiresAt } };
}
