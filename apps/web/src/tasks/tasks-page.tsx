import { useCallback, useEffect } from 'react';
import { QuickAdd } from '../quick-add/quick-add-input.js';
import { navigate, useLocation } from '../lib/router.js';
import { FilterBar } from './filter-bar.js';
import { DEFAULT_FILTERS, filtersFromSearch, searchFromFilters, type TaskFilters } from './task-filters.js';
import { TaskList } from './task-list.js';
import { TaskPanel } from './task-panel.js';

/** The main screen: quick add, search and filters (kept in the URL), the list, and a task's panel. */
export function TasksPage({ openTaskId }: { openTaskId: string | null }) {
  const { search } = useLocation();
  const filters = filtersFromSearch(search);
  const searchText = searchFromFilters(filters);
  const setFilters = useCallback(
    (f: TaskFilters) => navigate(`${window.location.pathname}${searchFromFilters(f)}`, { replace: true }),
    [],
  );
  useShortcuts();
  return (
    <main className="page tasks-page" id="main">
      <h1 className="sr-only">Tasks</h1>
      <QuickAdd />
      <FilterBar filters={filters} onChange={setFilters} />
      <TaskList filters={filters} search={searchText} onClearFilters={() => setFilters({ ...DEFAULT_FILTERS })} />
      {openTaskId && <TaskPanel taskId={openTaskId} onClose={() => navigate(`/${searchText}`)} />}
    </main>
  );
}

/** "n" jumps to quick add and "/" to search, unless you are typing somewhere. */
function useShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.metaKey || e.ctrlKey || e.altKey || target.closest('input, textarea, select, [contenteditable="true"]')) return;
      const id = e.key === 'n' ? 'quick-add' : e.key === '/' ? 'task-search' : null;
      if (!id) return;
      e.preventDefault();
      document.getElementById(id)?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
