import { IANAZone } from 'luxon';

/*
 * Wall-clock helpers: a "wall" Date holds the local date and time of a zone in its
 * UTC fields. Same approach as modules/recurrence/src/wall-clock.ts (modules do not
 * import each other, and this file must stay browser-safe).
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
}

export function zoneOffsetMinutes(instant: Date, zone: string): number {
  return IANAZone.create(zone).offset(instant.getTime());
}

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The local date and time of `instant` in `zone`. */
export function wallOf(instant: Date, zone: string): WallTime {
  const wall = new Date(instant.getTime() + zoneOffsetMinutes(instant, zone) * MINUTE);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
  };
}

/**
 * The instant of a local time in `zone`. Ambiguous (fall-back) times take the
 * earlier instant; times in a spring-forward gap move forward by the gap.
 */
export function instantOf(time: WallTime, zone: string): Date {
  const tz = IANAZone.create(zone);
  const local = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute);
  const before = tz.offset(local - DAY);
  const after = tz.offset(local + DAY);
  const matches = [before, after]
    .map((offset) => local - offset * MINUTE)
    .filter((ts) => tz.offset(ts) * MINUTE === local - ts);
  if (matches.length > 0) return new Date(Math.min(...matches));
  return new Date(local - before * MINUTE);
}

/** The calendar date `days` after the given one (time fields kept). */
export function addDays(time: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(time.year, time.month - 1, time.day + days));
  return { ...time, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(time: WallTime): number {
  return new Date(Date.UTC(time.year, time.month - 1, time.day)).getUTCDay();
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "Sun, Mar 1, 09:00" in the zone; the year is shown when it is not the year of `now`. */
export function formatInZone(instant: Date, zone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: wallOf(instant, zone).year === wallOf(now, zone).year ? undefined : 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
}
