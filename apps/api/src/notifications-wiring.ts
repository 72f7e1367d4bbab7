import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '@taskstream/config';
import type { DatabaseHandle } from '@taskstream/db';
import { createNotificationService, DaprJobsTrigger, type NotificationService } from '@taskstream/notifications';
import { cronBindingRoute, sidecarRoutes } from './sidecar-routes.js';

/** Name of the Dapr cron binding that sweeps up reminders missed while the service was down. */
export const REMINDER_SWEEP_BINDING = 'reminder-sweep';

/**
 * The notification service as configured, and the routes its sidecar calls: the Jobs API callback
 * (REMINDER_TRIGGER=dapr-jobs) and the cron sweep (under Dapr). Neither is served otherwise.
 */
export async function createNotifications(
  config: Config,
  deps: { database: DatabaseHandle; logger: Logger; onFired?: (latenessMs: number[]) => void },
): Promise<{ service: NotificationService; routes: FastifyPluginAsync }> {
  const trigger =
    config.REMINDER_TRIGGER === 'dapr-jobs'
      ? new DaprJobsTrigger({ daprHttpPort: config.DAPR_HTTP_PORT, jobName: 'notifications-reminder-wake', logger: deps.logger.child({ component: 'reminder-jobs' }) })
      : undefined;
  const service = await createNotificationService({
    database: deps.database,
    logger: deps.logger,
    publicUrl: config.publicUrl,
    smtp: config.SMTP_URL ? { url: config.SMTP_URL, from: config.SMTP_FROM } : undefined,
    vapid: { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY, subject: config.VAPID_SUBJECT },
    ...(trigger && { trigger }),
    ...(deps.onFired && { onFired: deps.onFired }),
  });
  const routes = sidecarRoutes((app) => {
    if (trigger) app.post(trigger.jobCallbackPath, { schema: { hide: true } }, async () => (trigger.fired(), {}));
    if (config.EVENT_BUS !== 'dapr') return;
    cronBindingRoute(app, REMINDER_SWEEP_BINDING, async () => {
      // What fires here goes out like any reminder (its deliveries are queued and kicked by the consumer).
      const fired = await service.scheduler.fireDue();
      if (fired > 0) deps.logger.warn({ fired }, 'reminder sweep fired reminders the scheduler had missed');
      return { fired };
    });
  });
  return { service, routes };
}
