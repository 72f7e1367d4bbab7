import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import { useMe } from '../session/session.js';
import { Link } from '../lib/router.js';
import { formatDateTime, formatRelative } from '../lib/time.js';
import { EmptyState, ErrorState, Loading } from '../ui/states.js';
import { actionVerb, describeChanges } from './describe-entry.js';

/** The user's feed: every change to every task, newest first. */
export function ActivityPage() {
  const me = useMe();
  const feed = useInfiniteQuery({
    queryKey: ['activity'],
    queryFn: ({ pageParam }) => api.activity(pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = feed.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main className="page narrow" id="main">
      <h1>Activity</h1>
      {feed.isPending && <Loading label="Loading activity…" />}
      {feed.isError && <ErrorState error={feed.error} what="your activity" onRetry={() => void feed.refetch()} />}
      {feed.isSuccess && items.length === 0 && <EmptyState title="No activity yet. Changes to your tasks will show up here." />}
      {items.length > 0 && (
        <ol className="timeline feed" aria-label="Activity">
          {items.map((e) => (
            <li key={e.id}>
              <span className={`timeline-action action-${e.action}`}>{actionVerb(e)}</span>{' '}
              {e.action === 'deleted' ? <span className="feed-title">{e.taskTitle}</span> : <Link to={`/tasks/${e.taskId}`}>{e.taskTitle}</Link>}{' '}
              <time className="muted" dateTime={e.occurredAt} title={formatDateTime(e.occurredAt, me.timeZone)}>
                {formatRelative(e.occurredAt)}
              </time>
              <ul className="changes">
                {describeChanges(e, (iso) => formatDateTime(iso, me.timeZone)).map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
      {feed.hasNextPage && (
        <button type="button" className="button load-more" onClick={() => void feed.fetchNextPage()} disabled={feed.isFetchingNextPage}>
          {feed.isFetchingNextPage ? 'Loading…' : 'Show older'}
        </button>
      )}
    </main>
  );
}
