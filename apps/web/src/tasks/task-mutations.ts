import { useMutation, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import { refreshTaskLists } from '../api/refresh.js';
import type { Status, Task, TaskPage } from '../api/types.js';
import { useLiveStatus } from '../live/live-provider.js';
import { errorMessage } from '../ui/states.js';
import { useToast } from '../ui/toast.js';

/** Shows the new status in every loaded list at once; the refetch that follows settles it. */
function setStatusInLists(client: QueryClient, id: string, status: Status) {
  const completedAt = status === 'completed' ? new Date().toISOString() : null;
  client.setQueriesData<InfiniteData<TaskPage>>({ queryKey: ['tasks'] }, (data) =>
    data && {
      ...data,
      pages: data.pages.map((p) => ({ ...p, items: p.items.map((t) => (t.id === id ? { ...t, status, completedAt } : t)) })),
    },
  );
}

/** Completes or reopens a task, with an Undo, and makes sure a recurring task's next occurrence shows up. */
export function useToggleComplete() {
  const client = useQueryClient();
  const toast = useToast();
  const live = useLiveStatus();
  const refresh = () => refreshTaskLists(client);
  const optimistic = (status: Status) => async (task: Task) => {
    await client.cancelQueries({ queryKey: ['tasks'] });
    setStatusInLists(client, task.id, status);
  };
  const failed = (e: unknown) => {
    refresh();
    toast(errorMessage(e), { tone: 'error' });
  };
  const reopen = useMutation({
    mutationFn: (task: Task) => api.reopenTask(task.id),
    onMutate: optimistic('open'),
    onSuccess: (task) => {
      client.setQueryData(['task', task.id], task);
      refresh();
    },
    onError: failed,
  });
  const complete = useMutation({
    mutationFn: (task: Task) => api.completeTask(task.id),
    onMutate: optimistic('completed'),
    onSuccess: (task) => {
      client.setQueryData(['task', task.id], task);
      refresh();
      toast(task.recurrence ? `Completed “${task.title}”. The next one is on its way.` : `Completed “${task.title}”`, {
        action: { label: 'Undo', run: () => reopen.mutate(task) },
      });
      // The next occurrence is made by the recurrence service a moment later; the live channel
      // announces it. Without that channel, look again shortly.
      if (task.recurrence && live !== 'live') for (const ms of [800, 2000, 4000]) setTimeout(refresh, ms);
    },
    onError: failed,
  });
  return {
    toggle: (task: Task, onSettled?: () => void) =>
      task.status === 'completed' ? reopen.mutate(task, { onSettled }) : complete.mutate(task, { onSettled }),
    pendingId: complete.isPending ? complete.variables?.id : reopen.isPending ? reopen.variables?.id : undefined,
  };
}
