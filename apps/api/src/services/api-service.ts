import type { FastifyPluginAsync } from 'fastify';
import { llmConfigOf } from '../http/chat/llm-config.js';
import { apiRoutes } from '../http/api-routes.js';
import { internalRoutes } from '../http/routes/internal-routes.js';
import { registerWebUi, DEFAULT_WEB_DIR } from '../http/web-ui.js';
import type { ServiceRow } from './contribution.js';
import { dailyCleanupJob } from './daily-cleanup.js';

/**
 * The Todo/Chat API: accounts, tasks, tags, recurrence previews, history, notifications, chat and
 * MCP under /api and /mcp; the web UI at /; under Dapr, the service invocation route the
 * recurrence service calls; the daily cleanup of bookkeeping.
 */
export const apiService: ServiceRow = async ({ config, database, tasks, auth, vapidKeys, logger, options }) => {
  // The api hands out only the public key; the private one is the notifications service's (roles.*.secrets).
  const vapidPublicKey = config.VAPID_PUBLIC_KEY ?? (await vapidKeys()).publicKey;
  const routes: FastifyPluginAsync[] = [
    apiRoutes({
      auth: auth(),
      tasks,
      db: database.db,
      vapidPublicKey,
      pushSubscriptions: { maxPerUser: config.PUSH_MAX_SUBSCRIPTIONS_PER_USER, hosts: { allowPrivateHosts: options.notifications?.allowPrivatePushHosts } },
      llm: llmConfigOf(config),
      limits: {
        chat: { conversationsPerUser: config.CHAT_CONVERSATIONS_PER_USER, messagesPerConversation: config.CHAT_MESSAGES_PER_CONVERSATION },
        chatPerMinute: config.CHAT_RATE_LIMIT_PER_MINUTE,
        mcpPerMinute: config.MCP_RATE_LIMIT_PER_MINUTE,
      },
    }),
  ];
  if (config.EVENT_BUS === 'dapr') {
    routes.push(async (app) => app.register(internalRoutes, { ctx: tasks, appApiToken: config.APP_API_TOKEN, allowedCaller: config.RECURRENCE_APP_ID }));
  }
  const webDir = config.WEB_DIR ?? DEFAULT_WEB_DIR;
  routes.push(async (app) => void (await registerWebUi(app, { dir: webDir, logger })));
  return { routes, jobs: [dailyCleanupJob({ db: database.db, config, now: tasks.now, logger })] };
};
