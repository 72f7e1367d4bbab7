import type { Logger } from 'pino';
import { isEventType, type CloudEvent } from '@taskstream/events';
import type { BusObserver, DeliveryResult } from './bus-observer.js';
import { withProcessSpan } from '@taskstream/telemetry';
import { errorText } from './error-text.js';
import { PermanentError, type EventBus, type Subscription } from './event-bus.js';
import { backoffMs, type RetryPolicy } from './retry-policy.js';

/**
 * What became of one delivery attempt. The adapter turns it into its transport's action:
 * handled → acknowledge; dead-letter → record or forward the event, then acknowledge;
 * retry → deliver again after `delayMs`; abandoned → neither (the bus is stopping, so the
 * event is left for redelivery to whoever consumes next).
 */
export type DeliveryOutcome =
  | { readonly kind: 'handled' }
  | { readonly kind: 'dead-letter'; readonly error: string }
  | { readonly kind: 'retry'; readonly delayMs: number }
  | { readonly kind: 'abandoned' };

export interface DeliveryAttempt {
  subscription: Subscription;
  topic: string;
  event: CloudEvent;
  /** 1-based. */
  attempt: number;
  /** Where the event came from, for the log lines (Kafka: partition and offset). */
  where?: Record<string, unknown>;
}

export interface DeliveryPolicyOptions {
  /** The transport, named on each handling span (messaging.system). */
  system: EventBus['kind'];
  /** maxAttempts is the default of subscriptions without their own; the delays are the backoff. */
  retry: RetryPolicy;
  logger: Logger;
  /**
   * When this is true after a handler failed, the failure is neither retried nor dead-lettered:
   * for a transport that redelivers what it did not acknowledge (Kafka: uncommitted offsets).
   */
  stopping?: () => boolean;
  /** Told every attempt's result (the metrics). */
  observer?: BusObserver;
}

const HANDLED: DeliveryOutcome = { kind: 'handled' };

/**
 * Whether a subscription applies to an event: only its `types`, when it lists them. A type the
 * catalog does not know is no one's to skip: it reaches the handler, which dead-letters it.
 */
export const appliesTo = (subscription: Subscription, event: CloudEvent): boolean =>
  subscription.types === undefined || subscription.types.includes(event.type) || !isEventType(event.type);

/**
 * The one rule every adapter delivers by: run the handler; a PermanentError, or a failure on the
 * subscription's last attempt, dead-letters the event; any other failure is retried after backoff.
 * Events of known types the subscription does not list are acknowledged without calling the handler.
 * Each attempt runs in a span of the event's trace ("process <topic>"; a no-op without an SDK).
 */
export class DeliveryPolicy {
  constructor(private readonly options: DeliveryPolicyOptions) {}

  async run(delivery: DeliveryAttempt): Promise<DeliveryOutcome> {
    const { subscription: s, topic, event } = delivery;
    const observe = (result: DeliveryResult, seconds: number) => this.options.observer?.delivered?.({ consumer: s.consumer, topic, event, result, seconds });
    if (!appliesTo(s, event)) {
      observe('skipped', 0);
      return HANDLED;
    }
    const started = performance.now();
    const outcome = await this.handle(delivery);
    observe(outcome.kind === 'dead-letter' ? 'dead_letter' : outcome.kind, (performance.now() - started) / 1000);
    return outcome;
  }

  private async handle(delivery: DeliveryAttempt): Promise<DeliveryOutcome> {
    const { subscription: s, topic, event, attempt } = delivery;
    try {
      await withProcessSpan({ system: this.options.system, topic, consumer: s.consumer, attempt }, event, () => s.handler(event, { attempt }));
      return HANDLED;
    } catch (err) {
      const log = { ...delivery.where, consumer: s.consumer, topic, eventId: event.id, type: event.type, attempt, err };
      const { logger, retry, stopping } = this.options;
      if (stopping?.()) {
        logger.warn(log, 'handler failed while stopping; left for redelivery');
        return { kind: 'abandoned' };
      }
      if (err instanceof PermanentError || attempt >= (s.maxAttempts ?? retry.maxAttempts)) {
        logger.error(log, 'event dead-lettered');
        return { kind: 'dead-letter', error: errorText(err) };
      }
      logger.warn(log, 'handler failed; retrying');
      return { kind: 'retry', delayMs: backoffMs(attempt, retry) };
    }
  }
}
