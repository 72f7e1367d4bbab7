import type { FastifyPluginAsync } from 'fastify';
import type { CloudEvent } from '@taskstream/events';

/** What a handler sees besides the event: which delivery attempt this is (1-based). */
export interface DeliveryContext {
  attempt: number;
}

/**
 * Returning means handled. Throwing means "try again later" (retried with backoff, then
 * dead-lettered); throwing PermanentError dead-letters at once (the event can never succeed).
 */
export type EventHandler = (event: CloudEvent, context: DeliveryContext) => Promise<void>;

export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

/** The bus cannot take the event now (sidecar or broker down, bus stopped); the caller retries. */
export class BusUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BusUnavailableError';
  }
}

export interface Subscription {
  /** Stable name of the consuming service: the consumer group, the inbox key. */
  consumer: string;
  topic: string;
  /**
   * The event types it applies to; others on the topic are acknowledged without calling the
   * handler. Absent: every event of the topic.
   */
  types?: readonly string[];
  handler: EventHandler;
  /** Deliveries before dead-lettering; default 5. */
  maxAttempts?: number;
}

/** The port every transport implements: in-process (embedded), Dapr pub/sub, or Kafka directly. */
export interface EventBus {
  readonly kind: 'inprocess' | 'dapr' | 'kafka';
  /**
   * Routes the transport needs on the app's own HTTP server (Dapr: the subscription routes the
   * sidecar calls). Register them before the server listens.
   */
  readonly httpRoutes?: FastifyPluginAsync;
  /** Resolves once the bus has taken responsibility for the event (for in-process: once handled). */
  publish(topic: string, event: CloudEvent): Promise<void>;
  /** Register before start(). */
  subscribe(subscription: Subscription): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
