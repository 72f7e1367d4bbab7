import type { Priority } from '@taskstream/events/priorities';

export type QuickAddPriority = Priority;

export type QuickAddPartKind = 'due' | 'priority' | 'tag' | 'recurrence' | 'reminder';

/** A recognised piece of the input: [start, end) indexes into the original text. */
export interface QuickAddPart {
  kind: QuickAddPartKind;
  text: string;
  start: number;
  end: number;
  /** Human-readable meaning, e.g. "Sun, Mar 1, 09:00" or "Every month on day 1". */
  label: string;
}

export interface QuickAddRecurrence {
  /** RRULE body, e.g. 'FREQ=MONTHLY;BYMONTHDAY=1' (may carry COUNT or UNTIL). */
  rule: string;
  repeatFrom: 'due' | 'completion';
}

export type QuickAddReminder = { offsetMinutes: number } | { remindAt: string };

export interface QuickAddResult {
  /** The text with every recognised part removed; may be empty. */
  title: string;
  /** ISO 8601 UTC instant, or null when no date or time was found. */
  dueAt: string | null;
  priority: QuickAddPriority | null;
  tags: string[];
  recurrence: QuickAddRecurrence | null;
  reminders: QuickAddReminder[];
  parts: QuickAddPart[];
}

export interface QuickAddOptions {
  /** The moment "today", "tomorrow" and "in 2 hours" are read against. */
  now: Date;
  /** IANA zone the text is written in, e.g. 'Europe/Berlin'. */
  timeZone: string;
  /** Wall-clock time for a date given without one (default 09:00). */
  defaultTime?: { hour: number; minute: number };
}
