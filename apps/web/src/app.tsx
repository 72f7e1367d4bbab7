import { useCallback } from 'react';
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client.js';
import { api } from './api/endpoints.js';
import type { NotificationChangedData } from './api/types.js';
import { SignInPage, SignUpPage } from './account/auth-pages.js';
import { MeContext } from './session/session.js';
import { SettingsPage } from './account/settings-page.js';
import { ActivityPage } from './activity/activity-page.js';
import { Link, matchPath, navigate, Redirect, useLocation } from './lib/router.js';
import { LiveIndicator, LiveProvider } from './live/live-provider.js';
import { Bell, NotificationsPage } from './notifications/bell.js';
import { notifyInBrowser } from './notifications/browser-notifications.js';
import { TagsPage } from './tags/tags-page.js';
import { TasksPage } from './tasks/tasks-page.js';
import { ErrorState, Loading } from './ui/states.js';
import { ToastProvider, useToast } from './ui/toast.js';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // Retry only what may pass next time: the network and the server's own failures.
        retry: (count, e) => e instanceof ApiError && (e.status === 0 || e.status >= 500) && count < 3,
      },
    },
  });
}

export function App({ client }: { client: QueryClient }) {
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>
        <SessionGate />
      </ToastProvider>
    </QueryClientProvider>
  );
}

const PUBLIC_PATHS = ['/sign-in', '/sign-up'];

function SessionGate() {
  const { path } = useLocation();
  const me = useQuery({ queryKey: ['me'], queryFn: api.me, retry: (n, e) => !(e instanceof ApiError && e.status === 401) && n < 3 });
  if (me.isPending) return <Loading label="Opening Taskstream…" />;
  if (me.error instanceof ApiError && me.error.status === 401) {
    if (!PUBLIC_PATHS.includes(path)) return <Redirect to="/sign-in" />;
    return path === '/sign-up' ? <SignUpPage /> : <SignInPage />;
  }
  if (me.isError) {
    return (
      <main className="auth" id="main">
        <ErrorState error={me.error} what="Taskstream" onRetry={() => void me.refetch()} />
      </main>
    );
  }
  if (PUBLIC_PATHS.includes(path)) return <Redirect to="/" />;
  return (
    <MeContext.Provider value={me.data}>
      <SignedIn />
    </MeContext.Provider>
  );
}

function SignedIn() {
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
      <Screen />
    </LiveProvider>
  );
}

const NAV: [string, string][] = [
  ['/', 'Tasks'],
  ['/tags', 'Tags'],
  ['/activity', 'Activity'],
  ['/settings', 'Settings'],
];

function Header() {
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

function Screen() {
  const { path, search } = useLocation();
  const task = matchPath('/tasks/:id', path);
  // Reminder emails and pushes link to /?task=<id>.
  const linked = search.get('task');
  if (path === '/' && linked) return <Redirect to={`/tasks/${encodeURIComponent(linked)}`} />;
  if (path === '/' || task) return <TasksPage openTaskId={task?.id ?? null} />;
  if (path === '/tags') return <TagsPage />;
  if (path === '/activity') return <ActivityPage />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/notifications') return <NotificationsPage />;
  return (
    <main className="page narrow" id="main">
      <h1>Not found</h1>
      <p>
        There is no page at {path}. <Link to="/">Go to your tasks</Link>
      </p>
    </main>
  );
}
