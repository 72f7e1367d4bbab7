import type { Notification } from '../api/types.js';
import { Link } from '../lib/router.js';
import { formatDateTime, formatRelative } from '../lib/time.js';
import { EmptyState } from '../ui/states.js';
import { useNotificationActions } from './use-notifications.js';

const SNOOZES: [number, string][] = [
  [10, '10 minutes'],
  [60, '1 hour'],
  [180, '3 hours'],
  [1440, '1 day'],
];

export function NotificationList({ items, zone, onOpen }: { items: Notification[]; zone: string; onOpen?: () => void }) {
  const { read, snooze } = useNotificationActions();
  if (items.length === 0) return <EmptyState title="No notifications. Reminders you set on tasks show up here." />;
  return (
    <ul className="notification-list" aria-label="Notifications">
      {items.map((n) => {
        const snoozed = n.snoozedUntil && new Date(n.snoozedUntil) > new Date();
        return (
          <li key={n.id} className={`notification${n.readAt ? '' : ' unread'}`}>
            <div className="notification-text">
              {n.taskId ? (
                <Link to={`/tasks/${n.taskId}`} onClick={() => (onOpen?.(), !n.readAt && read.mutate(n.id))}>
                  {n.title}
                </Link>
              ) : (
                <strong>{n.title}</strong>
              )}
              {n.body && <p>{n.body}</p>}
              <p className="muted">
                <time dateTime={n.createdAt} title={formatDateTime(n.createdAt, zone)}>
                  {formatRelative(n.createdAt)}
                </time>
                {snoozed && ` · snoozed until ${formatDateTime(n.snoozedUntil!, zone)}`}
              </p>
            </div>
            <div className="notification-actions">
              {!n.readAt && (
                <button type="button" className="link-button" onClick={() => read.mutate(n.id)}>
                  Mark read
                </button>
              )}
              <label className="sr-only" htmlFor={`snooze-${n.id}`}>
                Snooze “{n.title}”
              </label>
              <select
                id={`snooze-${n.id}`}
                value=""
                onChange={(e) => {
                  const minutes = Number(e.target.value);
                  if (minutes) snooze.mutate({ id: n.id, minutes });
                }}
              >
                <option value="">Snooze…</option>
                {SNOOZES.map(([m, label]) => (
                  <option key={m} value={m}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
