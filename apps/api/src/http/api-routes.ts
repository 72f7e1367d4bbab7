import type { FastifyPluginAsync } from 'fastify';
import type { ChatLimits, LlmConfig } from '@taskstream/chat';
import type { Db } from '@taskstream/db';
import type { PushSubscriptionRules } from '@taskstream/notifications';
import type { TasksContext } from '@taskstream/tasks';
import type { Auth } from './auth.js';
import { authenticator } from './authenticate.js';
import { auditRoutes } from './routes/audit-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { chatRoutes } from './routes/chat-routes.js';
import { mcpRoutes } from './routes/mcp-routes.js';
import { meRoutes } from './routes/me-routes.js';
import { notificationRoutes } from './routes/notification-routes.js';
import { recurrenceRoutes } from './routes/recurrence-routes.js';
import { tagRoutes } from './routes/tag-routes.js';
import { taskRoutes } from './routes/task-routes.js';

export interface ApiRoutesOptions {
  auth: Auth;
  tasks: TasksContext;
  db: Db;
  vapidPublicKey: string;
  /** The per-user cap and the endpoint guard for Web Push subscriptions. */
  pushSubscriptions: PushSubscriptionRules;
  /** The chat's language model; without it a deterministic interpreter answers. */
  llm: LlmConfig | undefined;
  /** What one user may keep of the chat, and how often they may call chat and MCP (per minute). */
  limits: { chat: ChatLimits; chatPerMinute: number; mcpPerMinute: number };
}

/** Better Auth under /api/auth, and every route that acts for a signed-in user (under /api, and /mcp). */
export function apiRoutes(o: ApiRoutesOptions): FastifyPluginAsync {
  return async (app) => {
    await app.register(authRoutes, { auth: o.auth });
    app.decorateRequest('actor', null);
    await app.register(async (api) => {
      api.addHook('onRequest', authenticator(o.auth));
      await api.register(taskRoutes, { ctx: o.tasks });
      await api.register(tagRoutes, { ctx: o.tasks });
      await api.register(meRoutes, { ctx: o.tasks });
      await api.register(recurrenceRoutes, { ctx: o.tasks });
      await api.register(auditRoutes, { db: o.db });
      await api.register(notificationRoutes, { db: o.db, now: o.tasks.now, vapidPublicKey: o.vapidPublicKey, pushSubscriptions: o.pushSubscriptions });
      await api.register(chatRoutes, { ctx: o.tasks, db: o.db, limits: o.limits.chat, perMinute: o.limits.chatPerMinute, ...(o.llm && { llm: o.llm }) });
      await api.register(mcpRoutes, { ctx: o.tasks, db: o.db, perMinute: o.limits.mcpPerMinute });
    });
  };
}
