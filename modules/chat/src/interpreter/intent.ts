/** How an utterance names a task: by words, by its place in the last list, or as "it". */
export type TaskRef = { text: string } | { ordinal: number } | { it: true };

import type { Priority } from '@taskstream/events';

export type { Priority };
export type Status = 'open' | 'in_progress' | 'completed';

export interface ListFilter {
  search?: string;
  status?: Status[];
  priority?: Priority[];
  tag?: string;
  due?: 'today' | 'tomorrow' | 'this week' | 'next week' | 'this month';
  overdue?: boolean;
  sort?: 'dueAt' | 'priority' | 'createdAt' | 'title';
  order?: 'asc' | 'desc';
}

/** What the user asked for, before any task is looked up. */
export type Intent =
  | { kind: 'add'; text: string; remind?: boolean }
  | { kind: 'list'; filter: ListFilter }
  | { kind: 'complete' | 'reopen' | 'delete' | 'history'; ref: TaskRef }
  | { kind: 'reschedule'; ref: TaskRef; when: string }
  | { kind: 'postpone'; ref: TaskRef; by: string }
  | { kind: 'rename'; ref: TaskRef; title: string }
  | { kind: 'priority'; ref: TaskRef; priority: Priority }
  | { kind: 'remind'; ref: TaskRef; when: string }
  | { kind: 'clear-reminders'; ref: TaskRef }
  | { kind: 'repeat'; ref: TaskRef; rule: string | null }
  | { kind: 'tag'; ref: TaskRef; tags: string[] }
  | { kind: 'tags' }
  | { kind: 'undo' }
  | { kind: 'help' }
  | { kind: 'greet'; text: string }
  | { kind: 'choose'; choice: { ordinal: number } | { all: true } | { text: string } }
  | { kind: 'cancel' }
  | { kind: 'unknown' };
