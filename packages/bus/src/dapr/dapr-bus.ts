import type { BusObserver } from '../bus-observer.js';
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { deadLetterTopic, type CloudEvent } from '@taskstream/events';
import { DeliveryPolicy } from '../delivery-policy.js';
import { errorText } from '../error-text.js';
import { BusUnavailableError, type EventBus, type Subscription } from '../event-bus.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../retry-policy.js';
import {
  daprEventRoute,
  daprSubscriptionRoutes,
  type DaprDeliveryHandler,
  type DaprDeliveryStatus,
  type DaprSubscriptionManifest,
} from './dapr-routes.js';
import { normalizeDelivery } from './normalize-delivery.js';

export interface DaprBusOptions {
  /** The sidecar's --dapr-http-port. */
  daprHttpPort: number;
  /** The pub/sub component's name (deploy/dapr: "pubsub"). */
  pubsubName: string;
  logger: Logger;
  /**
   * Only `maxAttempts` applies (the default for subscriptions without one). Redelivery backoff is
   * the sidecar's resiliency policy, which also caps the attempts: with `maxRetries: N` Dapr
   * dead-letters after N + 1 failed deliveries, whatever the app answers.
   */
  retry?: Partial<RetryPolicy>;
  observer?: BusObserver;
  /** Timeout of one publish request to the sidecar; default 10 s. */
  fetchTimeoutMs?: number;
  /** How long start() waits for the sidecar's /v1.0/healthz/outbound; default 60 s. */
  readyTimeoutMs?: number;
  /** Sidecar host; default 127.0.0.1. */
  daprHost?: string;
  /** Extra metadata for every programmatic subscription (component specific). */
  subscriptionMetadata?: Record<string, string>;
}

const isDeadLetterTopic = (topic: string) => topic.endsWith(deadLetterTopic(''));

/** Attempts per consumer of one event still being retried. */
interface PendingDelivery {
  attempts: Map<string, number>;
  done: Set<string>;
  dropped: boolean;
}

const MAX_PENDING = 10_000;

/**
 * EventBus over Dapr pub/sub (HTTP API of the sidecar). Publishing POSTs the CloudEvent to the
 * sidecar; consuming is served by the app's own HTTP server: register `bus.httpRoutes`
 * (./dapr-routes.ts) on the Fastify app before it listens, since
 * Dapr reads GET /dapr/subscribe once, when the app port opens. One Dapr subscription per topic:
 * several Subscriptions on a topic share it and every handler gets every delivery.
 *
 * Handler outcome → Dapr status: returned → SUCCESS; threw → RETRY until the subscription's
 * maxAttempts (counted here per event id, since Dapr does not say), then DROP; PermanentError or
 * an event that is not a valid envelope → DROP, which Dapr forwards to `<topic>.dlq`.
 *
 * Before start() and after stop(), deliveries are held unanswered: any answer would either
 * acknowledge the message or spend one of Dapr's bounded retries on it (and the last one sends it
 * to the dead-letter topic). A held delivery ends when the sidecar goes away, so the message is
 * not committed and comes back to the next consumer of the group.
 */
export class DaprBus implements EventBus, DaprDeliveryHandler {
  readonly kind = 'dapr';
  /** GET /dapr/subscribe and POST /dapr/events/:topic, for the app's Fastify server. */
  readonly httpRoutes: FastifyPluginAsync = daprSubscriptionRoutes(this);
  private readonly subscriptions: Subscription[] = [];
  private readonly policy: DeliveryPolicy;
  private readonly baseUrl: string;
  private state: 'new' | 'running' | 'stopped' = 'new';
  private readonly publishes = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly pending = new Map<string, PendingDelivery>();
  private readonly waiting = new Set<() => void>();

  constructor(private readonly options: DaprBusOptions) {
    this.policy = new DeliveryPolicy({ system: 'dapr', retry: { ...DEFAULT_RETRY, ...options.retry }, logger: options.logger, observer: options.observer });
    this.baseUrl = `http://${options.daprHost ?? '127.0.0.1'}:${options.daprHttpPort}`;
  }

  subscribe(subscription: Subscription): void {
    if (this.state !== 'new') throw new Error(`DaprBus.subscribe(${subscription.consumer}, ${subscription.topic}) after start(): Dapr reads the subscriptions once`);
    this.subscriptions.push(subscription);
  }

  /** Waits (bounded) until the sidecar can reach its components; then deliveries are handled. */
  async start(): Promise<void> {
    if (this.state === 'stopped') throw new Error('DaprBus cannot restart after stop(); create a new one');
    if (this.state === 'running') return;
    await this.waitForSidecar();
    this.state = 'running';
    for (const wake of this.waiting) wake();
  }

  /** Stops publishing, waits for the handlers in flight; deliveries from now on are held. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    this.publishes.abort(new BusUnavailableError('dapr bus stopped'));
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    this.pending.clear();
  }

  async publish(topic: string, event: CloudEvent): Promise<void> {
    if (this.state !== 'running') throw new BusUnavailableError(`dapr bus is ${this.state === 'new' ? 'not started' : 'stopped'}`);
    const url = `${this.baseUrl}/v1.0/publish/${encodeURIComponent(this.options.pubsubName)}/${encodeURIComponent(topic)}?metadata.partitionKey=${encodeURIComponent(event.partitionkey)}`;
    // Dapr adds its own traceid/traceparent unless the envelope has a "traceid"; giving it ours
    // (or "") keeps our traceparent as it is, and absent when we had none.
    const body = JSON.stringify({ ...event, traceid: event.traceparent ?? '' });
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body,
        signal: AbortSignal.any([this.publishes.signal, AbortSignal.timeout(this.options.fetchTimeoutMs ?? 10_000)]),
      });
    } catch (err) {
      throw new BusUnavailableError(`dapr publish to ${topic} failed: ${errorText(err)}`, { cause: err });
    }
    if (res.ok) {
      await res.body?.cancel().catch(() => {});
      return;
    }
    const text = await res.text().catch(() => '');
    throw new BusUnavailableError(`dapr publish to ${topic} returned ${res.status}: ${text.slice(0, 500)}`);
  }

  /** The programmatic subscriptions for GET /dapr/subscribe: one per topic. */
  subscriptionManifest(): DaprSubscriptionManifest[] {
    const topics = [...new Set(this.subscriptions.map((s) => s.topic))];
    return topics.map((topic) => ({
      pubsubname: this.options.pubsubName,
      topic,
      route: daprEventRoute(topic),
      // A dead-letter topic has no dead-letter topic of its own.
      ...(!isDeadLetterTopic(topic) && { deadLetterTopic: deadLetterTopic(topic) }),
      metadata: { ...this.options.subscriptionMetadata },
    }));
  }

  /**
   * Handles one delivery from the sidecar. `body` is the raw request body (or an already parsed
   * value); `gone` settles when the sidecar's request is closed. Resolves with the status to answer,
   * or 'GONE' when the request ended while held (nothing to answer). Never rejects.
   */
  async handleDelivery(topic: string, body: unknown, gone: Promise<void>): Promise<DaprDeliveryStatus | 'GONE'> {
    if (this.state !== 'running') {
      this.options.logger.debug({ topic, state: this.state }, 'dapr delivery held: bus not running');
      const ready = await this.held(gone);
      if (!ready) return 'GONE';
    }
    const parsed = normalizeDelivery(body);
    if (!parsed.ok) {
      this.options.logger.error({ topic, error: parsed.error }, 'dapr delivery is not a valid event; dropping it to the dead-letter topic');
      return 'DROP';
    }
    const targets = this.subscriptions.filter((s) => s.topic === topic);
    if (targets.length === 0) {
      this.options.logger.error({ topic, eventId: parsed.event.id }, 'dapr delivered a topic nobody subscribed to; dropping it');
      return 'DROP';
    }
    const run = this.dispatch(topic, parsed.event, targets);
    this.inFlight.add(run);
    try {
      const status = await run;
      // Stopping: a RETRY would spend one of the sidecar's bounded retries; hold it instead.
      if (status === 'RETRY' && this.state !== 'running') return (await this.held(gone)) ? 'RETRY' : 'GONE';
      return status;
    } finally {
      this.inFlight.delete(run);
    }
  }

  private async dispatch(topic: string, event: CloudEvent, targets: Subscription[]): Promise<DaprDeliveryStatus> {
    const key = `${topic}\u0000${event.id}`;
    const p = this.pending.get(key) ?? { attempts: new Map<string, number>(), done: new Set<string>(), dropped: false };
    const retrying = await Promise.all(targets.filter((s) => !p.done.has(s.consumer)).map((s) => this.deliverTo(s, topic, event, p)));
    if (retrying.includes(true)) {
      this.pending.delete(key);
      this.pending.set(key, p);
      if (this.pending.size > MAX_PENDING) {
        const oldest = this.pending.keys().next();
        if (!oldest.done) this.pending.delete(oldest.value);
      }
      return 'RETRY';
    }
    this.pending.delete(key);
    return p.dropped ? 'DROP' : 'SUCCESS';
  }

  /** One consumer's attempt, counted in `p`; resolves true when it wants a redelivery. */
  private async deliverTo(s: Subscription, topic: string, event: CloudEvent, p: PendingDelivery): Promise<boolean> {
    const attempt = (p.attempts.get(s.consumer) ?? 0) + 1;
    p.attempts.set(s.consumer, attempt);
    const outcome = await this.policy.run({ subscription: s, topic, event, attempt });
    // A retry's delay is the sidecar's resiliency policy, not ours.
    if (outcome.kind === 'retry' || outcome.kind === 'abandoned') return true;
    p.done.add(s.consumer);
    if (outcome.kind === 'dead-letter') p.dropped = true;
    return false;
  }

  /** Resolves true once the bus runs, false when the request is gone first. */
  private held(gone: Promise<void>): Promise<boolean> {
    if (this.state === 'running') return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        this.waiting.delete(wake);
        resolve(this.state === 'running');
      };
      this.waiting.add(wake);
      void gone.then(wake, wake);
    });
  }

  private async waitForSidecar(): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 60_000;
    const url = `${this.baseUrl}/v1.0/healthz/outbound`;
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await res.body?.cancel().catch(() => {});
        if (res.ok) return;
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = errorText(err instanceof Error && err.cause instanceof Error ? err.cause : err);
      }
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new BusUnavailableError(
      `Dapr sidecar not ready after ${Math.round(timeoutMs / 1000)}s: GET ${url} → ${last}. Is daprd running with --dapr-http-port ${this.options.daprHttpPort}?`,
    );
  }
}
