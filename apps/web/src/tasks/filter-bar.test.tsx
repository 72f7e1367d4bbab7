// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn } from '../testing/render.js';
import { FilterBar } from './filter-bar.js';
import { DEFAULT_FILTERS } from './task-filters.js';

afterEach(cleanup);

const tags = { items: [{ id: '00000000-0000-4000-8000-000000000001', name: 'home', color: '#16a34a', taskCount: 1, openTaskCount: 1, createdAt: '', updatedAt: '' }], nextCursor: null };

function renderBar(filters = DEFAULT_FILTERS) {
  const onChange = vi.fn();
  renderSignedIn(<FilterBar filters={filters} onChange={onChange} />, { seed: (c) => c.setQueryData(['tags'], tags) });
  return onChange;
}

describe('the filter bar', () => {
  it('labels every control, so it can be used with a keyboard and a screen reader', () => {
    renderBar();
    for (const name of ['Search tasks', 'Show', 'Sort', 'Overdue only', 'Recurring only', 'From', 'To', 'high', '#home']) expect(screen.getByLabelText(name)).toBeTruthy();
  });

  it('changes priority, tag and status filters', async () => {
    const onChange = renderBar();
    await userEvent.click(screen.getByLabelText('urgent'));
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, priority: ['urgent'] });
    await userEvent.click(screen.getByLabelText('#home'));
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, tags: ['home'] });
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'completed');
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, status: 'completed' });
  });

  it('searches once typing pauses, not on every key', async () => {
    const onChange = renderBar();
    await userEvent.type(screen.getByLabelText('Search tasks'), 'rent');
    await waitFor(() => expect(onChange).toHaveBeenCalledWith({ ...DEFAULT_FILTERS, q: 'rent' }));
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('flips the sort order', async () => {
    const onChange = renderBar({ ...DEFAULT_FILTERS, sort: 'priority' });
    await userEvent.click(screen.getByRole('button', { name: /Order: ascending/ }));
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, sort: 'priority', order: 'desc' });
  });
});
