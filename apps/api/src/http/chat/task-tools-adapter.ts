import { z } from 'zod';
import { HistoryQuery, taskHistory } from '@taskstream/audit';
import { taskQueryParams, ToolError, type TaskToolsPort } from '@taskstream/chat';
import { isUuid, type Db } from '@taskstream/db';
import {
  completeTask, createTask, CreateTaskInput, deleteTask, getTask, listTags, listTasks, ListTasksQuery, reopenTask,
  TaskError, updateTask, UpdateTaskInput, type Actor, type TasksContext,
} from '@taskstream/tasks';

const kinds = { not_found: 'not_found', validation: 'validation', conflict: 'conflict' } as const;

function toToolError(e: unknown): unknown {
  if (e instanceof TaskError) {
    const fields = e.errors.map((f) => `${f.path}: ${f.message}`).join('; ');
    return new ToolError(e.code, fields && !e.message.includes(fields) ? `${e.message} (${fields})` : e.message, kinds[e.kind]);
  }
  if (e instanceof z.ZodError) {
    return new ToolError('validation_failed', e.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  }
  return e;
}

/**
 * The chat module's task tools over the tasks and audit modules, for one actor. Inputs
 * go through the same schemas as the REST routes, and the same commands run, so the
 * same rules apply and the same events are recorded.
 */
export function taskToolsAdapter(ctx: TasksContext, db: Db, actor: Actor): TaskToolsPort {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      throw toToolError(e);
    }
  };
  return {
    timeZone: actor.timeZone,
    addTask: (input) => guard(() => createTask(ctx, actor, CreateTaskInput.parse(input))),
    listTasks: (q) => guard(() => listTasks(ctx, actor, ListTasksQuery.parse(taskQueryParams(q)))),
    getTask: (id) => guard(() => getTask(ctx, actor, id)),
    updateTask: (id, patch) => guard(() => updateTask(ctx, actor, id, UpdateTaskInput.parse(patch))),
    completeTask: (id) => guard(() => completeTask(ctx, actor, id)),
    reopenTask: (id) => guard(() => reopenTask(ctx, actor, id)),
    deleteTask: (id) => guard(() => deleteTask(ctx, actor, id)),
    listTags: () => guard(async () => (await listTags(ctx, actor)).items),
    getTaskHistory: (id) =>
      guard(async () => {
        // The first page, as GET /api/tasks/:id/history gives it (the MCP stdio server reads that).
        const page = isUuid(id) ? await taskHistory(db, actor.userId, id, HistoryQuery.parse({})) : null;
        if (!page) throw new ToolError('task_not_found', `No task with id ${id}.`, 'not_found');
        return page.items;
      }),
  };
}
