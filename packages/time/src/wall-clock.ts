import { IANAZone } from 'luxon';

/*
 * A "wall clock" is a Date whose UTC fields hold the local date and time in a zone
 * (a fake-UTC date). Recurrence engines iterate in wall-clock space so "09:00"
 * stays 09:00 local across DST; these helpers convert at the edges.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Local wall-clock time of `instant` in `zone`, as a fake-UTC Date. */
export function toWallClock(instant: Date, zone: string): Date {
  const offset = IANAZone.create(zone).offset(instant.getTime());
  return new Date(instant.getTime() + offset * MINUTE);
}

/**
 * The real instant for a wall-clock time in `zone`.
 * Deliberately not luxon's fromObject: luxon resolves ambiguous times with the
 * offset in force *now*, so its answer would depend on the system clock.
 * Ambiguous (fall-back) times resolve to the earlier instant; nonexistent
 * (spring-forward gap) times shift forward by the gap length (02:30 -> 03:30).
 */
export function fromWallClock(wall: Date, zone: string): Date {
  const tz = IANAZone.create(zone);
  const local = wall.getTime();
  // DST transitions are months apart, so offsets a day either side bracket any transition.
  const before = tz.offset(local - DAY);
  const after = tz.offset(local + DAY);
  const matches = [before, after]
    .map((offset) => local - offset * MINUTE)
    .filter((ts) => tz.offset(ts) * MINUTE === local - ts);
  if (matches.length > 0) return new Date(Math.min(...matches));
  return new Date(local - before * MINUTE);
}
