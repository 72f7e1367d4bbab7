import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { SnoozeInput } from '../api/types.js';
import { useLiveStatus } from '../live/live-provider.js';
import { errorMessage } from '../ui/states.js';
import { useToast } from '../ui/toast.js';

/** In-app notifications; `available` is false on a server without the notifications service. */
export function useNotifications() {
  const live = useLiveStatus();
  const query = useQuery({
    queryKey: ['notifications'],
    queryFn: () => api.notifications(),
    retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 2,
    refetchInterval: (q) => (q.state.error instanceof ApiError && q.state.error.status === 404 ? false : live === 'live' ? false : 30_000),
  });
  const available = !(query.error instanceof ApiError && query.error.status === 404);
  return { ...query, available };
}

export function useNotificationActions() {
  const client = useQueryClient();
  const toast = useToast();
  const done = () => void client.invalidateQueries({ queryKey: ['notifications'] });
  const onError = (e: unknown) => toast(errorMessage(e), { tone: 'error' });
  const read = useMutation({ mutationFn: api.readNotification, onSuccess: done, onError });
  const readAll = useMutation({ mutationFn: api.readAllNotifications, onSuccess: done, onError });
  const snooze = useMutation({
    mutationFn: ({ id, ...input }: { id: string } & SnoozeInput) => api.snoozeNotification(id, input),
    onSuccess: (_n, { minutes }) => {
      done();
      toast(`Snoozed for ${minutes >= 1440 ? `${minutes / 1440} day` : minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`}`);
    },
    onError,
  });
  return { read, readAll, snooze };
}
