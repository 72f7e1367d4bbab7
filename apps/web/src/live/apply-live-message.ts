import type { QueryClient } from '@tanstack/react-query';
import { refreshTaskLists } from '../api/refresh.js';
import type { NotificationChangedData, NotificationPage, TaskChangedData } from '../api/types.js';
import type { LiveMessage } from './live-connection.js';

/** Redraws from a live message: the changed task in place, and every list that may show it refetched. */
export function applyLiveMessage(client: QueryClient, message: LiveMessage, onNotification: (d: NotificationChangedData) => void): void {
  switch (message.type) {
    case 'task.changed': {
      const data = message.data as TaskChangedData;
      if (data.task) client.setQueryData(['task', data.taskId], data.task);
      else client.removeQueries({ queryKey: ['task', data.taskId] });
      refreshTaskLists(client);
      void client.invalidateQueries({ queryKey: ['history', data.taskId] });
      return;
    }
    case 'notification.changed': {
      const data = message.data as NotificationChangedData;
      client.setQueryData<NotificationPage>(['notifications'], (page) => (page ? { ...page, unreadCount: data.unreadCount } : page));
      void client.invalidateQueries({ queryKey: ['notifications'] });
      onNotification(data);
      return;
    }
    case 'resync':
      void client.invalidateQueries();
      return;
    default:
      return;
  }
}
