import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ChatHistory, ChatHistoryQuery, ChatReply, ChatRequest, getConversation, sendChatMessage, type ChatLimits, type LlmConfig } from '@taskstream/chat';
import type { Db } from '@taskstream/db';
import type { TasksContext } from '@taskstream/tasks';
import { actorOf } from '../authenticate.js';
import { userRateLimit } from '../rate-limit.js';
import { taskToolsAdapter } from '../chat/task-tools-adapter.js';
import { problemResponses } from './problem-schema.js';

const tags = ['chat'];

export const chatRoutes: FastifyPluginAsyncZod<{ ctx: TasksContext; db: Db; limits: ChatLimits; perMinute: number; llm?: LlmConfig }> = async (app, { ctx, db, limits, perMinute, llm }) => {
  // Each message may cost a language model call: a user's pace is bounded across every replica.
  const rateLimit = userRateLimit(db, { scope: 'chat', what: 'chat messages', max: perMinute, windowSeconds: 60 });
  app.post(
    '/api/chat',
    { preHandler: rateLimit, schema: { tags, summary: 'Send a chat message; the assistant acts on your tasks and says what it did', body: ChatRequest, response: { 200: ChatReply, ...problemResponses } } },
    async (req) => {
      const actor = actorOf(req);
      const deps = { db, port: taskToolsAdapter(ctx, db, actor), userId: actor.userId, now: ctx.now, limits, ...(llm && { llm }) };
      return sendChatMessage(deps, req.body);
    },
  );
  app.get(
    '/api/chat/:conversationId',
    {
      schema: {
        tags,
        summary: 'A conversation\'s messages and tool calls, oldest first, a page at a time (limit, cursor → nextCursor)',
        params: z.object({ conversationId: z.string().max(100) }),
        querystring: ChatHistoryQuery,
        response: { 200: ChatHistory, ...problemResponses },
      },
    },
    async (req) => getConversation(db, actorOf(req).userId, req.params.conversationId, req.query),
  );
};
