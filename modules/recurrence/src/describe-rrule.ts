import { MONTH_NAMES, WEEKDAY_CODES, WEEKDAY_NAMES, joinList, ordinal, plural, signedOrdinal, twoDigits } from './english.js';
import { rruleParts } from './rrule-body.js';

type Parts = ReturnType<typeof rruleParts>;

const UNITS: Record<string, string> = { YEARLY: 'year', MONTHLY: 'month', WEEKLY: 'week', DAILY: 'day', HOURLY: 'hour' };
const WEEKDAYS = 'MO,TU,WE,TH,FR';

function list(parts: Parts, key: Parameters<Parts['get']>[0]): string[] {
  return parts.get(key)?.split(',') ?? [];
}

function dayName(code: string): string {
  return WEEKDAY_NAMES[code] ?? code;
}

function monthName(month: number): string {
  return MONTH_NAMES[month - 1] ?? String(month);
}

/** "weekday" for MO-FR, otherwise the day names; used after an ordinal ("the last weekday"). */
function dayGroup(days: string[]): string {
  if (days.join(',') === WEEKDAYS) return 'weekday';
  if (days.length === 7) return 'day';
  return joinList(days.map(dayName));
}

function byDayPhrase(days: string[], setpos: string[]): string {
  if (setpos.length > 0) return `on the ${joinList(setpos.map((n) => signedOrdinal(Number(n))))} ${dayGroup(days)}`;
  const hasNth = days.some((day) => /\d/.test(day));
  if (!hasNth) return days.join(',') === WEEKDAYS ? 'on weekdays' : `on ${joinList(days.map(dayName))}`;
  const named = days.map((day) => {
    const match = /^(-?\d+)?([A-Z]{2})$/.exec(day);
    const nth = match?.[1];
    return nth === undefined ? dayName(match?.[2] ?? day) : `${signedOrdinal(Number(nth))} ${dayName(match?.[2] ?? day)}`;
  });
  return `on the ${joinList(named)}`;
}

function monthDays(mdays: string[]): string {
  return joinList(mdays.map((n) => (Number(n) > 0 ? ordinal(Number(n)) : `${signedOrdinal(Number(n))} day`)));
}

/** Day-selection phrase from BY* parts; empty when the anchor supplies the day. */
function explicitDays(parts: Parts): string {
  const days = list(parts, 'BYDAY');
  const mdays = list(parts, 'BYMONTHDAY');
  const phrases: string[] = [];
  if (days.length > 0 && mdays.length > 0 && !days.some((d) => /\d/.test(d))) {
    phrases.push(`on ${joinList(days.map(dayName))} the ${monthDays(mdays)}`);
  } else {
    if (days.length > 0) phrases.push(byDayPhrase(days, list(parts, 'BYSETPOS')));
    if (mdays.length > 0) phrases.push(`on the ${monthDays(mdays)}`);
  }
  const yearDays = list(parts, 'BYYEARDAY');
  if (yearDays.length > 0) {
    phrases.push(`on the ${joinList(yearDays.map((n) => `${signedOrdinal(Number(n))} day`))} of the year`);
  }
  const weeks = list(parts, 'BYWEEKNO');
  if (weeks.length > 0) phrases.push(`in week ${joinList(weeks)}`);
  return phrases.join(' ');
}

function yearlyDays(parts: Parts, anchorWall: Date): string {
  const months = list(parts, 'BYMONTH').map(Number);
  const explicit = explicitDays(parts);
  if (months.length === 0) {
    return explicit || `on ${monthName(anchorWall.getUTCMonth() + 1)} ${anchorWall.getUTCDate()}`;
  }
  const monthList = joinList(months.map(monthName));
  if (explicit === '') return `on ${monthList} ${anchorWall.getUTCDate()}`;
  const mdays = list(parts, 'BYMONTHDAY');
  const plainDates = mdays.every((n) => Number(n) > 0) && !(['BYDAY', 'BYYEARDAY', 'BYWEEKNO'] as const).some((key) => parts.has(key));
  // "on February 29" reads better than "on the 29th of February".
  return plainDates ? `on ${monthList} ${joinList(mdays)}` : `${explicit} of ${monthList}`;
}

function dayPhrase(freq: string, parts: Parts, anchorWall: Date): string {
  if (freq === 'YEARLY') return yearlyDays(parts, anchorWall);
  const explicit = explicitDays(parts);
  const months = list(parts, 'BYMONTH').map(Number);
  const inMonths = months.length > 0 ? `in ${joinList(months.map(monthName))}` : '';
  let days = explicit;
  if (days === '' && freq === 'WEEKLY') days = `on ${dayName(WEEKDAY_CODES[anchorWall.getUTCDay()] ?? '')}`;
  if (days === '' && freq === 'MONTHLY') days = `on the ${ordinal(anchorWall.getUTCDate())}`;
  return [days, inMonths].filter(Boolean).join(' ');
}

function timePhrase(freq: string, parts: Parts, anchorWall: Date): string {
  const minute = Number(parts.get('BYMINUTE') ?? anchorWall.getUTCMinutes());
  const hours = list(parts, 'BYHOUR').map(Number);
  if (freq === 'HOURLY' && hours.length === 0) return minute === 0 ? 'on the hour' : `at ${minute} minutes past the hour`;
  const times = (hours.length > 0 ? hours : [anchorWall.getUTCHours()]).map((h) => `${twoDigits(h)}:${twoDigits(minute)}`);
  return `at ${joinList(times)}`;
}

/** English for an RRULE body; the anchor (a wall clock) supplies whatever the rule leaves open. */
export function describeRrule(body: string, anchorWall: Date): string {
  const parts = rruleParts(body);
  const freq = parts.get('FREQ') ?? 'DAILY';
  const interval = Number(parts.get('INTERVAL') ?? 1);
  const plainKeys = [...parts.keys()].every((key) => ['FREQ', 'BYDAY', 'BYHOUR', 'BYMINUTE', 'WKST'].includes(key));
  const everyWeekday = interval === 1 && (freq === 'WEEKLY' || freq === 'DAILY') && plainKeys && parts.get('BYDAY') === WEEKDAYS;
  const head = everyWeekday ? 'every weekday' : `every ${plural(interval, UNITS[freq] ?? 'period')}`;
  const days = everyWeekday ? '' : dayPhrase(freq, parts, anchorWall);
  return [head, days, timePhrase(freq, parts, anchorWall)].filter(Boolean).join(' ');
}
