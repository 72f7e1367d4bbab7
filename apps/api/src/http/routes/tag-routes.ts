import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createTag, CreateTagInput, deleteTag, listTags, TagView, updateTag, UpdateTagInput, type TasksContext } from '@taskstream/tasks';
import { actorOf } from '../authenticate.js';
import { problemResponses } from './problem-schema.js';

const IdParams = z.object({ id: z.string().max(100) });
const tags = ['tags'];

export const tagRoutes: FastifyPluginAsyncZod<{ ctx: TasksContext }> = async (app, { ctx }) => {
  app.get('/api/tags', { schema: { tags, summary: 'Your tags with task counts', response: { 200: z.object({ items: z.array(TagView), nextCursor: z.null() }) } } }, async (req) =>
    listTags(ctx, actorOf(req)),
  );
  app.post('/api/tags', { schema: { tags, summary: 'Create a tag', body: CreateTagInput, response: { 201: TagView, ...problemResponses } } }, async (req, reply) =>
    reply.status(201).send(await createTag(ctx, actorOf(req), req.body)),
  );
  app.patch('/api/tags/:id', { schema: { tags, summary: 'Rename or recolour a tag', params: IdParams, body: UpdateTagInput, response: { 200: TagView, ...problemResponses } } }, async (req) =>
    updateTag(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/tags/:id', { schema: { tags, summary: 'Delete a tag (its tasks stay)', params: IdParams, response: { 204: z.null(), ...problemResponses } } }, async (req, reply) => {
    await deleteTag(ctx, actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });
};
