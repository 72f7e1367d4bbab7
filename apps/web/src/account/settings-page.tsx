import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import type { Me } from '../api/types.js';
import { setTheme, useTheme, type ThemeChoice } from '../lib/theme.js';
import { NotificationSettings } from '../notifications/notification-settings.js';
import { useMe } from '../session/session.js';
import { errorMessage } from '../ui/states.js';
import { useToast } from '../ui/toast.js';
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
      <NotificationSettings me={me} onChannels={(notifications) => save.mutate({ notifications })} />
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
