import type { Recurrence } from './recurrence.js';
import { WalkBudget, type WalkLimits } from './walk-budget.js';
import { walkCron } from './walk-cron.js';
import { fastForwardStart, IDLE_PERIODS, walkRrule } from './walk-rrule.js';
import { fromWallClock, toWallClock } from '@taskstream/time';

// Kept between a skipped-to cron start and the instant asked about: covers any zone offset and DST shift.
const SKIP_MARGIN_MS = 2 * 86_400_000;

export interface SeriesWalk {
  recurrence: Recurrence;
  /** Series start as a wall clock in `zone`. */
  anchorWall: Date;
  zone: string;
  /**
   * Lets the walk start near this instant instead of at the anchor; only valid when the caller
   * does not need occurrence indexes (no count), since those are counted from the anchor.
   */
  skipTo?: Date;
  /** What the walk may cost (WALK_LIMITS by default); past it, RecurrenceTooExpensiveError. */
  limits?: Partial<WalkLimits>;
}

/** Anchor as a wall clock; sub-second precision is dropped because rules have none. */
export function anchorWallClock(anchor: Date, zone: string): Date {
  const wall = toWallClock(anchor, zone);
  return new Date(wall.getTime() - (wall.getTime() % 1000 + 1000) % 1000);
}

/**
 * A wall clock at or before that of every instant from `instant` on. An offset that changed within
 * two days either side moves it down: a fall-back repeats wall clocks, and a wall clock inside a
 * spring-forward gap stands for an instant after the gap. Offsets change months apart, so later
 * instants have later wall clocks.
 */
function earliestWallFrom(instant: Date, zone: string): Date {
  const offset = (ms: number) => toWallClock(new Date(ms), zone).getTime() - ms;
  const t = instant.getTime();
  return new Date(t + Math.min(offset(t - SKIP_MARGIN_MS), offset(t), offset(t + SKIP_MARGIN_MS)));
}

/** Where the walk may start: the anchor, or with skipTo shortly before it (never before the anchor). */
function walkStart({ recurrence, anchorWall, zone, skipTo }: SeriesWalk): Date {
  if (skipTo === undefined) return anchorWall;
  if (recurrence.kind === 'rrule') return fastForwardStart(recurrence.rule, anchorWall, earliestWallFrom(skipTo, zone));
  const skipWall = toWallClock(skipTo, zone).getTime() - SKIP_MARGIN_MS;
  return new Date(Math.max(anchorWall.getTime(), skipWall));
}

/**
 * Visits the real instants of a series in order with their 0-based index (counted from where the
 * walk starts: the anchor unless skipTo). Wall clocks that collapse onto the same instant (two
 * times inside one DST gap) count once. Throws RecurrenceTooExpensiveError past the walk's limits,
 * or when an RRULE finds no occurrence within IDLE_PERIODS periods, rather than end the walk as if
 * the series had.
 */
export function walkSeries(walk: SeriesWalk, visit: (instant: Date, index: number) => boolean): void {
  const { recurrence, zone } = walk;
  const budget = new WalkBudget(`${recurrence.kind === 'cron' ? 'cron' : 'RRULE'} ${recurrence.rule}`, walk.limits);
  let last = Number.NEGATIVE_INFINITY;
  let index = 0;
  const onWall = (wall: Date): boolean => {
    budget.visit();
    const instant = fromWallClock(wall, zone);
    if (instant.getTime() <= last) return true;
    last = instant.getTime();
    return visit(instant, index++);
  };
  const start = walkStart(walk);
  if (recurrence.kind === 'cron') walkCron(recurrence.rule, start, onWall);
  else if (walkRrule(recurrence.rule, start, onWall, { onStep: () => budget.step() }) === 'idle') throw budget.idle(IDLE_PERIODS);
}
