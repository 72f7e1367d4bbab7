import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import type { Me } from '../api/types.js';
import { setTheme, useTheme, type ThemeChoice } from '../lib/theme.js';
import { browserPermission, disableBrowserPush, enableBrowserNotifications } from '../notifications/browser-notifications.js';
import { errorMessage } from '../ui/states.js';
import { useToast } from '../ui/toast.js';
import { useMe } from '../session/session.js';
import { TimeZoneSelect } from './time-zone-select.js';

export function SettingsPage() {
  const me = useMe();
  const client = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: api.updateMe,
    onSuccess: (updated) => {
      const before = client.getQueryData<Me>(['me']);
      client.setQueryData(['me'], updated);
      // Dates are shown, and date filters asked for, in the user's zone: a new zone refetches
      // everything. A name or a reminder channel changes nothing but 'me'.
      if (updated.timeZone !== before?.timeZone) void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      toast('Settings saved');
    },
    onError: (e) => toast(errorMessage(e), { tone: 'error' }),
  });

  return (
    <main className="page narrow" id="main">
      <h1>Settings</h1>
      <ProfileSection me={me} saving={save.isPending} onSave={(patch) => save.mutate(patch)} />
      <NotificationSection me={me} onChannels={(notifications) => save.mutate({ notifications })} />
      <ThemeSection />
    </main>
  );
}

function ProfileSection({ me, saving, onSave }: { me: Me; saving: boolean; onSave: (p: { name: string; timeZone: string }) => void }) {
  const [name, setName] = useState(me.name);
  const [zone, setZone] = useState(me.timeZone);
  return (
    <section className="card stack" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <p className="muted">Signed in as {me.email}</p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          onSave({ name, timeZone: zone });
        }}
      >
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <TimeZoneSelect value={zone} onChange={setZone} hint="New tasks use this zone; dates are shown in it." />
        <div>
          <button className="button primary" disabled={saving || (name === me.name && zone === me.timeZone)}>
            {saving ? 'Saving…' : 'Save profile'}
          </button>
        </div>
      </form>
    </section>
  );
}

function NotificationSection({ me, onChannels }: { me: Me; onChannels: (n: Partial<Me['notifications']>) => void }) {
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

function ThemeSection() {
  const theme = useTheme();
  const options: [ThemeChoice, string][] = [
    ['system', 'Match the system'],
    ['light', 'Light'],
    ['dark', 'Dark'],
  ];
  return (
    <section className="card stack" aria-labelledby="theme-heading">
      <h2 id="theme-heading">Appearance</h2>
      <fieldset className="row wrap">
        <legend>Theme</legend>
        {options.map(([value, label]) => (
          <label key={value} className="check">
            <input type="radio" name="theme" value={value} checked={theme === value} onChange={() => setTheme(value)} />
            {label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
