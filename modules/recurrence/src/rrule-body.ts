import { RecurrenceRuleError } from './recurrence-rule-error.js';

export interface RruleBody {
  /** Normalized body without COUNT/UNTIL. */
  body: string;
  count: number | null;
  /** ISO UTC instant. */
  until: string | null;
}

const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';
const ALLOWED_FREQS = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY'];

// Canonical order of the normalized body; FREQ first so it reads naturally.
const KEY_ORDER = [
  'FREQ', 'INTERVAL', 'BYMONTH', 'BYWEEKNO', 'BYYEARDAY', 'BYMONTHDAY', 'BYDAY',
  'BYSETPOS', 'BYHOUR', 'BYMINUTE', 'WKST',
] as const;

type Key = (typeof KEY_ORDER)[number] | 'COUNT' | 'UNTIL';

function fail(message: string): never {
  throw new RecurrenceRuleError(message);
}

/** Splits an RRULE body into upper-cased KEY -> VALUE pairs; unknown or repeated keys fail. */
export function rruleParts(text: string): Map<Key, string> {
  const parts = new Map<Key, string>();
  for (const piece of text.toUpperCase().split(';')) {
    if (piece.trim() === '') continue;
    const match = /^\s*([A-Z]+)\s*=\s*(\S+)\s*$/.exec(piece);
    if (!match) fail(`RRULE part "${piece}" is not KEY=VALUE`);
    const [, key = '', value = ''] = match;
    rejectForbiddenKey(key);
    if (!isKey(key)) fail(`RRULE part ${key} is not supported`);
    if (parts.has(key)) fail(`RRULE part ${key} appears more than once`);
    parts.set(key, value);
  }
  return parts;
}

function isKey(key: string): key is Key {
  return (KEY_ORDER as readonly string[]).includes(key) || key === 'COUNT' || key === 'UNTIL';
}

function rejectForbiddenKey(key: string): void {
  if (key === 'DTSTART') fail('DTSTART is not allowed in the rule; the first due date is the start');
  if (key === 'TZID') fail('TZID is not allowed in the rule; the time zone comes from the task');
  if (key === 'BYSECOND') fail('BYSECOND is not supported; occurrences have minute precision');
}

function intList(key: string, value: string, min: number, max: number, signed: boolean): string {
  return value
    .split(',')
    .map((item) => {
      if (!/^[+-]?\d{1,4}$/.test(item)) fail(`${key} value "${item}" is not a number`);
      const n = Number(item);
      const ok = signed ? n !== 0 && Math.abs(n) >= min && Math.abs(n) <= max : n >= min && n <= max;
      if (!ok) fail(`${key} value ${item} is out of range (${signed ? '±' : ''}${min}..${max})`);
      return String(n);
    })
    .join(',');
}

function byDay(value: string): string {
  return value
    .split(',')
    .map((item) => {
      const match = new RegExp(`^([+-]?\\d{1,2})?${WEEKDAY}$`).exec(item);
      if (!match) fail(`BYDAY value "${item}" is not a weekday like MO or 2TU`);
      const [, nth, day = ''] = match;
      if (nth === undefined) return day;
      const n = Number(nth);
      if (n === 0 || Math.abs(n) > 53) fail(`BYDAY value "${item}" has an ordinal out of range (±1..53)`);
      return `${n}${day}`;
    })
    .join(',');
}

function freq(value: string): string {
  if (value === 'SECONDLY' || value === 'MINUTELY') {
    fail(`FREQ=${value} is too frequent for a task; the finest allowed is HOURLY`);
  }
  if (!ALLOWED_FREQS.includes(value)) fail(`FREQ=${value} is not a known frequency`);
  return value;
}

function normalizeValue(key: (typeof KEY_ORDER)[number], value: string): string {
  switch (key) {
    case 'FREQ': return freq(value);
    case 'INTERVAL': return intList(key, value, 1, 1000, false);
    case 'BYMONTH': return intList(key, value, 1, 12, false);
    case 'BYWEEKNO': return intList(key, value, 1, 53, true);
    case 'BYYEARDAY': return intList(key, value, 1, 366, true);
    case 'BYMONTHDAY': return intList(key, value, 1, 31, true);
    case 'BYDAY': return byDay(value);
    case 'BYSETPOS': return intList(key, value, 1, 366, true);
    case 'BYHOUR': return intList(key, value, 0, 23, false);
    case 'BYMINUTE': return minute(value);
    case 'WKST':
      if (!new RegExp(`^${WEEKDAY}$`).test(value)) fail(`WKST value "${value}" is not a weekday`);
      return value;
  }
}

// Several minutes per hour would create tasks faster than anyone can do them.
function minute(value: string): string {
  const list = intList('BYMINUTE', value, 0, 59, false);
  if (list.includes(',')) fail('BYMINUTE may hold one minute only; more than once an hour is too frequent for a task');
  return list;
}

function untilInstant(value: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) fail(`UNTIL=${value} must be a UTC date-time like 20270131T000000Z`);
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const roundTrips = date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  if (!roundTrips) fail(`UNTIL=${value} is not a valid date-time`);
  return date.toISOString();
}

/** Validates an RRULE body (no `RRULE:` prefix) and moves COUNT/UNTIL out of it. */
export function parseRruleBody(text: string): RruleBody {
  const parts = rruleParts(text);
  if (!parts.has('FREQ')) fail('RRULE needs a FREQ (e.g. FREQ=WEEKLY)');
  const normalized = KEY_ORDER.flatMap((key) => {
    const value = parts.get(key);
    if (value === undefined) return [];
    const clean = normalizeValue(key, value);
    return key === 'INTERVAL' && clean === '1' ? [] : [`${key}=${clean}`];
  });
  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (count !== undefined && until !== undefined) fail('RRULE may not contain both COUNT and UNTIL');
  return {
    body: normalized.join(';'),
    count: count === undefined ? null : Number(intList('COUNT', count, 1, 1000, false)),
    until: until === undefined ? null : untilInstant(until),
  };
}
