import { randomUUID } from 'node:crypto';
import { Consumer, ListOffsetTimestamps, MessagesStreamModes, type Producer } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { deadLetterTopic, type CloudEvent } from '@taskstream/events';
import type { BackoffSleeper } from '../backoff-sleeper.js';
import { backoffMs, type RetryPolicy } from '../retry-policy.js';
import { deserializers, forceClose, GROUP, MAX_WAIT_MS, parseRecord, type KafkaMessage } from './records.js';

/** Headers of a dead-lettered record, besides the original record's own headers. */
export const DEAD_LETTER_HEADERS = {
  consumer: 'consumer',
  error: 'error',
  attempts: 'attempts',
  topic: 'original-topic',
  partition: 'original-partition',
  offset: 'original-offset',
} as const;

export interface DeadLetterProducer {
  producer: Producer<string, string, string, string>;
  retry: RetryPolicy;
  backoff: BackoffSleeper;
  logger: Logger;
  stopping: () => boolean;
}

/**
 * Produces the original record to `${topic}.dlq`, retrying with backoff while the broker is away.
 * Resolves true once the broker took it, false when the bus began stopping first.
 */
export async function produceDeadLetter(
  via: DeadLetterProducer,
  record: KafkaMessage,
  letter: { consumer: string; error: string; attempts: number },
): Promise<boolean> {
  const headers: Record<string, string> = {
    ...Object.fromEntries(record.headers),
    [DEAD_LETTER_HEADERS.consumer]: letter.consumer,
    [DEAD_LETTER_HEADERS.error]: letter.error.slice(0, 4000),
    [DEAD_LETTER_HEADERS.attempts]: String(letter.attempts),
    [DEAD_LETTER_HEADERS.topic]: record.topic,
    [DEAD_LETTER_HEADERS.partition]: String(record.partition),
    [DEAD_LETTER_HEADERS.offset]: record.offset.toString(),
  };
  const message = { topic: deadLetterTopic(record.topic), key: record.key, value: record.value?.toString('utf8') ?? '', headers };
  for (let attempt = 1; ; attempt++) {
    if (via.stopping()) return false;
    try {
      await via.producer.send({ messages: [message] });
      return true;
    } catch (err) {
      if (via.stopping()) return false;
      const delay = backoffMs(attempt, via.retry);
      via.logger.error({ err, retryInMs: delay }, 'producing to the dead-letter topic failed; retrying');
      await via.backoff.sleep(delay);
    }
  }
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
  try {
    const [earliest, latest] = await Promise.all([
      reader.listOffsets({ topics: [dlq], timestamp: ListOffsetTimestamps.EARLIEST }),
      reader.listOffsets({ topics: [dlq], timestamp: ListOffsetTimestamps.LATEST }),
    ]);
    const ends = latest.get(dlq) ?? [];
    const starts = earliest.get(dlq) ?? [];
    const pending = new Set(ends.flatMap((end, partition) => (end > (starts[partition] ?? 0n) ? [partition] : [])));
    if (pending.size === 0) return [];
    return await readUntilEnds(reader, { dlq, consumer, ends, pending, timeoutMs: options.timeoutMs ?? 15_000 });
  } finally {
    await forceClose(reader).catch(() => {});
  }
}

/** Reads the DLQ from the start until every partition in `pending` reached its end (or time ran out). */
async function readUntilEnds(
  reader: Consumer<string, Buffer, string, string>,
  read: { dlq: string; consumer: string; ends: bigint[]; pending: Set<number>; timeoutMs: number },
): Promise<CloudEvent[]> {
  const events: CloudEvent[] = [];
  const stream = await reader.consume({ topics: [read.dlq], mode: MessagesStreamModes.EARLIEST, autocommit: false, ...GROUP });
  const timer = setTimeout(() => void stream.close(), read.timeoutMs);
  try {
    for await (const record of stream as AsyncIterable<KafkaMessage>) {
      if (record.headers.get(DEAD_LETTER_HEADERS.consumer) === read.consumer) {
        const event = parseRecord(record.value);
        if (typeof event !== 'string') events.push(event);
      }
      if (record.offset + 1n >= (read.ends[record.partition] ?? 0n)) read.pending.delete(record.partition);
      if (read.pending.size === 0) break;
    }
  } finally {
    clearTimeout(timer);
    await stream.close().catch(() => {});
  }
  return events;
}
