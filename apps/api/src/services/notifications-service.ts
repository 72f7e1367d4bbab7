import { createNotificationService, DaprJobsTrigger, type NotificationService } from '@taskstream/notifications';
import { reminderLatenessMetric } from '../http/event-metrics.js';
import type { ServiceRow } from './contribution.js';

/** Name of the Dapr cron binding that sweeps up reminders missed while the service was down. */
export const REMINDER_SWEEP_BINDING = 'reminder-sweep';

/**
 * The notification service: reminder schedules follow tasks, the scheduler fires them, and each
 * becomes an in-app notification, an email (with SMTP_URL) and a Web Push. With
 * REMINDER_TRIGGER=dapr-jobs a Dapr job wakes the scheduler through its callback route.
 */
export const notificationsService: ServiceRow<NotificationService> = async ({ config, database, logger, vapidKeys, metrics, options }) => {
  const trigger =
    config.REMINDER_TRIGGER === 'dapr-jobs'
      ? new DaprJobsTrigger({ daprHttpPort: config.DAPR_HTTP_PORT, jobName: 'notifications-reminder-wake', logger: logger.child({ component: 'reminder-jobs' }) })
      : undefined;
  const tuning = options.notifications ?? {};
  const service = createNotificationService({
    database,
    logger,
    publicUrl: config.publicUrl,
    smtp: config.SMTP_URL ? { url: config.SMTP_URL, from: config.SMTP_FROM } : undefined,
    emailPerUserPerHour: config.EMAIL_MAX_PER_USER_PER_HOUR,
    vapid: { ...(await vapidKeys()), subject: config.VAPID_SUBJECT },
    ...(trigger && { trigger }),
    ...(tuning.onFired && { onFired: tuning.onFired }),
    onReminderDelivered: reminderLatenessMetric(metrics),
    push: { ca: tuning.pushCa, hosts: { allowPrivateHosts: tuning.allowPrivatePushHosts } },
    ...(tuning.delivery && { delivery: tuning.delivery }),
  });
  return {
    subscriptions: service.subscriptions,
    sidecarRoutes: trigger ? [(app) => void app.post(trigger.jobCallbackPath, { schema: { hide: true } }, async () => (trigger.fired(), {}))] : [],
    jobs: [
      {
        // Only a cron binding calls it: without Dapr the scheduler's own timer is the whole story.
        name: REMINDER_SWEEP_BINDING,
        async run() {
          // What fires here goes out like any reminder (its deliveries are queued and kicked by the consumer).
          const fired = await service.scheduler.fireDue();
          if (fired > 0) logger.warn({ fired }, 'reminder sweep fired reminders the scheduler had missed');
          return { fired };
        },
      },
    ],
    start: () => service.start(),
    stop: () => service.stop(),
    handle: service,
  };
};
