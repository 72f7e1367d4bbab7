import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import { Link, useLocation } from '../lib/router.js';
import { LiveIndicator } from '../live/live-provider.js';
import { Bell } from '../notifications/bell.js';

const NAV: [string, string][] = [
  ['/', 'Tasks'],
  ['/tags', 'Tags'],
  ['/activity', 'Activity'],
  ['/settings', 'Settings'],
];

export function Header() {
  const { path } = useLocation();
  const client = useQueryClient();
  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    await client.resetQueries({ queryKey: ['me'] });
  };
  const current = (to: string) => (to === '/' ? path === '/' || path.startsWith('/tasks') : path.startsWith(to));
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        <span className="brand-mark" aria-hidden="true">
          ✓
        </span>
        <span className="brand-name">Taskstream</span>
      </Link>
      <nav aria-label="Main" className="main-nav">
        {NAV.map(([to, label]) => (
          <Link key={to} to={to} aria-current={current(to) ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      <div className="header-end">
        <LiveIndicator />
        <Bell />
        <button type="button" className="button small" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
