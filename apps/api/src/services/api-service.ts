import type { FastifyPluginAsync } from 'fastify';
import { pruneInbox } from '@taskstream/bus';
import { pruneNotificationBookkeeping } from '@taskstream/notifications';
import { llmConfigOf } from '../http/chat/llm-config.js';
import { apiRoutes } from '../http/api-routes.js';
import { internalRoutes } from '../http/routes/internal-routes.js';
import { registerWebUi, DEFAULT_WEB_DIR } from '../http/web-ui.js';
import type { Job } from '../compose/jobs.js';
import type { ServiceRow } from './contribution.js';

/** Name of the Dapr cron binding of the daily cleanup (deploy/dapr scopes it to the api app). */
export const DAILY_CLEANUP_BINDING = 'daily-cleanup';

/**
 * The Todo/Chat API: accounts, tasks, tags, recurrence previews, history, notifications, chat and
 * MCP under /api and /mcp; the web UI at /; under Dapr, the service invocation route the
 * recurrence service calls; the daily cleanup of bookkeeping.
 */
export const apiService: ServiceRow = async ({ config, database, tasks, auth, vapidKeys, logger, options }) => {
  const vapid = await vapidKeys();
  const routes: FastifyPluginAsync[] = [
    apiRoutes({
      auth: auth(),
      tasks,
      db: database.db,
      vapidPublicKey: vapid.publicKey,
      pushSubscriptions: { maxPerUser: config.PUSH_MAX_SUBSCRIPTIONS_PER_USER, hosts: { allowPrivateHosts: options.notifications?.allowPrivatePushHosts } },
      llm: llmConfigOf(config),
    }),
  ];
  if (config.EVENT_BUS === 'dapr') {
    routes.push(async (app) => app.register(internalRoutes, { ctx: tasks, appApiToken: config.APP_API_TOKEN, allowedCaller: config.RECURRENCE_APP_ID }));
  }
  const webDir = config.WEB_DIR ?? DEFAULT_WEB_DIR;
  routes.push(async (app) => void (await registerWebUi(app, { dir: webDir, logger })));
  const dailyCleanup: Job = {
    name: DAILY_CLEANUP_BINDING,
    everyMs: 24 * 3600_000,
    async run() {
      const cutoff = new Date(tasks.now().getTime() - config.OUTBOX_RETENTION_HOURS * 3600_000);
      const removed = { inbox: await pruneInbox(database.db, cutoff), ...(await pruneNotificationBookkeeping(database.db, cutoff)) };
      logger.info({ removed }, 'daily cleanup');
      return removed;
    },
  };
  return { routes, jobs: [dailyCleanup] };
};
