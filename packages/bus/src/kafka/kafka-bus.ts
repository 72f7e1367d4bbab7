import type { BusObserver } from '../bus-observer.js';
import { compatibilityPartitioner, ProduceAcks, Producer, stringSerializers } from '@platformatic/kafka';
import type { Logger } from 'pino';
import type { CloudEvent } from '@taskstream/events';
import { errorText } from '../error-text.js';
import { BusUnavailableError, type EventBus, type Subscription } from '../event-bus.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../retry-policy.js';
import { forceClose } from './records.js';
import { SubscriptionRunner } from './subscription-runner.js';

export interface KafkaBusOptions {
  /** host:port of the bootstrap brokers. */
  brokers: string[];
  /** Prefix of the Kafka client ids (the producer and one consumer per subscription). */
  clientId: string;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  /**
   * true (default): an event the handler gave up on goes to `${topic}.dlq`. false: it is logged
   * and skipped (its offset is committed), for consumers that must never block and keep no DLQ.
   */
  deadLetter?: boolean;
  observer?: BusObserver;
}

/**
 * The EventBus over Kafka without a sidecar (@platformatic/kafka). Events travel as structured
 * CloudEvents (the JSON envelope is the record value) keyed by `partitionkey`, so one user's events
 * share a partition. Each subscription is a consumer group (`consumer`) that handles one
 * partition's records strictly in order, retries a failing handler in place with backoff, then
 * dead-letters to `${topic}.dlq`, and commits an offset only once its record was handled or
 * dead-lettered: delivery is at least once, and the inbox makes redelivery harmless.
 */
export class KafkaBus implements EventBus {
  readonly kind = 'kafka';
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;
  private readonly producer: Producer<string, string, string, string>;
  private readonly subscriptions: Subscription[] = [];
  private runners: SubscriptionRunner[] = [];
  private state: 'new' | 'started' | 'stopped' = 'new';

  constructor(private readonly options: KafkaBusOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.logger = options.logger.child({ component: 'kafka-bus' });
    this.producer = new Producer({
      clientId: `${options.clientId}-producer`,
      bootstrapBrokers: options.brokers,
      serializers: stringSerializers,
      // Java-compatible murmur2, so other Kafka clients keying by user id pick the same partition.
      partitioner: compatibilityPartitioner,
      // Not idempotent: in @platformatic/kafka 1.35, concurrent send()s to one partition reuse a
      // sequence number, and the broker acknowledges the "duplicates" without writing them (checked
      // against Kafka 3.9: 10 concurrent sends, 1 record). A send that fails after the broker wrote it
      // leaves the sequence behind the same way. Redelivery is harmless here (inbox), loss is not;
      // one key's order holds because the outbox relay publishes a key's events one at a time.
      idempotent: false,
      acks: ProduceAcks.ALL,
      // Bounded, so publish() fails over to the outbox relay's backoff while the broker is down.
      retries: 3,
      retryDelay: 250,
    });
  }

  subscribe(subscription: Subscription): void {
    if (this.state !== 'new') throw new Error('KafkaBus: subscribe() before start()');
    this.subscriptions.push(subscription);
  }

  /** Resolves once every subscription's consumer joined its group and knows where to read from. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`KafkaBus: start() on a ${this.state} bus`);
    this.state = 'started';
    const { brokers, clientId, deadLetter = true } = this.options;
    const runner = { brokers, clientId, deadLetter, retry: this.retry, logger: this.logger, producer: this.producer, observer: this.options.observer };
    this.runners = this.subscriptions.map((s) => new SubscriptionRunner(s, runner));
    try {
      await Promise.all(this.runners.map((r) => r.start()));
    } catch (err) {
      await this.stop();
      throw new BusUnavailableError(`Kafka consumers could not start: ${errorText(err)}`, { cause: err });
    }
  }

  /** Stops fetching, aborts retries, leaves the groups (uncommitted records go to the next member). */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await Promise.allSettled(this.runners.map((r) => r.stop()));
    await forceClose(this.producer).catch((err: unknown) => this.logger.warn({ err }, 'closing the producer failed'));
  }

  /** Resolves when the broker acknowledged the record on all in-sync replicas. */
  async publish(topic: string, event: CloudEvent): Promise<void> {
    if (this.state === 'stopped') throw new BusUnavailableError('Kafka bus is stopped');
    try {
      await this.producer.send({
        messages: [
          {
            topic,
            key: event.partitionkey,
            value: JSON.stringify(event),
            headers: { 'content-type': 'application/cloudevents+json', ce_id: event.id, ce_type: event.type },
          },
        ],
      });
    } catch (err) {
      throw new BusUnavailableError(`Kafka publish of ${event.id} to ${topic} failed: ${errorText(err)}`, { cause: err });
    }
  }
}
