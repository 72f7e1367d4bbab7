import { SettingsPage } from '../account/settings-page.js';
import { ActivityPage } from '../activity/activity-page.js';
import { Link, matchPath, Redirect, useLocation } from '../lib/router.js';
import { NotificationsPage } from '../notifications/bell.js';
import { TagsPage } from '../tags/tags-page.js';
import { TasksPage } from '../tasks/tasks-page.js';

/** The page for the current path. */
export function Routes() {
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
