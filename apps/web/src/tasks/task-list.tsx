import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import { useLiveStatus } from '../live/live-provider.js';
import { useMe } from '../session/session.js';
import { useTagColors } from '../tags/use-tags.js';
import { EmptyState, ErrorState } from '../ui/states.js';
import { hasActiveFilters, toTaskQuery, type TaskFilters } from './task-filters.js';
import { useToggleComplete } from './task-mutations.js';
import { TaskRow } from './task-row.js';

interface Props {
  filters: TaskFilters;
  search: string;
  onClearFilters: () => void;
}

export function TaskList({ filters, search, onClearFilters }: Props) {
  const me = useMe();
  const live = useLiveStatus();
  const query = toTaskQuery(filters, me.timeZone);
  const tasks = useInfiniteQuery({
    queryKey: ['tasks', query],
    queryFn: ({ pageParam, signal }) => api.tasks({ ...query, ...(pageParam && { cursor: pageParam }) }, signal),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // Without the live channel, other tabs' changes arrive by polling.
    refetchInterval: live === 'live' ? false : 15_000,
    placeholderData: (previous) => previous,
  });
  const tagColors = useTagColors();
  const { toggle, pendingId } = useToggleComplete();

  if (tasks.isPending) return <TaskListSkeleton />;
  if (tasks.isError) return <ErrorState error={tasks.error} what="your tasks" onRetry={() => void tasks.refetch()} />;
  const items = tasks.data.pages.flatMap((p) => p.items);
  if (items.length === 0) {
    if (hasActiveFilters(filters)) {
      return (
        <EmptyState title="No tasks match these filters.">
          <button type="button" className="button" onClick={onClearFilters}>
            Clear filters
          </button>
        </EmptyState>
      );
    }
    return (
      <EmptyState title={filters.status === 'completed' ? 'Nothing completed yet.' : 'Nothing to do. Enjoy it — or add a task above.'}>
        <p className="muted">
          Try typing <kbd>Pay rent every month on the 1st 9am #home !high</kbd>
        </p>
      </EmptyState>
    );
  }
  return (
    <>
      <ul className="task-list" aria-label="Tasks" aria-busy={tasks.isFetching}>
        {items.map((t) => (
          <TaskRow key={t.id} task={t} zone={me.timeZone} search={search} tagColors={tagColors} pending={pendingId === t.id} onToggle={toggle} />
        ))}
      </ul>
      {tasks.hasNextPage && (
        <button type="button" className="button load-more" onClick={() => void tasks.fetchNextPage()} disabled={tasks.isFetchingNextPage}>
          {tasks.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      )}
    </>
  );
}

function TaskListSkeleton() {
  return (
    <div role="status" aria-live="polite" className="skeleton-list">
      <span className="sr-only">Loading your tasks…</span>
      {[0, 1, 2].map((i) => (
        <div key={i} className="skeleton-row" aria-hidden="true" />
      ))}
    </div>
  );
}
