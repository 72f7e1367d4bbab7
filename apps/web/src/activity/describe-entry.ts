import type { AuditEntry } from '../api/types.js';

const VERBS: Record<AuditEntry['action'], string> = {
  created: 'Created',
  updated: 'Changed',
  completed: 'Completed',
  reopened: 'Reopened',
  deleted: 'Deleted',
};

const FIELD_NAMES: Record<string, string> = {
  title: 'title',
  description: 'description',
  status: 'status',
  priority: 'priority',
  tags: 'tags',
  dueAt: 'due date',
  timeZone: 'time zone',
  reminders: 'reminders',
  recurrence: 'repeat',
};

export function actionVerb(entry: AuditEntry): string {
  return VERBS[entry.action];
}

/** "priority: medium → high", one line per changed field that a person would care about. */
export function describeChanges(entry: AuditEntry, formatDate: (iso: string) => string): string[] {
  if (entry.action !== 'updated') return [];
  return Object.entries(entry.changes)
    .filter(([field]) => field in FIELD_NAMES)
    .map(([field, { from, to }]) => {
      const name = FIELD_NAMES[field]!;
      if (field === 'description' || field === 'reminders' || field === 'recurrence') return `${name} changed`;
      return `${name}: ${show(from, field, formatDate)} → ${show(to, field, formatDate)}`;
    });
}

function show(value: unknown, field: string, formatDate: (iso: string) => string): string {
  if (value === null || value === undefined || value === '') return 'none';
  if (field === 'dueAt' && typeof value === 'string') return formatDate(value);
  if (Array.isArray(value)) return value.length ? value.map((v) => (field === 'tags' ? `#${String(v)}` : String(v))).join(', ') : 'none';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
