import { eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { backoffMs, CoalescingRunner, errorText } from '@taskstream/bus';
import { queryRows, type Db } from '@taskstream/db';
import { notificationDeliveries, pushSubscriptions } from '../notification-schema.js';
import type { EmailSender } from './email-sender.js';
import { EmailPayload, PushPayload, UndeliverableError } from './payloads.js';
import type { PushSender } from './push-sender.js';

export interface DeliveryWorkerOptions {
  db: Db;
  logger: Logger;
  email?: EmailSender | undefined;
  push?: PushSender | undefined;
  maxAttempts?: number;
  leaseMs?: number;
  /** Longest wait before looking for retries that came due. */
  pollIntervalMs?: number;
  backoff?: { baseDelayMs: number; maxDelayMs: number };
}

interface ClaimedDelivery {
  id: number;
  user_id: string;
  channel: 'email' | 'push';
  payload: unknown;
  attempts: number;
}

/**
 * Sends queued email and Web Push messages after their notification committed. Rows are leased
 * (SKIP LOCKED), so replicas share the work; a failure is retried with exponential backoff until
 * maxAttempts, then marked failed with its error. At least once: a crash between the send and
 * marking it sent sends that one message again.
 */
export class DeliveryWorker {
  private readonly o: Required<Omit<DeliveryWorkerOptions, 'email' | 'push'>> & Pick<DeliveryWorkerOptions, 'email' | 'push'>;
  private timer: NodeJS.Timeout | undefined;
  private readonly rounds = new CoalescingRunner(() => this.round());

  constructor(options: DeliveryWorkerOptions) {
    this.o = { maxAttempts: 8, leaseMs: 60_000, pollIntervalMs: 5_000, backoff: { baseDelayMs: 2_000, maxDelayMs: 15 * 60_000 }, ...options };
  }

  start(): void {
    this.rounds.start();
    this.timer = setInterval(() => this.kick(), this.o.pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.rounds.stop();
    this.o.email?.close();
  }

  /** Sends what is due now; safe to call any time (coalesces). */
  kick(): void {
    this.rounds.request();
  }

  private async round(): Promise<void> {
    try {
      while ((await this.runOnce()) > 0 && this.rounds.running);
    } catch (err) {
      this.o.logger.error({ err }, 'delivery round failed');
    }
  }

  /** One claimed batch; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const rows = await queryRows<ClaimedDelivery>(
      this.o.db,
      sql`
      with due as (
        select id from notification_deliveries
        where status = 'pending' and next_attempt_at <= now() and (claimed_until is null or claimed_until < now())
        order by next_attempt_at limit 20 for update skip locked)
      update notification_deliveries d
      set claimed_until = now() + ${`${this.o.leaseMs} milliseconds`}::interval, attempts = d.attempts + 1
      from due where d.id = due.id
      returning d.id, d.user_id, d.channel, d.payload, d.attempts`,
    );
    await Promise.all(rows.map((row) => this.attempt(row)));
    return rows.length;
  }

  private async attempt(row: ClaimedDelivery): Promise<void> {
    try {
      if (row.channel === 'email') await this.sendEmail(row);
      else await this.sendPush(row);
      await this.o.db.update(notificationDeliveries).set({ status: 'sent', sentAt: new Date(), claimedUntil: null, lastError: null }).where(eq(notificationDeliveries.id, row.id));
    } catch (err) {
      const final = err instanceof UndeliverableError || row.attempts >= this.o.maxAttempts;
      const delay = backoffMs(row.attempts, this.o.backoff);
      this.o.logger.warn({ err, deliveryId: row.id, channel: row.channel, attempts: row.attempts, final }, 'delivery failed');
      await this.o.db
        .update(notificationDeliveries)
        // The next attempt on the database's clock, which the claim compares with.
        .set({ status: final ? 'failed' : 'pending', lastError: errorText(err).slice(0, 1000), claimedUntil: null, nextAttemptAt: sql`now() + ${`${delay} milliseconds`}::interval` })
        .where(eq(notificationDeliveries.id, row.id));
    }
  }

  private async sendEmail(row: ClaimedDelivery): Promise<void> {
    if (!this.o.email) throw new Error('no SMTP server configured (SMTP_URL)');
    await this.o.email.send(EmailPayload.parse(row.payload));
  }

  /** Every browser the user subscribed; endpoints the push service calls gone are removed. */
  private async sendPush(row: ClaimedDelivery): Promise<void> {
    if (!this.o.push) throw new Error('Web Push is not configured');
    const payload = PushPayload.parse(row.payload);
    const targets = await this.o.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, row.user_id));
    for (const t of targets) {
      const outcome = await this.o.push.send({ endpoint: t.endpoint, keys: { p256dh: t.p256dh, auth: t.auth } }, payload);
      if (outcome === 'gone') await this.o.db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, t.id));
    }
  }
}
