import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  completeTask,
  createTask,
  CreateTaskInput,
  deleteTask,
  getTask,
  listTasks,
  ListTasksQuery,
  reopenTask,
  TaskError,
  TaskPage,
  TaskView,
  updateTask,
  UpdateTaskInput,
  type TasksContext,
} from '@taskstream/tasks';
import { actorOf } from '../authenticate.js';
import { HttpProblem, problem } from '../problem.js';
import { problemResponses } from './problem-schema.js';

const IdParams = z.object({ id: z.string().max(100) });
const tags = ['tasks'];

export const taskRoutes: FastifyPluginAsyncZod<{ ctx: TasksContext }> = async (app, { ctx }) => {
  app.get('/api/tasks', { schema: { tags, summary: 'List, search, filter and sort tasks', querystring: ListTasksQuery, response: { 200: TaskPage, ...problemResponses } } }, async (req) => {
    try {
      return await listTasks(ctx, actorOf(req), req.query);
    } catch (e) {
      // A bad cursor is a malformed request, as on the other lists (notifications, activity): 400, not 422.
      if (e instanceof TaskError && e.code === 'invalid_cursor') throw new HttpProblem(problem(400, e.code, e.message, e.errors));
      throw e;
    }
  });
  app.post('/api/tasks', { schema: { tags, summary: 'Create a task', body: CreateTaskInput, response: { 201: TaskView, ...problemResponses } } }, async (req, reply) => {
    const task = await createTask(ctx, actorOf(req), req.body);
    return reply.status(201).header('location', `/api/tasks/${task.id}`).send(task);
  });
  app.get('/api/tasks/:id', { schema: { tags, summary: 'Get a task', params: IdParams, response: { 200: TaskView, ...problemResponses } } }, async (req) =>
    getTask(ctx, actorOf(req), req.params.id),
  );
  app.patch('/api/tasks/:id', { schema: { tags, summary: 'Change a task', params: IdParams, body: UpdateTaskInput, response: { 200: TaskView, ...problemResponses } } }, async (req) =>
    updateTask(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/tasks/:id', { schema: { tags, summary: 'Delete a task', params: IdParams, response: { 204: z.null(), ...problemResponses } } }, async (req, reply) => {
    await deleteTask(ctx, actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });
  app.post('/api/tasks/:id/complete', { schema: { tags, summary: 'Complete a task (idempotent)', params: IdParams, response: { 200: TaskView, ...problemResponses } } }, async (req) =>
    completeTask(ctx, actorOf(req), req.params.id),
  );
  app.post('/api/tasks/:id/reopen', { schema: { tags, summary: 'Reopen a completed task (idempotent)', params: IdParams, response: { 200: TaskView, ...problemResponses } } }, async (req) =>
    reopenTask(ctx, actorOf(req), req.params.id),
  );
};
