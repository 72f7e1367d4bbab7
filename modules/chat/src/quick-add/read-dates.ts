import * as chrono from 'chrono-node/en';
import type { ParsedResult } from 'chrono-node';
import { addDays, instantOf, wallOf, zoneOffsetMinutes, type WallTime } from '@taskstream/time';

/** chrono's English parser, plus "on the 15th" (next such day of a month). */
const engine = chrono.casual.clone();
engine.parsers.push({
  pattern: () => /\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+of\b)/i,
  extract: (_context, match) => {
    const day = Number(match[1]);
    return day >= 1 && day <= 31 ? { day } : null;
  },
});

// Words chrono reads as dates that are far likelier to be part of a title.
const FALSE_FRIENDS =
  /^(?:now|sun|sat|mon|tue|tues|wed|thu|thur|thurs|fri|jan|feb|mar|apr|may|jun|june|jul|july|aug|sep|sept|oct|nov|dec|january|february|march|april|august|september|october|november|december|second|sec|min)$/i;

export interface DateContext {
  now: Date;
  zone: string;
  defaultTime: { hour: number; minute: number };
}

/** Date and time phrases in `text`, read in the context's zone; unlikely ones dropped. */
export function readDates(text: string, ctx: DateContext): ParsedResult[] {
  const reference = { instant: ctx.now, timezone: zoneOffsetMinutes(ctx.now, ctx.zone) };
  return engine
    .parse(text, reference, { forwardDate: true })
    .filter((r) => !FALSE_FRIENDS.test(r.text.trim()));
}

export function hasDate(result: ParsedResult): boolean {
  const s = result.start;
  return s.isCertain('day') || s.isCertain('weekday') || s.isCertain('month');
}

// "tonight", "this evening", "tomorrow morning": a part of the day stands for its usual hour.
const PART_OF_DAY = /^casualReference\/(?:tonight|evening|morning|afternoon|noon|midnight)$|^parser\/ENCasualTimeParser$/;

export function hasTime(result: ParsedResult): boolean {
  return result.start.isCertain('hour') || [...result.tags()].some((tag) => PART_OF_DAY.test(tag));
}

/** "in 2 hours": an exact span of real time, so daylight-saving shifts must not bend it. */
function isRelativeTime(result: ParsedResult): boolean {
  return result.tags().has('result/relativeDateAndTime');
}

/** Hour of a time like "at 5" whose am/pm was not said: working hours read as afternoon. */
function hourOf(result: ParsedResult): number {
  const hour = result.start.get('hour') ?? 0;
  const saidHour = result.start.isCertain('hour');
  const saidMeridiem = result.start.isCertain('meridiem');
  return saidHour && !saidMeridiem && hour >= 1 && hour <= 7 ? hour + 12 : hour;
}

function dateOf(result: ParsedResult, ctx: DateContext): WallTime {
  const s = result.start;
  const date = { year: s.get('year') ?? 0, month: s.get('month') ?? 1, day: s.get('day') ?? 1, hour: 0, minute: 0 };
  const today = wallOf(ctx.now, ctx.zone);
  // "the 15th" after the 15th means next month's.
  if (s.isCertain('day') && !s.isCertain('month') && date.day < today.day && date.month === today.month) {
    const next = new Date(Date.UTC(date.year, date.month, date.day));
    return { ...date, year: next.getUTCFullYear(), month: next.getUTCMonth() + 1 };
  }
  return date;
}

/**
 * The instant a date phrase means. A time without a date is its next occurrence
 * (or on `onDate` when given); a date without a time takes the default time, or
 * the end of that day when the default has already passed today.
 */
export function instantOfResult(result: ParsedResult, ctx: DateContext, onDate?: WallTime): Date {
  if (isRelativeTime(result)) return result.start.date();
  const today = wallOf(ctx.now, ctx.zone);
  if (!hasDate(result)) {
    const at = { ...(onDate ?? today), hour: hourOf(result), minute: result.start.get('minute') ?? 0 };
    const instant = instantOf(at, ctx.zone);
    return onDate === undefined && instant <= ctx.now ? instantOf(addDays(at, 1), ctx.zone) : instant;
  }
  const date = dateOf(result, ctx);
  if (hasTime(result)) {
    return instantOf({ ...date, hour: hourOf(result), minute: result.start.get('minute') ?? 0 }, ctx.zone);
  }
  const atDefault = instantOf({ ...date, ...ctx.defaultTime }, ctx.zone);
  if (atDefault > ctx.now) return atDefault;
  const isToday = date.year === today.year && date.month === today.month && date.day === today.day;
  return isToday ? instantOf({ ...date, hour: 23, minute: 59 }, ctx.zone) : atDefault;
}
