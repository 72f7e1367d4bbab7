import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import { ApiError } from '../api/client.js';
import { TaskHistory } from '../activity/task-history.js';
import { EmptyState, ErrorState, Loading } from '../ui/states.js';
import { TaskEditor } from './task-editor.js';

/** The side panel (full screen on a phone) for one task: its details to edit, and its history. */
export function TaskPanel({ taskId, onClose }: { taskId: string; onClose: () => void }) {
  const task = useQuery({ queryKey: ['task', taskId], queryFn: () => api.task(taskId), retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 2 });
  const [tab, setTab] = useState<'details' | 'history'>('details');
  const panel = useRef<HTMLElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      returnTo?.focus();
    };
  }, []);
  useEffect(() => panel.current?.querySelector<HTMLElement>('h2')?.focus(), [taskId]);

  return (
    <>
      <div className="panel-backdrop" onClick={onClose} aria-hidden="true" />
      <aside className="panel" ref={panel} role="dialog" aria-modal="false" aria-labelledby="panel-title">
        <header className="panel-header">
          <h2 id="panel-title" tabIndex={-1}>
            {task.data?.title ?? 'Task'}
          </h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="tabs" role="tablist" aria-label="Task">
          {(['details', 'history'] as const).map((t) => (
            <button key={t} type="button" role="tab" id={`tab-${t}`} aria-selected={tab === t} aria-controls={`tabpanel-${t}`} className="tab" onClick={() => setTab(t)}>
              {t === 'details' ? 'Details' : 'History'}
            </button>
          ))}
        </div>
        <div className="panel-body" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {task.isPending && <Loading label="Loading the task…" />}
          {task.error instanceof ApiError && task.error.status === 404 && <EmptyState title="This task no longer exists. It may have been deleted in another tab." />}
          {task.isError && !(task.error instanceof ApiError && task.error.status === 404) && <ErrorState error={task.error} what="the task" onRetry={() => void task.refetch()} />}
          {task.data && tab === 'details' && <TaskEditor key={task.data.id} task={task.data} onDone={onClose} />}
          {task.data && tab === 'history' && <TaskHistory taskId={task.data.id} zone={task.data.timeZone} />}
        </div>
      </aside>
    </>
  );
}
