import { assertTimeZone } from './is-valid-time-zone.js';
import type { Recurrence } from './recurrence.js';
import type { WalkLimits } from './walk-budget.js';
import { anchorWallClock, walkSeries } from './walk-series.js';

export const MAX_OCCURRENCES = 1000;

export interface OccurrencesAfterArgs {
  recurrence: Recurrence;
  /** First due instant of the series (DTSTART). */
  anchor: Date;
  /** IANA zone the rule's wall-clock times live in. */
  zone: string;
  after: Date;
  limit: number;
  /** Also return an occurrence exactly at `after`. */
  inclusive?: boolean;
  /** What the walk may cost (WALK_LIMITS by default). */
  limits?: Partial<WalkLimits>;
}

export interface WallOccurrencesArgs extends Omit<OccurrencesAfterArgs, 'anchor'> {
  anchorWall: Date;
}

export function assertValidDate(date: Date, name: string): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError(`${name} is not a valid Date`);
}

/**
 * Occurrences of the series strictly after `after` (or at it when inclusive),
 * at most `limit` (capped at 1000), never past the series' count or until.
 * Throws RecurrenceTooExpensiveError when the walk would cost more than its limits.
 */
export function occurrencesAfter(args: OccurrencesAfterArgs): Date[] {
  assertTimeZone(args.zone);
  assertValidDate(args.anchor, 'anchor');
  return occurrencesFromWall({ ...args, anchorWall: anchorWallClock(args.anchor, args.zone) });
}

/** As occurrencesAfter, with the series start given as a wall clock (see wall-clock.ts). */
export function occurrencesFromWall(args: WallOccurrencesArgs): Date[] {
  const { recurrence, anchorWall, zone, after, inclusive = false, limits } = args;
  assertValidDate(after, 'after');
  const limit = Math.min(Math.max(Math.floor(args.limit), 0), MAX_OCCURRENCES);
  if (!(limit > 0)) return [];
  const until = recurrence.until === null ? Infinity : Date.parse(recurrence.until);
  const count = recurrence.count ?? Infinity;
  const found: Date[] = [];
  const skipTo = recurrence.count === null ? after : undefined;
  walkSeries({ recurrence, anchorWall, zone, skipTo, limits }, (instant, index) => {
    if (index >= count || instant.getTime() > until) return false;
    const t = instant.getTime();
    if (t > after.getTime() || (inclusive && t === after.getTime())) found.push(instant);
    return found.length < limit;
  });
  return found;
}
