import { dayMatches, type RecurrenceSpec } from './recurrence-spec.js';
import { addDays, instantOf, wallOf, type WallTime } from '@taskstream/time';

// Eight years covers a yearly "Feb 29" rule; nothing sound waits longer.
const SEARCH_DAYS = 366 * 8 + 2;

/**
 * The first due instant of a recurring task: the first day from `from` (local date)
 * that the rule can land on, at `time`, later than `after`.
 */
export function firstOccurrence(
  spec: RecurrenceSpec,
  from: WallTime,
  time: { hour: number; minute: number },
  after: Date,
  zone: string,
): Date | null {
  if (spec.freq === 'HOURLY') {
    const at = instantOf({ ...from, ...time }, zone);
    return at > after ? at : instantOf({ ...wallOf(new Date(after.getTime() + 3_600_000), zone), minute: 0 }, zone);
  }
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const day = addDays({ ...from, ...time }, i);
    if (!dayMatches(spec, day)) continue;
    const at = instantOf(day, zone);
    if (at > after) return at;
  }
  return null;
}
