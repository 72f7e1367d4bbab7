import { z } from 'zod';
import { HistoryResult, TagListResult, TaskListResult } from '../tools/tool-schemas.js';
import { taskQueryParams, ToolError, ToolTask, type TaskQuery, type TaskToolsPort } from '../tools/task-tools-port.js';

export interface RestOptions {
  /** Base URL of a running Taskstream API, e.g. http://localhost:8080. */
  baseUrl: string;
  /** Bearer token from POST /api/auth/sign-in/email (the set-auth-token header). */
  token: string;
  fetch?: typeof globalThis.fetch;
}

const Problem = z.object({ code: z.string().optional(), detail: z.string().optional(), errors: z.array(z.object({ path: z.string(), message: z.string() })).optional() });

function kindOf(status: number): ToolError['kind'] {
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  return status >= 500 ? 'unavailable' : 'validation';
}

function queryString(q: TaskQuery): string {
  const text = new URLSearchParams(taskQueryParams(q)).toString();
  return text ? `?${text}` : '';
}

/**
 * The task tools over a running Taskstream API's REST endpoints, for the stdio MCP
 * server: the API does the work, so events and history are the same as in the app.
 */
export async function restTaskTools(options: RestOptions): Promise<TaskToolsPort> {
  const fetch = options.fetch ?? globalThis.fetch;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function request<T>(method: string, path: string, schema: z.ZodType<T> | null, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (e) {
      throw new ToolError('api_unreachable', `Cannot reach the Taskstream API at ${base}: ${e instanceof Error ? e.message : String(e)}`, 'unavailable');
    }
    if (!res.ok) {
      const problem = Problem.safeParse(await res.json().catch(() => ({})));
      const p = problem.success ? problem.data : {};
      const fields = p.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
      throw new ToolError(p.code ?? `http_${res.status}`, `${p.detail ?? res.statusText}${fields && !p.detail?.includes(fields) ? ` (${fields})` : ''}`, kindOf(res.status));
    }
    if (schema === null) return undefined as T;
    return schema.parse(await res.json());
  }

  const id = (taskId: string) => `/api/tasks/${encodeURIComponent(taskId)}`;
  const me = await request('GET', '/api/me', z.object({ timeZone: z.string() }));
  return {
    timeZone: me.timeZone,
    addTask: (input) => request('POST', '/api/tasks', ToolTask, input),
    listTasks: (q) => request('GET', `/api/tasks${queryString(q)}`, TaskListResult),
    getTask: (taskId) => request('GET', id(taskId), ToolTask),
    updateTask: (taskId, patch) => request('PATCH', id(taskId), ToolTask, patch),
    completeTask: (taskId) => request('POST', `${id(taskId)}/complete`, ToolTask),
    reopenTask: (taskId) => request('POST', `${id(taskId)}/reopen`, ToolTask),
    deleteTask: (taskId) => request('DELETE', id(taskId), null),
    listTags: async () => (await request('GET', '/api/tags', TagListResult)).items,
    getTaskHistory: async (taskId) => (await request('GET', `${id(taskId)}/history`, HistoryResult)).items,
  };
}
