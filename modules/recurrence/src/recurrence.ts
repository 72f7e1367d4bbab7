export type RepeatFrom = 'due' | 'completion';
export type RuleKind = 'rrule' | 'cron';

/** What a client sends: a preset name, an RRULE or a 5-field cron, plus optional bounds. */
export interface RecurrenceInput {
  rule: string;
  repeatFrom?: RepeatFrom;
  count?: number;
  /** ISO 8601 instant (with Z or an offset). */
  until?: string;
}

/** A validated recurrence, safe to store and to compute occurrences from. */
export interface Recurrence {
  kind: RuleKind;
  /** RRULE body without prefix, COUNT, UNTIL or DTSTART (e.g. 'FREQ=WEEKLY;BYDAY=MO,FR'), or a 5-field cron. */
  rule: string;
  repeatFrom: RepeatFrom;
  /** Total occurrences in the series, the first one included. */
  count: number | null;
  /** ISO UTC instant; no occurrence falls after it. */
  until: string | null;
}
