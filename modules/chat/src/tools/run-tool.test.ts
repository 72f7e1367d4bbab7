import { describe, expect, it } from 'vitest';
import { runTool } from './run-tool.js';
import type { TaskToolsPort, ToolTask } from './task-tools-port.js';

const task = (over: Partial<ToolTask>): ToolTask => ({
  id: '00000000-0000-4000-8000-000000000001', title: 'Pay rent', description: '', status: 'open', priority: 'medium', tags: [], dueAt: null,
  timeZone: 'Europe/Berlin', reminders: [], recurrence: null, seriesId: null, occurrenceIndex: null, completedAt: null,
  createdAt: '2031-01-01T00:00:00.000Z', updatedAt: '2031-01-01T00:00:00.000Z', version: 1, ...over,
});

/** A port over a fixed list of tasks; anything else the tools might call is a test failure. */
function fakePort(tasks: ToolTask[]): TaskToolsPort {
  const unused = () => Promise.reject(new Error('not used by this test'));
  return {
    timeZone: 'Europe/Berlin',
    addTask: async (input) => task({ title: input.title, dueAt: input.dueAt ?? null }),
    listTasks: async () => ({ items: tasks, nextCursor: null }),
    getTask: unused,
    updateTask: unused,
    completeTask: unused,
    reopenTask: unused,
    deleteTask: unused,
    listTags: unused,
    getTaskHistory: unused,
  };
}

describe('runTool', () => {
  // Years away from the real clock, so a summary written against it would show the year.
  const now = new Date('2031-03-06T15:00:00Z');

  it('writes summaries against the caller\'s clock: the year shows only when it is not now\'s', async () => {
    const added = await runTool(fakePort([]), 'add_task', { title: 'Pay rent', dueAt: '2031-04-01T07:00:00.000Z' }, now);
    expect(added).toMatchObject({ ok: true, summary: 'Added "Pay rent" (due Tue, Apr 1, 09:00).' });
    const port = fakePort([task({ dueAt: '2031-04-01T07:00:00.000Z' }), task({ title: 'Taxes', dueAt: '2032-01-05T08:00:00.000Z' })]);
    const listed = await runTool(port, 'list_tasks', {}, now);
    expect(listed.summary).toBe('2 tasks:\n1. "Pay rent" (due Tue, Apr 1, 09:00)\n2. "Taxes" (due Mon, Jan 5, 2032, 09:00)');
  });

  it('records arguments that are not an object as invalid, with none recorded', async () => {
    for (const args of [undefined, null, [], 'x', 42]) {
      expect(await runTool(fakePort([]), 'add_task', args, now)).toEqual({
        name: 'add_task', arguments: {}, ok: false, summary: 'The arguments for add_task are not a JSON object.',
        error: { code: 'invalid_arguments', message: 'The arguments for add_task are not a JSON object.' },
      });
    }
    expect(await runTool(fakePort([]), 'add_task', { title: '' }, now)).toMatchObject({ arguments: { title: '' }, ok: false, error: { code: 'invalid_arguments' } });
    expect(await runTool(fakePort([]), 'no_such_tool', 'x', now)).toMatchObject({ arguments: {}, ok: false, error: { code: 'unknown_tool' } });
  });
});
