import { useEffect, useId, useRef, useState } from 'react';
import { useMe } from '../session/session.js';
import { Link } from '../lib/router.js';
import { BellIcon } from '../ui/icons.js';
import { ErrorState, Loading } from '../ui/states.js';
import { NotificationList } from './notification-list.js';
import { useNotificationActions, useNotifications } from './use-notifications.js';

/** The bell with the unread count; opens the latest notifications. Hidden where the server has none. */
export function Bell() {
  const me = useMe();
  const notifications = useNotifications();
  const { readAll } = useNotificationActions();
  const [open, setOpen] = useState(false);
  const popoverId = useId();
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  if (!notifications.available) return null;
  const unread = notifications.data?.unreadCount ?? 0;
  return (
    <div className="bell" ref={root}>
      <button
        type="button"
        className="icon-button bell-button"
        aria-expanded={open}
        aria-controls={popoverId}
        aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
        onClick={() => setOpen((o) => !o)}
      >
        <BellIcon size={20} />
        {unread > 0 && (
          <span className="badge" data-testid="unread-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="popover" id={popoverId} role="region" aria-label="Notifications">
          <div className="popover-header">
            <strong>Notifications</strong>
            {unread > 0 && (
              <button type="button" className="link-button" onClick={() => readAll.mutate()}>
                Mark all read
              </button>
            )}
          </div>
          {notifications.isPending && <Loading />}
          {notifications.isError && <ErrorState error={notifications.error} what="notifications" onRetry={() => void notifications.refetch()} />}
          {notifications.data && <NotificationList items={notifications.data.items.slice(0, 8)} zone={me.timeZone} onOpen={() => setOpen(false)} />}
          <Link to="/notifications" className="popover-footer" onClick={() => setOpen(false)}>
            See all
          </Link>
        </div>
      )}
    </div>
  );
}

export function NotificationsPage() {
  const me = useMe();
  const notifications = useNotifications();
  const { readAll } = useNotificationActions();
  return (
    <main className="page narrow" id="main">
      <div className="row space-between">
        <h1>Notifications</h1>
        {!!notifications.data?.unreadCount && (
          <button type="button" className="button" onClick={() => readAll.mutate()}>
            Mark all read
          </button>
        )}
      </div>
      {!notifications.available && <p className="muted">This server does not send in-app notifications.</p>}
      {notifications.isPending && <Loading />}
      {notifications.isError && notifications.available && <ErrorState error={notifications.error} what="notifications" onRetry={() => void notifications.refetch()} />}
      {notifications.data && <NotificationList items={notifications.data.items} zone={me.timeZone} />}
    </main>
  );
}
