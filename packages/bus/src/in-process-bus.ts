import type { BusObserver } from './bus-observer.js';
import type { Logger } from 'pino';
import type { CloudEvent } from '@taskstream/events';
import type { DeadLetterSink } from './dead-letter-store.js';
import { BusUnavailableError, type EventBus, type Subscription } from './event-bus.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy.js';
import { BackoffSleeper } from './backoff-sleeper.js';
import { DeliveryPolicy } from './delivery-policy.js';

export interface InProcessBusOptions {
  deadLetters: DeadLetterSink;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  observer?: BusObserver;
}

/**
 * Embedded mode's bus. It is durable because the outbox feeds it: publish() resolves only after
 * every subscriber handled the event (or dead-lettered it), so the relay marks a row published
 * only then, and a crash in between means the row is published again after restart.
 */
export class InProcessBus implements EventBus {
  readonly kind = 'inprocess';
  private readonly subscriptions: Subscription[] = [];
  /** One promise chain per (consumer, partition key): a user's events reach a consumer in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly policy: DeliveryPolicy;
  private running = false;
  private readonly backoff = new BackoffSleeper();

  constructor(private readonly options: InProcessBusOptions) {
    this.policy = new DeliveryPolicy({ system: 'inprocess', retry: { ...DEFAULT_RETRY, ...options.retry }, logger: options.logger, observer: options.observer });
  }

  subscribe(subscription: Subscription): void {
    this.subscriptions.push(subscription);
  }

  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.backoff.wakeAll();
    await Promise.allSettled([...this.chains.values()]);
  }

  async publish(topic: string, event: CloudEvent): Promise<void> {
    if (!this.running) throw new BusUnavailableError('in-process bus is stopped');
    const targets = this.subscriptions.filter((s) => s.topic === topic);
    await Promise.all(targets.map((s) => this.enqueue(s, topic, event)));
  }

  private enqueue(s: Subscription, topic: string, event: CloudEvent): Promise<void> {
    const key = `${s.consumer}\u0000${event.partitionkey}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.deliver(s, topic, event));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    }).catch(() => {});
    return next;
  }

  private async deliver(s: Subscription, topic: string, event: CloudEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (!this.running) throw new BusUnavailableError(`stopped while delivering ${event.id} to ${s.consumer}`);
      const outcome = await this.policy.run({ subscription: s, topic, event, attempt });
      if (outcome.kind === 'retry') {
        await this.backoff.sleep(outcome.delayMs);
        continue;
      }
      if (outcome.kind === 'dead-letter') {
        await this.options.deadLetters.record({ consumer: s.consumer, topic, event, error: outcome.error, attempts: attempt });
      }
      return;
    }
  }
}
