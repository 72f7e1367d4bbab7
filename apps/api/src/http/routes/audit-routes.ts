import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ActivityQuery, activityFeed, AuditPage, HistoryQuery, taskHistory } from '@taskstream/audit';
import { isUuid, type Db } from '@taskstream/db';
import { actorOf } from '../authenticate.js';
import { HttpProblem, problem } from '../problem.js';
import { problemResponses } from './problem-schema.js';

const tags = ['activity'];

export const auditRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/tasks/:id/history',
    {
      schema: {
        tags,
        summary: 'A task\'s history, oldest first, a page at a time (kept after the task is deleted)',
        params: z.object({ id: z.string().max(100) }),
        querystring: HistoryQuery,
        response: { 200: AuditPage, ...problemResponses },
      },
    },
    async (req) => {
      const page = isUuid(req.params.id) ? await taskHistory(db, actorOf(req).userId, req.params.id, req.query) : null;
      if (!page) throw new HttpProblem(problem(404, 'task_not_found', `No task with id ${req.params.id}.`));
      return page;
    },
  );
  app.get(
    '/api/activity',
    { schema: { tags, summary: 'Your activity feed, newest first', querystring: ActivityQuery, response: { 200: AuditPage, ...problemResponses } } },
    async (req) => activityFeed(db, actorOf(req).userId, req.query),
  );
};
