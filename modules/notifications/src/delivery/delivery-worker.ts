import { eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { backoffMs, CoalescingRunner, errorText } from '@taskstream/bus';
import { queryRows, type Db } from '@taskstream/db';
import { notificationDeliveries, pushSubscriptions } from '../notification-schema.js';
import type { EmailSender } from './email-sender.js';
import { EmailPayload, PushPayload, UndeliverableError } from './payloads.js';
import { PushHostRefused } from './push-host-guard.js';
import type { PushSender } from './push-sender.js';

export interface DeliveryWorkerOptions {
  db: Db;
  logger: Logger;
  email?: EmailSender | undefined;
  push?: PushSender | undefined;
  maxAttempts?: number;
  /** How long a claimed row is this worker's; longer than any one send may take (the push deadline, SMTP timeouts). */
  leaseMs?: number;
  /** Sends in flight at once per worker, across all users. */
  concurrency?: number;
  /** Longest wait before looking for retries that came due. */
  pollIntervalMs?: number;
  backoff?: { baseDelayMs: number; maxDelayMs: number };
}

interface ClaimedDelivery {
  id: number;
  user_id: string;
  channel: 'email' | 'push';
  subscription_id: string | null;
  payload: unknown;
  attempts: number;
}

/**
 * Sends queued email and Web Push messages after their notification committed. Each row is one
 * message to one address or device, leased (SKIP LOCKED) so replicas share the work, and sent
 * with up to `concurrency` others, so a slow or dead endpoint holds one slot, not the queue. A
 * failure is retried with exponential backoff until maxAttempts, then marked failed with its
 * error. At least once: a crash between the send and marking it sent sends that one message again.
 */
export class DeliveryWorker {
  private readonly o: Required<Omit<DeliveryWorkerOptions, 'email' | 'push'>> & Pick<DeliveryWorkerOptions, 'email' | 'push'>;
  private timer: NodeJS.Timeout | undefined;
  private readonly rounds = new CoalescingRunner(() => this.round());

  constructor(options: DeliveryWorkerOptions) {
    this.o = { maxAttempts: 8, leaseMs: 60_000, concurrency: 16, pollIntervalMs: 5_000, backoff: { baseDelayMs: 2_000, maxDelayMs: 15 * 60_000 }, ...options };
  }

  start(): void {
    this.rounds.start();
    this.timer = setInterval(() => this.kick(), this.o.pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const stopping = this.rounds.stop();
    this.wake();
    await stopping;
    this.o.email?.close();
  }

  /** Sends what is due now; safe to call any time (coalesces, and wakes a round waiting on slow sends). */
  kick(): void {
    this.wake();
    this.rounds.request();
  }

  private wake: () => void = () => {};

  /**
   * Keeps up to `concurrency` sends in flight, claiming more whenever one finishes or new work is
   * queued (a kick), until nothing is in flight and nothing is due.
   */
  private async round(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    try {
      while (this.rounds.running) {
        const free = this.o.concurrency - inFlight.size;
        for (const row of free > 0 ? await this.claim(free) : []) {
          const sending: Promise<void> = this.attempt(row).finally(() => inFlight.delete(sending));
          inFlight.add(sending);
        }
        if (inFlight.size === 0) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          void Promise.race(inFlight).then(resolve);
        });
      }
    } catch (err) {
      this.o.logger.error({ err }, 'delivery round failed');
    } finally {
      this.wake = () => {};
      await Promise.all(inFlight);
    }
  }

  private claim(limit: number): Promise<ClaimedDelivery[]> {
    return queryRows<ClaimedDelivery>(
      this.o.db,
      sql`
      with due as (
        select id from notification_deliveries
        where status = 'pending' and next_attempt_at <= now() and (claimed_until is null or claimed_until < now())
        order by next_attempt_at limit ${limit} for update skip locked)
      update notification_deliveries d
      set claimed_until = now() + ${`${this.o.leaseMs} milliseconds`}::interval, attempts = d.attempts + 1
      from due where d.id = due.id
      returning d.id, d.user_id, d.channel, d.subscription_id, d.payload, d.attempts`,
    );
  }

  /** Never rejects: the outcome is recorded on the row. */
  private async attempt(row: ClaimedDelivery): Promise<void> {
    try {
      if (row.channel === 'email') await this.sendEmail(row);
      else await this.sendPush(row);
      await this.o.db.update(notificationDeliveries).set({ status: 'sent', sentAt: new Date(), claimedUntil: null, lastError: null }).where(eq(notificationDeliveries.id, row.id));
    } catch (err) {
      await this.failed(row, err).catch((e: unknown) => this.o.logger.error({ err: e, deliveryId: row.id }, 'could not record a failed delivery'));
    }
  }

  private async failed(row: ClaimedDelivery, err: unknown): Promise<void> {
    const final = err instanceof UndeliverableError || row.attempts >= this.o.maxAttempts;
    const delay = backoffMs(row.attempts, this.o.backoff);
    this.o.logger.warn({ err, deliveryId: row.id, channel: row.channel, attempts: row.attempts, final }, 'delivery failed');
    await this.o.db
      .update(notificationDeliveries)
      // The next attempt on the database's clock, which the claim compares with.
      .set({ status: final ? 'failed' : 'pending', lastError: errorText(err).slice(0, 1000), claimedUntil: null, nextAttemptAt: sql`now() + ${`${delay} milliseconds`}::interval` })
      .where(eq(notificationDeliveries.id, row.id));
    if (err instanceof PushHostRefused && row.subscription_id) await this.forgetEndpointOf(row.subscription_id);
  }

  private async sendEmail(row: ClaimedDelivery): Promise<void> {
    if (!this.o.email) throw new Error('no SMTP server configured (SMTP_URL)');
    await this.o.email.send(EmailPayload.parse(row.payload));
  }

  /** The one device this row is for; an endpoint the push service calls gone is removed. */
  private async sendPush(row: ClaimedDelivery): Promise<void> {
    if (!this.o.push) throw new Error('Web Push is not configured');
    if (!row.subscription_id) throw new UndeliverableError('a push delivery without a device');
    const payload = PushPayload.parse(row.payload);
    const [target] = await this.o.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.id, row.subscription_id));
    if (!target) throw new UndeliverableError('the device unsubscribed');
    const outcome = await this.o.push.send({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload);
    if (outcome === 'gone') await this.forgetEndpointOf(target.id);
  }

  /** An endpoint that is gone, or refused, is so for everyone who stored it. */
  private async forgetEndpointOf(subscriptionId: string): Promise<void> {
    await this.o.db.execute(sql`delete from push_subscriptions where endpoint = (select endpoint from push_subscriptions where id = ${subscriptionId})`);
    this.o.logger.info({ subscriptionId }, 'push endpoint removed');
  }
}
