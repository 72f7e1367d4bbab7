import { useCallback } from 'react';
import type { NotificationChangedData } from '../api/types.js';
import { navigate } from '../lib/router.js';
import { LiveProvider } from '../live/live-provider.js';
import { notifyInBrowser } from '../notifications/browser-notifications.js';
import { useToast } from '../ui/toast.js';
import { Header } from './header.js';
import { Routes } from './routes.js';

/** The app of a signed-in user: one live connection for every screen, new reminders shown as toasts. */
export function SignedIn() {
  const toast = useToast();
  const onNotification = useCallback(
    (d: NotificationChangedData) => {
      if (d.operation !== 'created') return;
      toast(`Reminder: ${d.notification.title}`, d.notification.taskId ? { action: { label: 'Open', run: () => navigate(`/tasks/${d.notification.taskId}`) } } : {});
      notifyInBrowser(d.notification, (taskId) => navigate(`/tasks/${taskId}`));
    },
    [toast],
  );
  return (
    <LiveProvider onNotification={onNotification}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <Routes />
    </LiveProvider>
  );
}
