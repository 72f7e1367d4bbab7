import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ChatHistory, ChatReply, ChatRequest, getConversation, sendChatMessage, type LlmConfig } from '@taskstream/chat';
import type { Db } from '@taskstream/db';
import type { TasksContext } from '@taskstream/tasks';
import { actorOf } from '../authenticate.js';
import { taskToolsAdapter } from '../chat/task-tools-adapter.js';
import { problemResponses } from './problem-schema.js';

const tags = ['chat'];

export const chatRoutes: FastifyPluginAsyncZod<{ ctx: TasksContext; db: Db; llm?: LlmConfig }> = async (app, { ctx, db, llm }) => {
  app.post(
    '/api/chat',
    { schema: { tags, summary: 'Send a chat message; the assistant acts on your tasks and says what it did', body: ChatRequest, response: { 200: ChatReply, ...problemResponses } } },
    async (req) => {
      const actor = actorOf(req);
      const deps = { db, port: taskToolsAdapter(ctx, db, actor), userId: actor.userId, now: ctx.now, ...(llm && { llm }) };
      return sendChatMessage(deps, req.body);
    },
  );
  app.get(
    '/api/chat/:conversationId',
    { schema: { tags, summary: 'A conversation\'s messages and tool calls, oldest first', params: z.object({ conversationId: z.string().max(100) }), response: { 200: ChatHistory, ...problemResponses } } },
    async (req) => getConversation(db, actorOf(req).userId, req.params.conversationId),
  );
};
