import { hostname } from 'node:os';
import { and, gt, inArray, sql } from 'drizzle-orm';
import { session, type Db } from '@taskstream/db';
import { pushToClients, RealtimeHub, ResumeBuffer } from '@taskstream/realtime';
import { createStateStore } from '../compose/state-store.js';
import { realtimeRoutes } from '../http/routes/realtime-routes.js';
import type { ServiceRow } from './contribution.js';

/**
 * The real-time service: task-updates and notifications fan out to every open WebSocket (GET /ws)
 * of their user on this replica, with a resume buffer in the state store for reconnects.
 */
export const realtimeService: ServiceRow<{ hub: RealtimeHub }> = async ({ config, database, logger, auth, metrics }) => {
  const store = createStateStore(config, { db: database.db, logger });
  const hub = new RealtimeHub({
    buffer: new ResumeBuffer(store.state, { size: config.REALTIME_RESUME_SIZE, ttlSeconds: config.REALTIME_RESUME_TTL_SECONDS }),
    logger: logger.child({ component: 'realtime' }),
    heartbeatMs: config.WS_HEARTBEAT_MS,
    maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
    liveSessions: (tokens) => liveSessions(database.db, tokens),
  });
  const stop = async () => {
    store.stop();
    await hub.close();
  };
  return {
    subscriptions: pushToClients(hub, config.INSTANCE_ID ?? `${hostname()}-${process.pid}`),
    routes: [
      async (app) => {
        // Before the WebSocket plugin closes what is left, the hub says goodbye with 1001.
        app.addHook('preClose', stop);
        await app.register(realtimeRoutes, {
          hub,
          maxConnectionsPerUser: config.WS_MAX_CONNECTIONS_PER_USER,
          auth: auth(),
          trustedOrigins: [config.publicUrl, ...config.TRUSTED_ORIGINS],
          registry: metrics,
        });
      },
    ],
    stop,
    handle: { hub },
  };
};

/** Of these session tokens, those still signed in and unexpired (sign-out deletes the session row). */
async function liveSessions(db: Db, tokens: string[]): Promise<Set<string>> {
  const rows = await db
    .select({ token: session.token })
    .from(session)
    .where(and(inArray(session.token, tokens), gt(session.expiresAt, sql`now()`)));
  return new Set(rows.map((r) => r.token));
}
