import type { BusObserver } from './bus-observer.js';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { outbox, queryRows, type DatabaseHandle } from '@taskstream/db';
import { withPublishSpan } from '@taskstream/telemetry';
import { CoalescingRunner } from './coalescing-runner.js';
import type { EventBus } from './event-bus.js';
import { errorText } from './error-text.js';
import { claimOutboxRows, type ClaimedRow } from './outbox-claim.js';
import { OUTBOX_CHANNEL } from './outbox.js';
import { backoffMs } from './retry-policy.js';

export interface OutboxRelayOptions {
  database: DatabaseHandle;
  bus: EventBus;
  logger: Logger;
  instanceId?: string;
  batchSize?: number;
  /** Fallback when a notification is missed; LISTEN/NOTIFY is the normal wake-up. */
  pollIntervalMs?: number;
  /** How long a claimed row stays with this relay before another may take it; keep it longer than a publish. */
  leaseMs?: number;
  /** Published rows older than this are deleted. */
  retentionMs?: number;
  /** Keys published concurrently; one key's events are always published one after another. */
  keyConcurrency?: number;
  backoff?: { baseDelayMs: number; maxDelayMs: number };
  /** Told each published event (the metrics). */
  observer?: BusObserver;
}

/**
 * Publishes committed outbox rows through the bus, in id order per partition key (user).
 * Several relays can run: rows are claimed under a lease, per key under an advisory lock, and a
 * row is not claimed while an earlier row of its key is held or waiting out a backoff
 * (claimOutboxRows says why that keeps the order on PostgreSQL).
 */
export class OutboxRelay {
  readonly instanceId: string;
  private readonly o: Required<Omit<OutboxRelayOptions, 'instanceId' | 'observer'>> & Pick<OutboxRelayOptions, 'observer'>;
  private unlisten: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly rounds = new CoalescingRunner(() => this.round());
  private lastPrune = 0;

  constructor(options: OutboxRelayOptions) {
    this.instanceId = options.instanceId ?? `relay-${randomUUID()}`;
    this.o = {
      batchSize: 100,
      pollIntervalMs: 2000,
      leaseMs: 30_000,
      retentionMs: 7 * 24 * 3600_000,
      keyConcurrency: 8,
      backoff: { baseDelayMs: 500, maxDelayMs: 60_000 },
      ...options,
    };
  }

  async start(): Promise<void> {
    this.rounds.start();
    this.unlisten = await this.o.database.listen(OUTBOX_CHANNEL, () => this.wake());
    this.timer = setInterval(() => this.wake(), this.o.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /**
   * Stops claiming, waits for the round in flight and hands back rows it claimed but did not
   * publish. Stop the bus at the same time, so a publish stuck in retries is aborted.
   */
  async stop(): Promise<void> {
    const stopped = this.rounds.stop();
    clearInterval(this.timer);
    await this.unlisten?.();
    await stopped;
    await this.o.database.db
      .update(outbox)
      .set({ claimedBy: null, claimedUntil: null })
      .where(and(eq(outbox.claimedBy, this.instanceId), sql`${outbox.publishedAt} is null`));
  }

  /** Runs one claim-and-publish round now; returns how many events were published. */
  async runOnce(): Promise<number> {
    const rows = await this.claim();
    if (rows.length === 0) return 0;
    const byKey = new Map<string, ClaimedRow[]>();
    for (const r of rows) byKey.set(r.partition_key, [...(byKey.get(r.partition_key) ?? []), r]);
    let published = 0;
    const keys = [...byKey.values()];
    const workers = Array.from({ length: Math.min(this.o.keyConcurrency, keys.length) }, async () => {
      for (let group = keys.shift(); group; group = keys.shift()) published += await this.publishInOrder(group);
    });
    await Promise.all(workers);
    return rows.length === this.o.batchSize ? published + (await this.runOnce()) : published;
  }

  private wake(): void {
    this.rounds.request();
  }

  private async round(): Promise<void> {
    try {
      await this.runOnce();
      if (Date.now() - this.lastPrune > 60_000) await this.prune();
    } catch (err) {
      this.o.logger.error({ err }, 'outbox relay round failed');
    }
  }

  private claim(): Promise<ClaimedRow[]> {
    return claimOutboxRows(this.o.database.db, { instanceId: this.instanceId, batchSize: this.o.batchSize, leaseMs: this.o.leaseMs });
  }

  /** Publishes one key's rows in order; on the first failure it backs off and releases the rest. */
  private async publishInOrder(rows: ClaimedRow[]): Promise<number> {
    const db = this.o.database.db;
    for (const [i, row] of rows.entries()) {
      if (!this.rounds.running && i > 0) return this.release(rows.slice(i), i);
      try {
        // A child of the request that recorded the row, whose traceparent the row keeps; the event
        // goes out carrying the publish span's, so each consumer's span is a child of this one.
        await withPublishSpan({ system: this.o.bus.kind, topic: row.topic }, row.event, (event) => this.o.bus.publish(row.topic, event));
      } catch (err) {
        const delay = backoffMs(row.attempts + 1, this.o.backoff);
        this.o.logger.warn({ err, eventId: row.event.id, attempts: row.attempts + 1, retryInMs: delay }, 'publish failed; will retry');
        await db
          .update(outbox)
          .set({
            attempts: row.attempts + 1,
            lastError: errorText(err).slice(0, 2000),
            nextAttemptAt: sql`now() + ${`${delay} milliseconds`}::interval`,
            claimedBy: null,
            claimedUntil: null,
          })
          .where(eq(outbox.id, row.id));
        return this.release(rows.slice(i + 1), i);
      }
      await db
        .update(outbox)
        .set({ publishedAt: sql`now()`, claimedBy: null, claimedUntil: null })
        .where(eq(outbox.id, row.id));
      this.o.observer?.published?.({ topic: row.topic, event: row.event });
    }
    return rows.length;
  }

  private async release(rows: ClaimedRow[], published: number): Promise<number> {
    if (rows.length) {
      await this.o.database.db
        .update(outbox)
        .set({ claimedBy: null, claimedUntil: null })
        .where(inArray(outbox.id, rows.map((r) => r.id)));
    }
    return published;
  }

  /** Deletes published rows older than the retention, in bounded batches; returns how many. */
  async prune(): Promise<number> {
    this.lastPrune = Date.now();
    const cutoff = `${this.o.retentionMs} milliseconds`;
    const rows = await queryRows<{ id: string }>(
      this.o.database.db,
      sql`delete from outbox where id in (
        select id from outbox where published_at < now() - ${cutoff}::interval order by id limit 5000) returning id`,
    );
    return rows.length;
  }
}
