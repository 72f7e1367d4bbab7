import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { typedHandler, type EventBus } from '@taskstream/bus';
import type { Config } from '@taskstream/config';
import { and, gt, inArray, sql } from 'drizzle-orm';
import { session, type Db } from '@taskstream/db';
import { TOPICS } from '@taskstream/events';
import { PUSHED_TYPES, pushToClientsHandler, RealtimeHub, ResumeBuffer } from '@taskstream/realtime';
import type { StatePort } from '@taskstream/state';
import { createStateStore, type StateStoreConfig } from './state-store.js';

export type RealtimeConfig = StateStoreConfig &
  Pick<Config, 'INSTANCE_ID' | 'WS_HEARTBEAT_MS' | 'WS_MAX_BUFFERED_BYTES' | 'WS_MAX_CONNECTIONS_PER_USER' | 'REALTIME_RESUME_SIZE' | 'REALTIME_RESUME_TTL_SECONDS'>;

/** The real-time service of this process: its hub (for GET /ws) and its bus consumer name. */
export interface Realtime {
  hub: RealtimeHub;
  state: StatePort;
  /** GET /ws answers 429 past this many open connections of one user on this replica. */
  maxConnectionsPerUser: number;
  /**
   * Unique per process: every replica must receive every event, since its clients may be anyone.
   * Kafka makes a consumer group of it; under Dapr the pub/sub component's consumerGroup decides
   * (give the real-time app a component with consumerGroup "{podName}").
   */
  consumer: string;
  stop(): Promise<void>;
}

export const realtimeConsumerName = (instanceId: string): string => `realtime.${instanceId.replace(/[^A-Za-z0-9._-]/g, '-')}`;

export function createRealtime(config: RealtimeConfig, deps: { db: Db; logger: Logger; state?: StatePort }): Realtime {
  const owned = deps.state ? undefined : createStateStore(config, deps);
  const state = deps.state ?? owned!.state;
  const hub = new RealtimeHub({
    buffer: new ResumeBuffer(state, { size: config.REALTIME_RESUME_SIZE, ttlSeconds: config.REALTIME_RESUME_TTL_SECONDS }),
    logger: deps.logger.child({ component: 'realtime' }),
    heartbeatMs: config.WS_HEARTBEAT_MS,
    maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
    liveSessions: (tokens) => liveSessions(deps.db, tokens),
  });
  return {
    hub,
    state,
    maxConnectionsPerUser: config.WS_MAX_CONNECTIONS_PER_USER,
    consumer: realtimeConsumerName(config.INSTANCE_ID ?? `${hostname()}-${process.pid}`),
    stop: async () => {
      owned?.stop();
      await hub.close();
    },
  };
}

/** Of these session tokens, those still signed in and unexpired (sign-out deletes the session row). */
async function liveSessions(db: Db, tokens: string[]): Promise<Set<string>> {
  const rows = await db
    .select({ token: session.token })
    .from(session)
    .where(and(inArray(session.token, tokens), gt(session.expiresAt, sql`now()`)));
  return new Set(rows.map((r) => r.token));
}

/** task-updates and notifications → this process's WebSocket clients. */
export function subscribeRealtime(bus: EventBus, realtime: Realtime): void {
  const handler = typedHandler(PUSHED_TYPES, pushToClientsHandler(realtime.hub));
  for (const topic of [TOPICS.taskUpdates, TOPICS.notifications]) bus.subscribe({ consumer: realtime.consumer, topic, handler });
}
