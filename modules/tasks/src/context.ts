import type { Db } from '@taskstream/db';
import type { TaskLimits } from './limits.js';
import type { RecurrencePort } from './recurrence-port.js';

/** Everything a command or query needs from outside; time is a parameter so tests control it. */
export interface TasksContext {
  db: Db;
  recurrence: RecurrencePort;
  now: () => Date;
  /** Per-user quotas (config: TASKS_PER_USER, TAGS_PER_USER). */
  limits: TaskLimits;
}

/** The signed-in user a command acts for; every query is scoped to this user. */
export interface Actor {
  userId: string;
  timeZone: string;
  /** W3C trace context of the request, carried into the events the change produces. */
  traceparent?: string;
}
