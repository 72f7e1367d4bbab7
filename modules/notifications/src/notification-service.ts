import type { Logger } from 'pino';
import type { Subscription } from '@taskstream/bus';
import type { DatabaseHandle } from '@taskstream/db';
import { deliverReminder } from './deliver-reminder.js';
import { DeliveryWorker } from './delivery/delivery-worker.js';
import { smtpEmailSender } from './delivery/email-sender.js';
import type { PushHostPolicy } from './delivery/push-host-guard.js';
import { webPushSender } from './delivery/push-sender.js';
import { ReminderScheduler } from './schedules/reminder-scheduler.js';
import { syncReminderSchedules } from './schedules/sync-reminder-schedules.js';
import type { WakeTrigger } from './schedules/wake-trigger.js';

export interface NotificationServiceOptions {
  database: DatabaseHandle;
  logger: Logger;
  /** Links in emails and pushes point here. */
  publicUrl: string;
  /** Email is sent only when an SMTP server is configured. */
  smtp?: { url: string; from: string } | undefined;
  /** Reminder emails one user may be sent in any hour (EMAIL_MAX_PER_USER_PER_HOUR); past it, in-app only. */
  emailPerUserPerHour: number;
  /** The VAPID key pair (resolveVapidKeys) and the subject pushes are signed with. */
  vapid: { publicKey: string; privateKey: string; subject: string };
  /** What wakes the reminder scheduler: a timer by default, or the Dapr Jobs API. */
  trigger?: WakeTrigger;
  /** Observes reminder lateness (metrics, benchmarks). */
  onFired?: (latenessMs: number[]) => void;
  /** Observes each reminder delivered: seconds from when it was due to ring to its notification (metrics). */
  onReminderDelivered?: (latenessSeconds: number) => void;
  /** Tests only: a CA to trust for push services, and their allowance for a push service on 127.0.0.1. */
  push?: { ca?: string | undefined; hosts?: PushHostPolicy | undefined };
  delivery?: { pollIntervalMs?: number; backoff?: { baseDelayMs: number; maxDelayMs: number } };
}

export interface NotificationService {
  readonly scheduler: ReminderScheduler;
  readonly deliveries: DeliveryWorker;
  /** The schedule follower (task-events) and the reminder deliverer (reminders). */
  readonly subscriptions: Subscription[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The notification service: reminder schedules, the scheduler, in-app notifications, email and Web Push. */
export function createNotificationService(o: NotificationServiceOptions): NotificationService {
  const db = o.database.db;
  const logger = o.logger.child({ service: 'notifications' });
  const scheduler = new ReminderScheduler({ database: o.database, logger: logger.child({ component: 'reminder-scheduler' }), ...(o.trigger && { trigger: o.trigger }), ...(o.onFired && { onFired: o.onFired }) });
  const deliveries = new DeliveryWorker({
    db,
    logger: logger.child({ component: 'deliveries' }),
    email: o.smtp ? smtpEmailSender(o.smtp) : undefined,
    push: webPushSender(o.vapid, { ca: o.push?.ca, hosts: o.push?.hosts }),
    ...o.delivery,
  });
  if (!o.smtp) logger.info('no SMTP_URL: reminder emails are off (in-app and Web Push still work)');
  return {
    scheduler,
    deliveries,
    subscriptions: [
      syncReminderSchedules({ db }),
      deliverReminder({
        db,
        publicUrl: o.publicUrl,
        channels: { email: !!o.smtp, push: true },
        emailPerUserPerHour: o.emailPerUserPerHour,
        logger: logger.child({ component: 'deliver-reminder' }),
        onQueued: () => deliveries.kick(),
        ...(o.onReminderDelivered && { onDelivered: o.onReminderDelivered }),
      }),
    ],
    async start() {
      await scheduler.start();
      deliveries.start();
    },
    async stop() {
      await scheduler.stop();
      await deliveries.stop();
    },
  };
}
