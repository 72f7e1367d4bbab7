import { nextOccurrence } from './next-occurrence.js';
import type { Recurrence } from './recurrence.js';

export interface AssertEvaluableArgs {
  recurrence: Recurrence;
  /** Where the series starts (or restarts): its first due instant. */
  anchor: Date;
  zone: string;
}

/**
 * Computes what completing the series' first task will compute, so that a rule too costly to
 * evaluate from this start is refused when it is set rather than when the task is done.
 * Throws RecurrenceTooExpensiveError (and RecurrenceRuleError for an unknown zone).
 */
export function assertEvaluable({ recurrence, anchor, zone }: AssertEvaluableArgs): void {
  nextOccurrence({ recurrence, anchor, zone, currentDue: anchor, completedAt: anchor, occurrenceIndex: 0 });
}
