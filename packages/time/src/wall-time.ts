import { fromWallClock, toWallClock } from './wall-clock.js';

/** A local date and time in some zone, to the minute, as people write it. */
export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The local date and time of `instant` in `zone`. */
export function wallOf(instant: Date, zone: string): WallTime {
  const wall = toWallClock(instant, zone);
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes() };
}

/** The instant of a local time in `zone`, resolved as fromWallClock does (fall-back: earlier; gap: shifted forward). */
export function instantOf(time: WallTime, zone: string): Date {
  return fromWallClock(new Date(Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute)), zone);
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
