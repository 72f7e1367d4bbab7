import type { BusObserver } from '../bus-observer.js';
import { Consumer, MessagesStreamModes, type Producer } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { BackoffSleeper } from '../backoff-sleeper.js';
import { DeliveryPolicy } from '../delivery-policy.js';
import type { Subscription } from '../event-bus.js';
import { backoffMs, type RetryPolicy } from '../retry-policy.js';
import { produceDeadLetter, type DeadLetterProducer } from './dead-letters.js';
import { PartitionQueues } from './partition-queue.js';
import { deserializers, forceClose, GROUP, MAX_WAIT_MS, parseRecord, type KafkaMessage, type KafkaStream } from './records.js';

/** How long start() waits for a consumer to join its group and learn its offsets. */
const JOIN_TIMEOUT_MS = 60_000;
/** How long stop() waits for handlers still running before it closes the clients anyway. */
const DRAIN_TIMEOUT_MS = 30_000;

export interface SubscriptionRunnerOptions {
  brokers: string[];
  clientId: string;
  retry: RetryPolicy;
  /** The bus's logger: the delivery policy's lines name consumer and topic themselves. */
  logger: Logger;
  producer: Producer<string, string, string, string>;
  /** false: an event the handler gave up on is logged and skipped instead of dead-lettered. */
  deadLetter: boolean;
  observer?: BusObserver | undefined;
}

/** One subscription: its consumer group, its stream, and one in-order queue per partition. */
export class SubscriptionRunner {
  private readonly consumer: Consumer<string, Buffer, string, string>;
  private stream: KafkaStream | undefined;
  private readonly queues: PartitionQueues;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  private readonly backoff = new BackoffSleeper();
  private readonly logger: Logger;
  private readonly policy: DeliveryPolicy;
  private readonly deadLetters: DeadLetterProducer;

  constructor(
    private readonly sub: Subscription,
    private readonly options: SubscriptionRunnerOptions,
  ) {
    this.logger = options.logger.child({ consumer: sub.consumer, topic: sub.topic });
    const stopping = () => this.stopping;
    this.policy = new DeliveryPolicy({ system: 'kafka', retry: options.retry, logger: options.logger, stopping, observer: options.observer });
    this.deadLetters = { producer: options.producer, retry: options.retry, backoff: this.backoff, logger: this.logger, stopping };
    this.queues = new PartitionQueues({
      deliver: (record) => this.deliver(record),
      pause: () => this.stream?.pause(),
      resume: () => this.stream?.resume(),
      stopping,
      logger: this.logger,
    });
    this.consumer = new Consumer({
      clientId: `${options.clientId}-${sub.consumer}`,
      bootstrapBrokers: options.brokers,
      // One group per (consumer, topic): with one group for several topics, each member joined
      // with a different subscription and @platformatic/kafka 1.35 left partitions unassigned
      // (measured: a consumer of task-events and task-updates handled 22% of the events).
      groupId: `${sub.consumer}.${sub.topic}`,
      autocommit: false,
      deserializers,
      maxWaitTime: MAX_WAIT_MS,
      ...GROUP,
    });
    this.consumer.on('consumer:group:join', ({ assignments }) => {
      const kept = new Set(assignments?.find((a) => a.topic === sub.topic)?.partitions ?? []);
      this.queues.keepOnly(kept);
      this.logger.debug({ partitions: [...kept] }, 'partitions assigned');
    });
    this.consumer.on('consumer:heartbeat:error', ({ error }) => this.logger.debug({ err: error }, 'heartbeat failed'));
  }

  async start(): Promise<void> {
    await this.openStream();
  }

  /**
   * Joins the group, then waits until the stream resolved its offsets: committed ones, or for a
   * new group the library default (the end of each partition). A record appended after this
   * resolves is therefore never skipped.
   */
  private async openStream(): Promise<void> {
    let offsetsKnown: Promise<void> | undefined;
    const stream = await new Promise<KafkaStream>((resolve, reject) => {
      this.consumer.consume(
        { topics: [this.sub.topic], mode: MessagesStreamModes.COMMITTED, autocommit: false, maxWaitTime: MAX_WAIT_MS, ...GROUP },
        (err, s) => {
          if (err || !s) return reject(err ?? new Error('no stream'));
          // Attached before the stream's construction (next tick) can emit anything.
          offsetsKnown = this.offsetsKnown(s);
          resolve(s);
        },
      );
    });
    this.stream = stream;
    try {
      await offsetsKnown;
    } catch (err) {
      await stream.close().catch(() => {});
      throw err;
    }
    stream.on('data', (record: KafkaMessage) => this.queues.take(record));
    stream.on('error', (err) => {
      if (!this.stopping) this.logger.error({ err }, 'Kafka stream failed');
    });
    stream.once('close', () => {
      if (this.stream === stream) this.stream = undefined;
      if (!this.stopping) this.scheduleRestart();
    });
    this.restarts = 0;
    this.logger.info({ partitions: this.consumer.assignments?.find((a) => a.topic === this.sub.topic)?.partitions ?? [] }, 'Kafka consumer started');
  }

  /** Resolves on the stream's first 'offsets', rejects on an error or after JOIN_TIMEOUT_MS. */
  private offsetsKnown(stream: KafkaStream): Promise<void> {
    return new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no offsets for ${this.sub.topic} within ${JOIN_TIMEOUT_MS} ms`)), JOIN_TIMEOUT_MS);
      stream.once('offsets', () => {
        clearTimeout(timer);
        ok();
      });
      stream.once('error', (e) => {
        clearTimeout(timer);
        fail(e);
      });
    });
  }

  /** A stream ends on errors the library does not retry (broker gone for long): open a new one. */
  private scheduleRestart(): void {
    const delay = backoffMs(++this.restarts, { baseDelayMs: 500, maxDelayMs: 30_000 });
    this.logger.warn({ retryInMs: delay }, 'Kafka stream closed; reopening');
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.openStream().catch((err: unknown) => {
        this.logger.error({ err }, 'reopening the Kafka stream failed');
        if (!this.stopping) this.scheduleRestart();
      });
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.backoff.wakeAll();
    const stream = this.stream;
    stream?.pause();
    // Handlers still running finish (a success is committed; a failure is not retried).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.queues.clear(),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.logger.warn('handlers still running at stop; closing anyway');
          resolve();
        }, DRAIN_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    await stream?.close().catch((err: unknown) => this.logger.debug({ err }, 'closing the stream failed'));
    // Leaves the group, so the next member is assigned the partitions at once.
    await forceClose(this.consumer).catch((err: unknown) => this.logger.warn({ err }, 'closing the consumer failed'));
  }

  /** Retries in place until the record is handled or dead-lettered, then commits past it. */
  private async deliver(record: KafkaMessage): Promise<void> {
    const where = { partition: record.partition, offset: record.offset.toString() };
    const event = parseRecord(record.value);
    if (typeof event === 'string') {
      this.logger.error({ ...where, error: event }, 'unreadable record dead-lettered');
      return this.deadLetter(record, event, 0);
    }
    for (let attempt = 1; !this.stopping; attempt++) {
      const outcome = await this.policy.run({ subscription: this.sub, topic: this.sub.topic, event, attempt, where });
      switch (outcome.kind) {
        case 'handled':
          return this.commit(record);
        case 'dead-letter':
          return this.deadLetter(record, outcome.error, attempt);
        // Not committed, so the next member of the group gets it again.
        case 'abandoned':
          return;
        case 'retry':
          await this.backoff.sleep(outcome.delayMs);
      }
    }
  }

  private async deadLetter(record: KafkaMessage, error: string, attempts: number): Promise<void> {
    if (!this.options.deadLetter) {
      this.logger.error({ partition: record.partition, offset: record.offset.toString(), error }, 'dead-lettering disabled; event skipped');
      return this.commit(record);
    }
    if (await produceDeadLetter(this.deadLetters, record, { consumer: this.sub.consumer, error, attempts })) await this.commit(record);
  }

  /** Commits past this record. A failed commit only means a redelivery, which the inbox absorbs. */
  private async commit(record: KafkaMessage): Promise<void> {
    try {
      await record.commit();
    } catch (err) {
      this.logger.warn({ err, partition: record.partition, offset: record.offset.toString() }, 'offset commit failed; the record may be redelivered');
    }
  }
}
