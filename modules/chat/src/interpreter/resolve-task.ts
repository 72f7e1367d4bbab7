import type { TurnState } from '../store/conversation-store.js';
import { ToolError, type TaskToolsPort, type ToolTask } from '../tools/task-tools-port.js';
import type { TaskRef } from './intent.js';

export type Resolution =
  | { kind: 'one'; task: ToolTask }
  | { kind: 'many'; tasks: ToolTask[] }
  | { kind: 'none'; why: string };

/** Which tasks an action would rather act on when a name matches several. */
export type Preference = 'open' | 'completed' | 'any';

/** The tasks with these ids that still exist, in order (one deleted since is skipped). */
export async function byIds(port: TaskToolsPort, ids: string[]): Promise<ToolTask[]> {
  const tasks: ToolTask[] = [];
  for (const id of ids) {
    try {
      tasks.push(await port.getTask(id));
    } catch (e) {
      if (!(e instanceof ToolError)) throw e; // deleted since: skip it
    }
  }
  return tasks;
}

const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function matchesName(task: ToolTask, name: string): boolean {
  const title = task.title.toLowerCase();
  if (title.includes(name.toLowerCase())) return true;
  const have = words(task.title);
  return words(name).every((w) => have.some((h) => h.startsWith(w)));
}

async function candidates(port: TaskToolsPort, name: string): Promise<ToolTask[]> {
  let found: ToolTask[] = [];
  try {
    found = (await port.listTasks({ search: name, limit: 50 })).items;
  } catch (e) {
    if (!(e instanceof ToolError)) throw e;
  }
  if (found.length > 0) return found;
  // Full-text search stems words; a plain scan still finds "rep" in "report".
  const all = (await port.listTasks({ limit: 200, sort: 'updatedAt', order: 'desc' })).items;
  return all.filter((t) => matchesName(t, name));
}

function narrow(tasks: ToolTask[], name: string, prefer: Preference): ToolTask[] {
  const exact = tasks.filter((t) => t.title.toLowerCase() === name.toLowerCase());
  let pool = exact.length > 0 ? exact : tasks;
  if (prefer !== 'any') {
    const wanted = pool.filter((t) => (prefer === 'completed') === (t.status === 'completed'));
    if (wanted.length > 0) pool = wanted;
  }
  const containing = pool.filter((t) => t.title.toLowerCase().includes(name.toLowerCase()));
  return containing.length > 0 ? containing : pool;
}

/** Soonest due first, undated last, then by title: a stable order for "the first one". */
function byDue(a: ToolTask, b: ToolTask): number {
  const due = (t: ToolTask) => (t.dueAt ? Date.parse(t.dueAt) : Number.POSITIVE_INFINITY);
  return due(a) - due(b) || a.title.localeCompare(b.title);
}

/** Finds the task a reference means, for this user only (the port is bound to them). */
export async function resolveTask(port: TaskToolsPort, ref: TaskRef, previous: TurnState | null, prefer: Preference): Promise<Resolution> {
  if ('it' in ref) {
    const tasks = await byIds(port, previous?.focus ?? []);
    if (tasks.length === 0) return { kind: 'none', why: 'I\'m not sure which task you mean; say its name.' };
    return tasks.length === 1 ? { kind: 'one', task: tasks[0]! } : { kind: 'many', tasks };
  }
  if ('ordinal' in ref) {
    const listed = previous?.listed ?? [];
    const id = ref.ordinal === -1 ? listed.at(-1) : listed[ref.ordinal - 1];
    const [task] = id ? await byIds(port, [id]) : [];
    if (task) return { kind: 'one', task };
    return { kind: 'none', why: listed.length ? `There is no number ${ref.ordinal} in the last list (it had ${listed.length}).` : 'I haven\'t listed any tasks yet; say the task\'s name.' };
  }
  if (ref.text === '') return { kind: 'none', why: 'Which task do you mean?' };
  const found = narrow(await candidates(port, ref.text), ref.text, prefer).sort(byDue);
  if (found.length === 0) return { kind: 'none', why: `I couldn't find a task matching "${ref.text}".` };
  return found.length === 1 ? { kind: 'one', task: found[0]! } : { kind: 'many', tasks: found.slice(0, 10) };
}
