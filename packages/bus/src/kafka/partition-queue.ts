import type { Logger } from 'pino';
import type { KafkaMessage } from './records.js';

/** Messages taken off the stream but not yet handled, per subscription, before fetching pauses. */
const MAX_BUFFERED = 500;

interface PartitionQueue {
  records: KafkaMessage[];
  /** The next offset to take from the stream: lower ones were queued or handled already. */
  nextOffset: bigint;
  draining: Promise<void> | undefined;
}

export interface PartitionQueuesOptions {
  /** Handles one record: acknowledges it or leaves it for redelivery. Handles its own failures. */
  deliver(record: KafkaMessage): Promise<void>;
  /** Fetching pauses while too many records wait, and resumes once half of them were handled. */
  pause(): void;
  resume(): void;
  stopping(): boolean;
  logger: Logger;
}

/** One subscription's records: an in-order queue per partition, drained one record at a time. */
export class PartitionQueues {
  private readonly queues = new Map<number, PartitionQueue>();
  private buffered = 0;
  private pausedForBackpressure = false;

  constructor(private readonly options: PartitionQueuesOptions) {}

  /** From the stream: queue per partition; pause fetching while too much is waiting. */
  take(record: KafkaMessage): void {
    if (this.options.stopping()) return;
    let queue = this.queues.get(record.partition);
    if (!queue) {
      queue = { records: [], nextOffset: -1n, draining: undefined };
      this.queues.set(record.partition, queue);
    }
    // A refetch after a rebalance starts again at the committed offset: skip what we already hold.
    if (record.offset < queue.nextOffset) return;
    queue.nextOffset = record.offset + 1n;
    queue.records.push(record);
    this.buffered++;
    if (this.buffered >= MAX_BUFFERED && !this.pausedForBackpressure) {
      this.pausedForBackpressure = true;
      this.options.pause();
    }
    if (!queue.draining) queue.draining = this.drain(queue);
  }

  /** After a rebalance, records queued for partitions this member lost belong to another member now. */
  keepOnly(partitions: ReadonlySet<number>): void {
    for (const [partition, queue] of this.queues) {
      if (partitions.has(partition)) continue;
      this.buffered -= queue.records.length;
      queue.records = [];
      this.queues.delete(partition);
    }
  }

  /**
   * Drops every queued record (when stopping: they were not committed, so they come back) and
   * resolves when the records being handled are done.
   */
  async clear(): Promise<void> {
    for (const queue of this.queues.values()) {
      this.buffered -= queue.records.length;
      queue.records = [];
    }
    const drains = [...this.queues.values()].flatMap((q) => (q.draining ? [q.draining] : []));
    await Promise.allSettled(drains);
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
      for (let record = queue.records.shift(); record && !this.options.stopping(); record = queue.records.shift()) {
        this.buffered--;
        if (this.pausedForBackpressure && this.buffered <= MAX_BUFFERED / 2) {
          this.pausedForBackpressure = false;
          this.options.resume();
        }
        try {
          await this.options.deliver(record);
        } catch (err) {
          // deliver() handles its own failures; this is a bug guard so the partition keeps moving.
          this.options.logger.error({ err, partition: record.partition, offset: record.offset }, 'unexpected delivery failure');
        }
      }
    } finally {
      queue.draining = undefined;
    }
  }
}
