import { useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import { ApiError } from '../api/client.js';
import { formatDateTime, formatRelative } from '../lib/time.js';
import { EmptyState, ErrorState, Loading } from '../ui/states.js';
import { actionVerb, describeChanges } from './describe-entry.js';

export function TaskHistory({ taskId, zone }: { taskId: string; zone: string }) {
  const history = useQuery({ queryKey: ['history', taskId], queryFn: () => api.history(taskId), retry: false });
  if (history.isPending) return <Loading label="Loading history…" />;
  // The audit trail is written a moment after the change; a brand-new task may not have one yet.
  if (history.error instanceof ApiError && history.error.status === 404) return <EmptyState title="No history yet." />;
  if (history.isError) return <ErrorState error={history.error} what="the history" onRetry={() => void history.refetch()} />;
  return (
    <ol className="timeline" aria-label="History">
      {history.data.items.map((e) => (
        <li key={e.id}>
          <span className={`timeline-action action-${e.action}`}>{actionVerb(e)}</span>{' '}
          <time dateTime={e.occurredAt} title={formatDateTime(e.occurredAt, zone)}>
            {formatRelative(e.occurredAt)}
          </time>
          <ul className="changes">
            {describeChanges(e, (iso) => formatDateTime(iso, zone)).map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
