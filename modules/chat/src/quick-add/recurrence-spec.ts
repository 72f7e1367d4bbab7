import { daysInMonth, weekdayOf, type WallTime } from '@taskstream/time';

export type Freq = 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/** What a recurrence phrase said, before it becomes an RRULE body. */
export interface RecurrenceSpec {
  freq: Freq;
  interval: number;
  /** 0 = Sunday … 6 = Saturday; nth counts within the month (-1 = last). */
  byDay?: Array<{ day: number; nth?: number }>;
  /** Day of the month; -1 is the last day. */
  byMonthDay?: number;
  byMonth?: number;
  count?: number;
  /** ISO UTC instant. */
  until?: string;
  /** The until date as the user's zone sees it ("Apr 1, 2026"). */
  untilLabel?: string;
  fromCompletion: boolean;
}

const RRULE_DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const UNIT: Record<Freq, string> = { HOURLY: 'hour', DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' };

export function ruleOf(spec: RecurrenceSpec): string {
  const parts = [`FREQ=${spec.freq}`];
  if (spec.interval > 1) parts.push(`INTERVAL=${spec.interval}`);
  if (spec.byMonth !== undefined) parts.push(`BYMONTH=${spec.byMonth}`);
  if (spec.byMonthDay !== undefined) parts.push(`BYMONTHDAY=${spec.byMonthDay}`);
  if (spec.byDay) parts.push(`BYDAY=${spec.byDay.map((d) => `${d.nth ?? ''}${RRULE_DAYS[d.day]}`).join(',')}`);
  if (spec.count !== undefined) parts.push(`COUNT=${spec.count}`);
  if (spec.until !== undefined) parts.push(`UNTIL=${spec.until.replace(/[-:]/g, '').replace(/\.\d+/, '')}`);
  return parts.join(';');
}

function ordinal(n: number): string {
  if (n === -1) return 'last';
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function isWeekdays(days: Array<{ day: number; nth?: number }>): boolean {
  return days.length === 5 && [1, 2, 3, 4, 5].every((d) => days.some((x) => x.day === d && x.nth === undefined));
}

function onWhat(spec: RecurrenceSpec): string {
  if (spec.byMonth !== undefined && spec.byMonthDay !== undefined) {
    return ` on ${MONTH_NAMES[spec.byMonth - 1]} ${spec.byMonthDay}`;
  }
  if (spec.byMonthDay !== undefined) {
    return spec.byMonthDay === -1 ? ' on the last day' : ` on day ${spec.byMonthDay}`;
  }
  if (spec.byDay) {
    const names = spec.byDay.map((d) => (d.nth === undefined ? '' : `the ${ordinal(d.nth)} `) + DAY_NAMES[d.day]);
    return ` on ${names.join(', ')}`;
  }
  return '';
}

/** "Every 2 weeks on Monday", "Every month on day 1, from completion". */
export function describeSpec(spec: RecurrenceSpec): string {
  const unit = UNIT[spec.freq];
  let text = spec.interval > 1 ? `Every ${spec.interval} ${unit}s` : `Every ${unit}`;
  if (spec.freq === 'WEEKLY' && spec.interval === 1 && spec.byDay && isWeekdays(spec.byDay)) text = 'Every weekday';
  else text += onWhat(spec);
  if (spec.fromCompletion) text += ', from completion';
  if (spec.count !== undefined) text += `, ${spec.count} times`;
  if (spec.until !== undefined) text += `, until ${spec.untilLabel ?? spec.until.slice(0, 10)}`;
  return text;
}

/** Whether a local date can hold an occurrence (the interval aside: the first one is the anchor). */
export function dayMatches(spec: RecurrenceSpec, date: WallTime): boolean {
  if (spec.byMonth !== undefined && date.month !== spec.byMonth) return false;
  const last = daysInMonth(date.year, date.month);
  if (spec.byMonthDay !== undefined) {
    const wanted = spec.byMonthDay > 0 ? spec.byMonthDay : last + spec.byMonthDay + 1;
    if (date.day !== wanted) return false;
  }
  if (spec.byDay) {
    const weekday = weekdayOf(date);
    return spec.byDay.some((d) => {
      if (d.day !== weekday) return false;
      if (d.nth === undefined) return true;
      return d.nth > 0 ? Math.ceil(date.day / 7) === d.nth : Math.floor((last - date.day) / 7) === -d.nth - 1;
    });
  }
  return true;
}
