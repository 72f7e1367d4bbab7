import type { Recurrence } from './recurrence.js';
import { walkCron } from './walk-cron.js';
import { walkRrule } from './walk-rrule.js';
import { fromWallClock, toWallClock } from '@taskstream/time';

// Hard stop for callers that walk from an anchor decades before `after`.
const MAX_VISITS = 1_000_000;
const SKIP_MARGIN_MS = 2 * 86_400_000;

export interface SeriesWalk {
  recurrence: Recurrence;
  /** Series start as a wall clock in `zone`. */
  anchorWall: Date;
  zone: string;
  /**
   * Lets cron skip straight to this instant; only valid when the caller does not
   * need occurrence indexes (no count), since those are counted from the anchor.
   */
  skipTo?: Date;
}

/** Anchor as a wall clock; sub-second precision is dropped because rules have none. */
export function anchorWallClock(anchor: Date, zone: string): Date {
  const wall = toWallClock(anchor, zone);
  return new Date(wall.getTime() - (wall.getTime() % 1000 + 1000) % 1000);
}

function cronStart({ anchorWall, zone, skipTo }: SeriesWalk): Date {
  if (skipTo === undefined) return anchorWall;
  const skipWall = toWallClock(skipTo, zone).getTime() - SKIP_MARGIN_MS;
  return new Date(Math.max(anchorWall.getTime(), skipWall));
}

/**
 * Visits the real instants of a series in order with their 0-based index.
 * Wall clocks that collapse onto the same instant (two times inside one DST gap)
 * count once.
 */
export function walkSeries(walk: SeriesWalk, visit: (instant: Date, index: number) => boolean): void {
  const { recurrence, zone } = walk;
  let last = Number.NEGATIVE_INFINITY;
  let index = 0;
  let visits = 0;
  const onWall = (wall: Date): boolean => {
    if (++visits > MAX_VISITS) return false;
    const instant = fromWallClock(wall, zone);
    if (instant.getTime() <= last) return true;
    last = instant.getTime();
    return visit(instant, index++);
  };
  if (recurrence.kind === 'cron') walkCron(recurrence.rule, cronStart(walk), onWall);
  else walkRrule(recurrence.rule, walk.anchorWall, onWall);
}
