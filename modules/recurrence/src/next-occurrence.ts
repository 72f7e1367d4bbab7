import { assertTimeZone } from './is-valid-time-zone.js';
import { assertValidDate, occurrencesFromWall } from './occurrences-after.js';
import type { Recurrence } from './recurrence.js';
import type { WalkLimits } from './walk-budget.js';
import { anchorWallClock } from './walk-series.js';
import { fromWallClock, toWallClock } from '@taskstream/time';

export interface NextOccurrenceArgs {
  recurrence: Recurrence;
  /** First due instant of the series. */
  anchor: Date;
  zone: string;
  currentDue: Date;
  completedAt: Date;
  /** 0-based index of the task being completed. */
  occurrenceIndex: number;
  /** What the walk may cost (WALK_LIMITS by default). */
  limits?: Partial<WalkLimits>;
}

/**
 * Repeat-from-completion restarts the series on the completion's local day,
 * keeping the anchor's time of day (for HOURLY rules: the completion's hour with
 * the anchor's minute). The re-anchored start stands for the task just done, so
 * the next due is the first occurrence strictly after both that start and the
 * completion: "every 3 days at 09:00" completed 05-10 at 07:00 or at 15:00 is
 * next due 05-13 at 09:00. Cron has no start to move; it takes the first match
 * after the completion.
 */
function reanchoredWall(recurrence: Recurrence, anchor: Date, completedAt: Date, zone: string): Date {
  const anchorWall = anchorWallClock(anchor, zone);
  const done = toWallClock(completedAt, zone);
  const hourly = /(^|;)FREQ=HOURLY(;|$)/.test(recurrence.rule);
  return new Date(Date.UTC(
    done.getUTCFullYear(), done.getUTCMonth(), done.getUTCDate(),
    hourly ? done.getUTCHours() : anchorWall.getUTCHours(),
    anchorWall.getUTCMinutes(), anchorWall.getUTCSeconds(),
  ));
}

/**
 * Due instant of the task that follows a completed one, or null when the series has ended.
 * The walk starts near the current due (or completion), however long ago the anchor was;
 * throws RecurrenceTooExpensiveError when it would still cost more than its limits.
 */
export function nextOccurrence(args: NextOccurrenceArgs): Date | null {
  const { recurrence, anchor, zone, currentDue, completedAt, occurrenceIndex, limits } = args;
  assertTimeZone(zone);
  assertValidDate(anchor, 'anchor');
  assertValidDate(currentDue, 'currentDue');
  assertValidDate(completedAt, 'completedAt');
  if (recurrence.count !== null && occurrenceIndex + 1 >= recurrence.count) return null;
  // Count was settled above by task index; the series walk must not re-apply it.
  const open = { ...recurrence, count: null };
  const query = { recurrence: open, zone, limit: 1, limits };
  let next: Date[];
  if (recurrence.repeatFrom === 'due') {
    next = occurrencesFromWall({ ...query, anchorWall: anchorWallClock(anchor, zone), after: currentDue });
  } else if (recurrence.kind === 'cron') {
    next = occurrencesFromWall({ ...query, anchorWall: anchorWallClock(anchor, zone), after: completedAt });
  } else {
    const anchorWall = reanchoredWall(recurrence, anchor, completedAt, zone);
    const start = fromWallClock(anchorWall, zone);
    const after = start > completedAt ? start : completedAt;
    next = occurrencesFromWall({ ...query, anchorWall, after });
  }
  return next[0] ?? null;
}
