// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://127.0.0.1:9/" }
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import type { Task, TaskPage } from '../api/types.js';
import { renderSignedIn, testMe } from '../testing/render.js';
import { taskFixture } from '../testing/task-fixture.js';
import { DEFAULT_FILTERS, toTaskQuery, type TaskFilters } from './task-filters.js';
import { TaskList } from './task-list.js';

afterEach(cleanup);

/** Renders the list with the API's answer already in the cache (null: ask the server). */
function renderList(filters: TaskFilters, tasks: Task[] | null, onClearFilters = () => {}) {
  return renderSignedIn(<TaskList filters={filters} search="" onClearFilters={onClearFilters} />, {
    seed: (client) => {
      client.setQueryData(['tags'], { items: [], nextCursor: null });
      if (tasks) client.setQueryData(['tasks', toTaskQuery(filters, testMe.timeZone)], { pages: [{ items: tasks, nextCursor: null } satisfies TaskPage], pageParams: [''] });
    },
  });
}

describe('the task list', () => {
  it('shows each task with its due date, priority, repeat rule and tags', async () => {
    const now = Date.now();
    renderList(DEFAULT_FILTERS, [
      taskFixture({ title: 'Pay rent', priority: 'high', tags: ['home'], dueAt: new Date(now + 86_400_000).toISOString(), recurrence: { kind: 'rrule', rule: 'FREQ=MONTHLY;BYMONTHDAY=1', repeatFrom: 'due', count: null, until: null, anchorAt: new Date(now).toISOString(), description: 'every month on the 1st at 09:00' } }),
      taskFixture({ title: 'File taxes', dueAt: new Date(now - 86_400_000).toISOString() }),
    ]);
    const rows = await screen.findAllByTestId('task-row');
    expect(rows).toHaveLength(2);
    const rent = within(rows[0]!);
    expect(rent.getByRole('link', { name: 'Pay rent' })).toBeTruthy();
    expect(rent.getByText('high')).toBeTruthy();
    expect(rent.getByText('#home')).toBeTruthy();
    expect(rent.getByText('every month on the 1st at 09:00')).toBeTruthy();
    expect(rent.getByRole('checkbox', { name: 'Complete “Pay rent”' })).toBeTruthy();
    expect(within(rows[1]!).getByText(/Overdue, was due/)).toBeTruthy();
  });

  it('says what to do when there is nothing to do', async () => {
    renderList(DEFAULT_FILTERS, []);
    expect(await screen.findByText(/Nothing to do/)).toBeTruthy();
    expect(screen.getByText(/Pay rent every month on the 1st 9am/)).toBeTruthy();
  });

  it('offers to clear filters when they hide everything', async () => {
    const clear = vi.fn();
    renderList({ ...DEFAULT_FILTERS, tags: ['nowhere'] }, [], clear);
    (await screen.findByRole('button', { name: 'Clear filters' })).click();
    expect(clear).toHaveBeenCalledOnce();
  });

  it('says the server cannot be reached, and offers to try again', async () => {
    // Nothing listens on this page’s origin (port 9), so the request really fails (happy-dom logs the refused connection).
    renderList(DEFAULT_FILTERS, null);
    expect(await screen.findByText(/Cannot reach the server/, {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
