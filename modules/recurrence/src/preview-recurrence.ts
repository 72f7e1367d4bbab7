import { describeRecurrence } from './describe-recurrence.js';
import { occurrencesAfter } from './occurrences-after.js';
import { parseRecurrence } from './parse-recurrence.js';
import type { Recurrence, RecurrenceInput } from './recurrence.js';

export interface PreviewRecurrenceArgs {
  input: RecurrenceInput;
  zone: string;
  /** Used as the anchor; included when it matches the rule. */
  start: Date;
  count: number;
}

export interface RecurrencePreview {
  recurrence: Recurrence;
  /** ISO UTC instants. */
  occurrences: string[];
  description: string;
}

/** Parses input and shows its first `count` occurrences from `start`, for a form preview. */
export function previewRecurrence({ input, zone, start, count }: PreviewRecurrenceArgs): RecurrencePreview {
  const recurrence = parseRecurrence(input);
  const occurrences = occurrencesAfter({ recurrence, anchor: start, zone, after: start, limit: count, inclusive: true });
  return {
    recurrence,
    occurrences: occurrences.map((date) => date.toISOString()),
    description: describeRecurrence({ recurrence, anchor: start, zone }),
  };
}
