import { useState } from 'react';
import type { Task } from '../api/types.js';
import { Link } from '../lib/router.js';
import { formatDateTime, formatDue } from '../lib/time.js';
import { BellIcon } from '../ui/icons.js';
import { TagChip } from '../ui/tag-chip.js';

interface Props {
  task: Task;
  zone: string;
  search: string;
  tagColors: Map<string, string>;
  pending: boolean;
  onToggle: (task: Task, onSettled: () => void) => void;
}

export function TaskRow({ task, zone, search, tagColors, pending, onToggle }: Props) {
  // The tick shows at once; the lists catch up when the server answers.
  const [ticked, setTicked] = useState<boolean | null>(null);
  const done = ticked ?? task.status === 'completed';
  const overdue = !done && task.dueAt !== null && new Date(task.dueAt) < new Date();
  return (
    <li className={`task-row${done ? ' done' : ''}${pending ? ' pending' : ''}`} data-testid="task-row" data-task-id={task.id}>
      <input
        type="checkbox"
        className="task-check"
        checked={done}
        aria-disabled={pending}
        onChange={() => {
          if (pending) return;
          setTicked(!done);
          onToggle(task, () => setTicked(null));
        }}
        aria-label={done ? `Reopen “${task.title}”` : `Complete “${task.title}”`}
      />
      <div className="task-main">
        <Link to={`/tasks/${task.id}${search}`} className="task-title">
          {task.title}
        </Link>
        <div className="task-meta">
          {task.dueAt && (
            <span className={`due${overdue ? ' overdue' : ''}`} title={formatDateTime(task.dueAt, zone)}>
              <span className="sr-only">{overdue ? 'Overdue, was due' : 'Due'} </span>
              {formatDue(task.dueAt, zone)}
            </span>
          )}
          {task.priority !== 'medium' && <span className={`priority priority-${task.priority}`}>{task.priority}</span>}
          {task.recurrence && (
            <span className="recurs" title={task.recurrence.description}>
              <span aria-hidden="true">↻ </span>
              {task.recurrence.description}
            </span>
          )}
          {task.reminders.length > 0 && (
            <span className="reminders" title={`${task.reminders.length} reminder${task.reminders.length > 1 ? 's' : ''}`}>
              <BellIcon size={13} />
              {task.reminders.length}
              <span className="sr-only"> reminder{task.reminders.length > 1 ? 's' : ''}</span>
            </span>
          )}
          {task.tags.map((t) => (
            <TagChip key={t} name={t} color={tagColors.get(t.toLowerCase())} />
          ))}
        </div>
      </div>
    </li>
  );
}
