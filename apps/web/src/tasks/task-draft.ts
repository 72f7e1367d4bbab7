import type { Priority, RecurrenceInput, ReminderInput, Status, Task, UpdateTaskInput } from '../api/types.js';
import { toLocalInput } from '../lib/time.js';

const PRESETS = {
  daily: 'FREQ=DAILY',
  weekdays: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
  weekly: 'FREQ=WEEKLY',
  monthly: 'FREQ=MONTHLY',
  yearly: 'FREQ=YEARLY',
} as const;
type Preset = keyof typeof PRESETS;

export type ReminderDraft = { kind: 'before'; amount: number; unit: 'minutes' | 'hours' | 'days' } | { kind: 'at'; at: string };

export interface RecurrenceDraft {
  mode: Preset | 'rrule' | 'cron';
  /** The text of a custom RRULE or cron expression. */
  text: string;
  repeatFrom: 'due' | 'completion';
  end: 'never' | 'count' | 'until';
  count: number;
  /** Local date (YYYY-MM-DD) in the task's zone; the series ends at the end of that day. */
  until: string;
}

/** The edit form's state: plain strings for inputs, local date-times in the task's zone. */
export interface TaskDraft {
  title: string;
  description: string;
  status: Status;
  priority: Priority;
  tags: string[];
  due: string;
  timeZone: string;
  reminders: ReminderDraft[];
  recurrence: RecurrenceDraft | null;
}

const UNIT_MINUTES = { minutes: 1, hours: 60, days: 1440 } as const;

export function reminderFromMinutes(minutes: number): ReminderDraft {
  if (minutes > 0 && minutes % 1440 === 0) return { kind: 'before', amount: minutes / 1440, unit: 'days' };
  if (minutes > 0 && minutes % 60 === 0) return { kind: 'before', amount: minutes / 60, unit: 'hours' };
  return { kind: 'before', amount: minutes, unit: 'minutes' };
}

export function newRecurrence(mode: RecurrenceDraft['mode'] = 'weekly'): RecurrenceDraft {
  return { mode, text: mode === 'cron' ? '0 9 * * 1-5' : mode === 'rrule' ? 'FREQ=WEEKLY;BYDAY=MO,WE,FR' : '', repeatFrom: 'due', end: 'never', count: 10, until: '' };
}

export function draftFromTask(task: Task): TaskDraft {
  const zone = task.timeZone;
  const r = task.recurrence;
  let recurrence: RecurrenceDraft | null = null;
  if (r) {
    const preset = (Object.keys(PRESETS) as Preset[]).find((p) => PRESETS[p] === r.rule);
    recurrence = {
      ...newRecurrence(preset ?? (r.kind === 'cron' ? 'cron' : 'rrule')),
      text: preset ? '' : r.rule,
      repeatFrom: r.repeatFrom,
      end: r.count !== null ? 'count' : r.until !== null ? 'until' : 'never',
      count: r.count ?? 10,
      until: r.until ? toLocalInput(r.until, zone).slice(0, 10) : '',
    };
  }
  return {
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    tags: task.tags,
    due: toLocalInput(task.dueAt, zone),
    timeZone: zone,
    reminders: task.reminders.map((rem) => (rem.offsetMinutes !== null ? reminderFromMinutes(rem.offsetMinutes) : { kind: 'at', at: toLocalInput(rem.remindAt, zone) })),
    recurrence,
  };
}

/** The rule text the API takes for a recurrence draft: a preset name, an RRULE or a cron expression. */
function ruleOf(r: RecurrenceDraft): string {
  return r.mode === 'rrule' || r.mode === 'cron' ? r.text.trim() : r.mode;
}

/** The recurrence the API takes for a draft (saved as it is, and previewed by the editor); until is the end of that day. */
export function recurrenceInput(r: RecurrenceDraft): RecurrenceInput;
export function recurrenceInput(r: RecurrenceDraft | null): RecurrenceInput | null;
export function recurrenceInput(r: RecurrenceDraft | null): RecurrenceInput | null {
  if (!r) return null;
  return {
    rule: ruleOf(r),
    repeatFrom: r.repeatFrom,
    ...(r.end === 'count' && { count: r.count }),
    ...(r.end === 'until' && r.until && { until: `${r.until}T23:59` }),
  };
}

/** The PATCH body for a draft; local date-times go as they are and the API reads them in timeZone. */
export function inputFromDraft(d: TaskDraft): UpdateTaskInput {
  return {
    title: d.title.trim(),
    description: d.description,
    status: d.status,
    priority: d.priority,
    tags: d.tags,
    dueAt: d.due || null,
    timeZone: d.timeZone,
    reminders: d.reminders.map((r): ReminderInput => (r.kind === 'before' ? { offsetMinutes: r.amount * UNIT_MINUTES[r.unit] } : { remindAt: r.at })),
    recurrence: recurrenceInput(d.recurrence),
  };
}
