import { useState } from 'react';
import type { Me } from '../api/types.js';
import { useToast } from '../ui/toast.js';
import { browserPermission, disableBrowserPush, enableBrowserNotifications } from './browser-notifications.js';

/** The settings card for reminder channels and this browser's notification permission and push subscription. */
export function NotificationSettings({ me, onChannels }: { me: Me; onChannels: (n: Partial<Me['notifications']>) => void }) {
  const [permission, setPermission] = useState(browserPermission);
  const toast = useToast();
  const enable = async () => {
    const result = await enableBrowserNotifications();
    setPermission(result.permission);
    if (result.permission === 'granted') {
      onChannels({ push: result.push });
      toast(result.push ? 'Browser notifications are on, even with Taskstream closed.' : 'Browser notifications are on while Taskstream is open.');
    } else if (result.permission === 'denied') toast('Notifications are blocked in this browser’s site settings.', { tone: 'error' });
  };
  const channels: [keyof Me['notifications'], string][] = [
    ['inApp', 'In the app (the bell)'],
    ['email', 'By email'],
    ['push', 'Browser push'],
  ];
  return (
    <section className="card stack" aria-labelledby="notify-heading">
      <h2 id="notify-heading">Reminders</h2>
      <fieldset className="stack-tight">
        <legend>Send reminders</legend>
        {channels.map(([key, label]) => (
          <label key={key} className="check">
            <input type="checkbox" checked={me.notifications[key]} onChange={(e) => onChannels({ [key]: e.target.checked })} />
            {label}
          </label>
        ))}
      </fieldset>
      <div className="row wrap">
        {permission === 'unsupported' && <p className="muted">This browser cannot show notifications.</p>}
        {permission === 'default' && (
          <button type="button" className="button" onClick={() => void enable()}>
            Allow browser notifications
          </button>
        )}
        {permission === 'granted' && (
          <>
            <p className="muted">Browser notifications are allowed.</p>
            {me.notifications.push && (
              <button
                type="button"
                className="button"
                onClick={() => void disableBrowserPush().then(() => onChannels({ push: false }))}
              >
                Stop push on this device
              </button>
            )}
          </>
        )}
        {permission === 'denied' && <p className="muted">Notifications are blocked; allow them in this site’s settings.</p>}
      </div>
    </section>
  );
}
