import { randomUUID } from 'node:crypto';
import {
  compatibilityPartitioner,
  Consumer,
  ListOffsetTimestamps,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringDeserializer,
  stringSerializers,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import type { Logger } from 'pino';
import { deadLetterTopic, type CloudEvent } from '@taskstream/events';
import { BusUnavailableError, type EventBus, type Subscription } from './event-bus.js';
import { errorText } from './error-text.js';
import { DeliveryPolicy } from './delivery-policy.js';
import { backoffMs, DEFAULT_RETRY, type RetryPolicy } from './retry-policy.js';
import { BackoffSleeper } from './backoff-sleeper.js';

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
}

/** Headers of a dead-lettered record, besides the original record's own headers. */
export const DEAD_LETTER_HEADERS = {
  consumer: 'consumer',
  error: 'error',
  attempts: 'attempts',
  topic: 'original-topic',
  partition: 'original-partition',
  offset: 'original-offset',
} as const;

type KafkaMessage = Message<string, Buffer, string, string>;
type KafkaStream = MessagesStream<string, Buffer, string, string>;

const deserializers = { key: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer };

/** Group membership: short enough that a crashed member's partitions move within seconds. */
const GROUP = { sessionTimeout: 10_000, rebalanceTimeout: 20_000, heartbeatInterval: 1_000 };
/** Long-poll of a fetch; bounds how long closing a stream waits for the fetch in flight. */
const MAX_WAIT_MS = 500;
/** Messages taken off the stream but not yet handled, per subscription, before fetching pauses. */
const MAX_BUFFERED = 500;
/** How long start() waits for a consumer to join its group and learn its offsets. */
const JOIN_TIMEOUT_MS = 60_000;
/** How long stop() waits for handlers still running before it closes the clients anyway. */
const DRAIN_TIMEOUT_MS = 30_000;

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
    this.runners = this.subscriptions.map(
      (s) => new SubscriptionRunner(s, this.options, this.retry, this.logger, this.producer),
    );
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

interface PartitionQueue {
  partition: number;
  records: KafkaMessage[];
  /** The next offset to take from the stream: lower ones were queued or handled already. */
  nextOffset: bigint;
  draining: Promise<void> | undefined;
}

/** One subscription: its consumer, its stream, and one in-order queue per partition. */
class SubscriptionRunner {
  private readonly consumer: Consumer<string, Buffer, string, string>;
  private stream: KafkaStream | undefined;
  private readonly queues = new Map<number, PartitionQueue>();
  private buffered = 0;
  private pausedForBackpressure = false;
  private stopping = false;
  private readonly logger: Logger;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  private readonly backoff = new BackoffSleeper();
  private readonly policy: DeliveryPolicy;

  constructor(
    private readonly sub: Subscription,
    private readonly options: KafkaBusOptions,
    private readonly retry: RetryPolicy,
    busLogger: Logger,
    private readonly producer: Producer<string, string, string, string>,
  ) {
    this.logger = busLogger.child({ consumer: sub.consumer, topic: sub.topic });
    // The policy's log lines name consumer and topic themselves.
    this.policy = new DeliveryPolicy({ retry, logger: busLogger, stopping: () => this.stopping });
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
    // After a rebalance, records queued for partitions this member lost belong to another member now.
    this.consumer.on('consumer:group:join', ({ assignments }) => {
      const kept = new Set(assignments?.find((a) => a.topic === sub.topic)?.partitions ?? []);
      for (const [partition, queue] of this.queues) {
        if (kept.has(partition)) continue;
        this.buffered -= queue.records.length;
        queue.records = [];
        this.queues.delete(partition);
      }
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
          offsetsKnown = new Promise<void>((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no offsets for ${this.sub.topic} within ${JOIN_TIMEOUT_MS} ms`)), JOIN_TIMEOUT_MS);
            s.once('offsets', () => {
              clearTimeout(timer);
              ok();
            });
            s.once('error', (e) => {
              clearTimeout(timer);
              fail(e);
            });
          });
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
    stream.on('data', (record: KafkaMessage) => this.take(record));
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
    for (const q of this.queues.values()) {
      this.buffered -= q.records.length;
      q.records = [];
    }
    const stream = this.stream;
    stream?.pause();
    // Handlers still running finish (a success is committed; a failure is not retried).
    const drains = [...this.queues.values()].flatMap((q) => (q.draining ? [q.draining] : []));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(drains),
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

  /** From the stream: queue per partition; pause fetching while too much is waiting. */
  private take(record: KafkaMessage): void {
    if (this.stopping) return;
    let queue = this.queues.get(record.partition);
    if (!queue) {
      queue = { partition: record.partition, records: [], nextOffset: -1n, draining: undefined };
      this.queues.set(record.partition, queue);
    }
    // A refetch after a rebalance starts again at the committed offset: skip what we already hold.
    if (record.offset < queue.nextOffset) return;
    queue.nextOffset = record.offset + 1n;
    queue.records.push(record);
    this.buffered++;
    if (this.buffered >= MAX_BUFFERED && !this.pausedForBackpressure) {
      this.pausedForBackpressure = true;
      this.stream?.pause();
    }
    if (!queue.draining) queue.draining = this.drain(queue);
  }

  /**
   * Empties one partition's queue in order. `draining` is cleared in the same synchronous step
   * that finds the queue empty: clearing it later (a .finally on the promise) left a window in
   * which take() saw a drain still running, queued a record nobody would handle, and, with
   * fetching paused for backpressure, stalled the partition for good.
   */
  private async drain(queue: PartitionQueue): Promise<void> {
    // Let take() store this promise before the drain can possibly finish.
    await Promise.resolve();
    try {
      for (let record = queue.records.shift(); record && !this.stopping; record = queue.records.shift()) {
        this.buffered--;
        if (this.pausedForBackpressure && this.buffered <= MAX_BUFFERED / 2) {
          this.pausedForBackpressure = false;
          this.stream?.resume();
        }
        try {
          await this.deliver(record);
        } catch (err) {
          // deliver() handles its own failures; this is a bug guard so the partition keeps moving.
          this.logger.error({ err, partition: record.partition, offset: record.offset }, 'unexpected delivery failure');
        }
      }
    } finally {
      queue.draining = undefined;
    }
  }

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

  /** Produces the original record to `${topic}.dlq` (retrying while the broker is away), then commits. */
  private async deadLetter(record: KafkaMessage, error: string, attempts: number): Promise<void> {
    if (this.options.deadLetter === false) {
      this.logger.error({ partition: record.partition, offset: record.offset.toString(), error }, 'dead-lettering disabled; event skipped');
      return this.commit(record);
    }
    const headers: Record<string, string> = {
      ...Object.fromEntries(record.headers),
      [DEAD_LETTER_HEADERS.consumer]: this.sub.consumer,
      [DEAD_LETTER_HEADERS.error]: error.slice(0, 4000),
      [DEAD_LETTER_HEADERS.attempts]: String(attempts),
      [DEAD_LETTER_HEADERS.topic]: record.topic,
      [DEAD_LETTER_HEADERS.partition]: String(record.partition),
      [DEAD_LETTER_HEADERS.offset]: record.offset.toString(),
    };
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) return;
      try {
        await this.producer.send({
          messages: [{ topic: deadLetterTopic(record.topic), key: record.key, value: record.value?.toString('utf8') ?? '', headers }],
        });
        return this.commit(record);
      } catch (err) {
        if (this.stopping) return;
        const delay = backoffMs(attempt, this.retry);
        this.logger.error({ err, retryInMs: delay }, 'producing to the dead-letter topic failed; retrying');
        await this.backoff.sleep(delay);
      }
    }
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

/** close(true) also ends the client's streams; its promise overload does not accept `force`. */
function forceClose(client: { close(force: boolean, callback: (error?: Error | null) => void): void }): Promise<void> {
  return new Promise((resolve, reject) => client.close(true, (error) => (error ? reject(error) : resolve())));
}

/** The CloudEvent in a record's value, or why there is none. */
function parseRecord(value: Buffer | undefined): CloudEvent | string {
  if (!value || value.length === 0) return 'empty record value';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return `value is not JSON: ${errorText(err)}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'value is not a JSON object';
  return parsed as CloudEvent;
}

export interface ReadDeadLettersOptions {
  brokers: string[];
  clientId: string;
  /** Gives up reading (returning what it has) after this long; default 15 s. */
  timeoutMs?: number;
}

/**
 * The events `consumer` dead-lettered from `topic`: reads all of `${topic}.dlq` from the start with
 * a fresh consumer group, keeping records whose `consumer` header matches. For tests and tooling.
 */
export async function readDeadLetters(options: ReadDeadLettersOptions, consumer: string, topic: string): Promise<CloudEvent[]> {
  const dlq = deadLetterTopic(topic);
  const reader = new Consumer({
    clientId: `${options.clientId}-dlq-reader`,
    bootstrapBrokers: options.brokers,
    groupId: `${options.clientId}-dlq-reader-${randomUUID()}`,
    autocommit: false,
    deserializers,
    maxWaitTime: MAX_WAIT_MS,
    ...GROUP,
  });
  const events: CloudEvent[] = [];
  try {
    const [earliest, latest] = await Promise.all([
      reader.listOffsets({ topics: [dlq], timestamp: ListOffsetTimestamps.EARLIEST }),
      reader.listOffsets({ topics: [dlq], timestamp: ListOffsetTimestamps.LATEST }),
    ]);
    const ends = latest.get(dlq) ?? [];
    const starts = earliest.get(dlq) ?? [];
    const pending = new Set(ends.flatMap((end, partition) => (end > (starts[partition] ?? 0n) ? [partition] : [])));
    if (pending.size === 0) return events;
    const stream = await reader.consume({ topics: [dlq], mode: MessagesStreamModes.EARLIEST, autocommit: false, ...GROUP });
    const timer = setTimeout(() => void stream.close(), options.timeoutMs ?? 15_000);
    try {
      for await (const record of stream as AsyncIterable<KafkaMessage>) {
        if (record.headers.get(DEAD_LETTER_HEADERS.consumer) === consumer) {
          const event = parseRecord(record.value);
          if (typeof event !== 'string') events.push(event);
        }
        if (record.offset + 1n >= (ends[record.partition] ?? 0n)) pending.delete(record.partition);
        if (pending.size === 0) break;
      }
    } finally {
      clearTimeout(timer);
      await stream.close().catch(() => {});
    }
    return events;
  } finally {
    await forceClose(reader).catch(() => {});
  }
}
