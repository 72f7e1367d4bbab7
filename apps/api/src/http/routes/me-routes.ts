import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getMe, MeView, updateMe, UpdateMeInput, type TasksContext } from '@taskstream/tasks';
import { actorOf } from '../authenticate.js';
import { problemResponses } from './problem-schema.js';

const tags = ['account'];

export const meRoutes: FastifyPluginAsyncZod<{ ctx: TasksContext }> = async (app, { ctx }) => {
  app.get('/api/me', { schema: { tags, summary: 'Your profile, time zone and notification channels', response: { 200: MeView, ...problemResponses } } }, async (req) =>
    getMe(ctx.db, actorOf(req).userId),
  );
  app.patch('/api/me', { schema: { tags, summary: 'Change your time zone or notification channels', body: UpdateMeInput, response: { 200: MeView, ...problemResponses } } }, async (req) =>
    updateMe(ctx, actorOf(req).userId, req.body),
  );
};
