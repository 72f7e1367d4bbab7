import { describe, expect, it } from 'vitest';
import { describeRecurrence } from './describe-recurrence.js';
import { parseRecurrence } from './parse-recurrence.js';
import type { RecurrenceInput } from './recurrence.js';

function text(input: RecurrenceInput | string, anchor: string, zone = 'UTC'): string {
  const recurrence = parseRecurrence(typeof input === 'string' ? { rule: input } : input);
  return describeRecurrence({ recurrence, anchor: new Date(anchor), zone });
}

describe('describeRecurrence', () => {
  it.each([
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR', '2026-03-02T08:00:00Z', 'Europe/Berlin', 'every 2 weeks on Monday and Friday at 09:00'],
    ['daily', '2026-03-02T08:00:00Z', 'Europe/Berlin', 'every day at 09:00'],
    ['weekdays', '2026-05-01T03:00:00Z', 'Asia/Kolkata', 'every weekday at 08:30'],
    ['FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=8;BYMINUTE=30', '2026-05-01T00:00:00Z', 'UTC', 'every weekday at 08:30'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR', '2026-05-01T09:00:00Z', 'UTC', 'every 2 weeks on weekdays at 09:00'],
    ['weekly', '2026-05-06T09:00:00Z', 'UTC', 'every week on Wednesday at 09:00'],
    ['FREQ=MONTHLY;BYMONTHDAY=31', '2026-01-31T10:00:00Z', 'UTC', 'every month on the 31st at 10:00'],
    ['monthly', '2026-01-22T10:00:00Z', 'UTC', 'every month on the 22nd at 10:00'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,-1', '2026-01-01T10:00:00Z', 'UTC', 'every month on the 1st and last day at 10:00'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', '2026-01-01T17:00:00Z', 'UTC', 'every month on the last weekday at 17:00'],
    ['FREQ=MONTHLY;BYDAY=2TU', '2026-01-01T10:00:00Z', 'UTC', 'every month on the 2nd Tuesday at 10:00'],
    ['FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR', '2026-01-01T10:00:00Z', 'UTC', 'every 3 months on the last Friday at 10:00'],
    ['FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', '2026-01-01T10:00:00Z', 'UTC', 'every month on Friday the 13th at 10:00'],
    ['yearly', '2028-02-29T10:00:00Z', 'UTC', 'every year on February 29 at 10:00'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2026-01-01T10:00:00Z', 'UTC', 'every year on February 29 at 10:00'],
    ['FREQ=YEARLY;BYMONTH=11;BYDAY=4TH', '2026-01-01T18:00:00Z', 'UTC', 'every year on the 4th Thursday of November at 18:00'],
    ['FREQ=YEARLY;BYYEARDAY=100', '2026-01-01T10:00:00Z', 'UTC', 'every year on the 100th day of the year at 10:00'],
    ['FREQ=DAILY;BYHOUR=9,17;BYMINUTE=15', '2026-01-01T00:00:00Z', 'UTC', 'every day at 09:15 and 17:15'],
    ['FREQ=DAILY;BYMONTH=12', '2026-01-01T07:00:00Z', 'UTC', 'every day in December at 07:00'],
    ['FREQ=HOURLY;INTERVAL=4', '2026-01-01T07:00:00Z', 'UTC', 'every 4 hours on the hour'],
    ['FREQ=HOURLY;BYHOUR=9,12;BYMINUTE=30', '2026-01-01T07:00:00Z', 'UTC', 'every hour at 09:30 and 12:30'],
    ['0 9 * * 1-5', '2026-01-01T07:00:00Z', 'UTC', 'At 09:00, Monday through Friday'],
  ])('%s -> %s', (rule, anchor, zone, expected) => {
    expect(text(rule, anchor, zone)).toBe(expected);
  });

  it('appends count and until', () => {
    expect(text({ rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;COUNT=5' }, '2026-03-02T08:00:00Z', 'Europe/Berlin')).toBe('every 2 weeks on Monday and Friday at 09:00, 5 times');
    expect(text({ rule: 'daily', count: 1 }, '2026-03-02T08:00:00Z')).toBe('every day at 08:00, once');
    expect(text({ rule: 'daily', until: '2027-01-31T12:00:00Z' }, '2026-03-02T08:00:00Z')).toBe('every day at 08:00, until 2027-01-31');
    expect(text({ rule: '0 9 * * 1-5', count: 10 }, '2026-03-02T08:00:00Z')).toBe('At 09:00, Monday through Friday, 10 times');
  });

  it('shows until as the local date in the zone', () => {
    expect(text({ rule: 'daily', until: '2027-01-31T03:00:00Z' }, '2026-03-02T14:00:00Z', 'America/New_York')).toBe('every day at 09:00, until 2027-01-30');
  });
});
