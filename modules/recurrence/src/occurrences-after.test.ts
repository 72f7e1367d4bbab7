import { describe, expect, it } from 'vitest';
import { occurrencesAfter } from './occurrences-after.js';
import { parseRecurrence } from './parse-recurrence.js';
import type { RecurrenceInput } from './recurrence.js';
import { RecurrenceRuleError } from './recurrence-rule-error.js';
import { RecurrenceTooExpensiveError } from './recurrence-too-expensive-error.js';

interface Case {
  input: RecurrenceInput | string;
  zone: string;
  anchor: string;
  after?: string;
  limit?: number;
  inclusive?: boolean;
}

/** Occurrences as ISO strings; by default from the anchor inclusive. */
function run({ input, zone, anchor, after = anchor, limit = 5, inclusive = after === anchor }: Case): string[] {
  const recurrence = parseRecurrence(typeof input === 'string' ? { rule: input } : input);
  return occurrencesAfter({ recurrence, anchor: new Date(anchor), zone, after: new Date(after), limit, inclusive })
    .map((date) => date.toISOString());
}

describe('occurrencesAfter: DST keeps the local time of day', () => {
  it('Europe/Berlin daily 09:00 across spring forward (2026-03-29)', () => {
    expect(run({ input: 'daily', zone: 'Europe/Berlin', anchor: '2026-03-27T08:00:00Z', limit: 4 })).toEqual([
      '2026-03-27T08:00:00.000Z', '2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('Europe/Berlin daily 09:00 across fall back (2026-10-25)', () => {
    expect(run({ input: 'daily', zone: 'Europe/Berlin', anchor: '2026-10-23T07:00:00Z', limit: 4 })).toEqual([
      '2026-10-23T07:00:00.000Z', '2026-10-24T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z',
    ]);
  });

  it('America/New_York 02:30 falls in the 2026-03-08 gap and shifts to 03:30, then returns to 02:30', () => {
    expect(run({ input: 'daily', zone: 'America/New_York', anchor: '2026-03-07T07:30:00Z', limit: 3 })).toEqual([
      '2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z',
    ]);
  });

  it('America/New_York ambiguous 01:30 on 2026-11-01 occurs once, at the earlier (EDT) instant', () => {
    expect(run({ input: 'daily', zone: 'America/New_York', anchor: '2026-10-31T05:30:00Z', limit: 3 })).toEqual([
      '2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('Australia/Sydney (southern hemisphere) daily 09:00 across 2026-04-05 and 2026-10-04', () => {
    expect(run({ input: 'daily', zone: 'Australia/Sydney', anchor: '2026-04-03T22:00:00Z', limit: 2 })).toEqual([
      '2026-04-03T22:00:00.000Z', '2026-04-04T23:00:00.000Z',
    ]);
    expect(run({ input: 'daily', zone: 'Australia/Sydney', anchor: '2026-10-02T23:00:00Z', limit: 2 })).toEqual([
      '2026-10-02T23:00:00.000Z', '2026-10-03T22:00:00.000Z',
    ]);
  });

  it('Australia/Sydney 02:30: ambiguous on 04-05 (earlier), nonexistent on 10-04 (03:30)', () => {
    const after = (anchor: string) => run({ input: 'daily', zone: 'Australia/Sydney', anchor, limit: 2 });
    expect(after('2026-04-03T15:30:00Z')).toEqual(['2026-04-03T15:30:00.000Z', '2026-04-04T15:30:00.000Z']);
    expect(after('2026-10-02T16:30:00Z')).toEqual(['2026-10-02T16:30:00.000Z', '2026-10-03T16:30:00.000Z']);
  });

  it('Asia/Kolkata (+05:30, no DST) weekdays preset at 08:30 skips the weekend', () => {
    expect(run({ input: 'weekdays', zone: 'Asia/Kolkata', anchor: '2026-05-01T03:00:00Z', limit: 3 })).toEqual([
      '2026-05-01T03:00:00.000Z', '2026-05-04T03:00:00.000Z', '2026-05-05T03:00:00.000Z',
    ]);
  });

  it('Pacific/Chatham (+13:45 -> +12:45 on 2026-04-05, back on 2026-09-27) daily 09:00', () => {
    expect(run({ input: 'daily', zone: 'Pacific/Chatham', anchor: '2026-04-03T19:15:00Z', limit: 2 })).toEqual([
      '2026-04-03T19:15:00.000Z', '2026-04-04T20:15:00.000Z',
    ]);
    expect(run({ input: 'daily', zone: 'Pacific/Chatham', anchor: '2026-09-25T20:15:00Z', limit: 2 })).toEqual([
      '2026-09-25T20:15:00.000Z', '2026-09-26T19:15:00.000Z',
    ]);
  });

  it('HOURLY across the New York gap and overlap never repeats or goes backwards', () => {
    expect(run({ input: 'FREQ=HOURLY', zone: 'America/New_York', anchor: '2026-03-08T05:00:00Z', limit: 4 })).toEqual([
      '2026-03-08T05:00:00.000Z', '2026-03-08T06:00:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-08T08:00:00.000Z',
    ]);
    // Wall 01:00 happens twice on 11-01; the floating series takes it once (the earlier).
    expect(run({ input: 'FREQ=HOURLY', zone: 'America/New_York', anchor: '2026-11-01T04:00:00Z', limit: 4 })).toEqual([
      '2026-11-01T04:00:00.000Z', '2026-11-01T05:00:00.000Z', '2026-11-01T07:00:00.000Z', '2026-11-01T08:00:00.000Z',
    ]);
  });
});

describe('occurrencesAfter: RFC 5545 rule semantics', () => {
  it('BYMONTHDAY=31 skips months without a 31st', () => {
    expect(run({ input: 'FREQ=MONTHLY;BYMONTHDAY=31', zone: 'UTC', anchor: '2026-01-31T10:00:00Z' })).toEqual([
      '2026-01-31T10:00:00.000Z', '2026-03-31T10:00:00.000Z', '2026-05-31T10:00:00.000Z', '2026-07-31T10:00:00.000Z', '2026-08-31T10:00:00.000Z',
    ]);
  });

  it('the monthly preset anchored on the 31st behaves the same', () => {
    expect(run({ input: 'monthly', zone: 'UTC', anchor: '2026-01-31T10:00:00Z', limit: 3 })).toEqual([
      '2026-01-31T10:00:00.000Z', '2026-03-31T10:00:00.000Z', '2026-05-31T10:00:00.000Z',
    ]);
  });

  it('BYSETPOS=-1 over MO-FR is the last weekday of the month', () => {
    expect(run({ input: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17;BYMINUTE=0', zone: 'Europe/Berlin', anchor: '2026-01-01T08:00:00Z' })).toEqual([
      '2026-01-30T16:00:00.000Z', '2026-02-27T16:00:00.000Z', '2026-03-31T15:00:00.000Z', '2026-04-30T15:00:00.000Z', '2026-05-29T15:00:00.000Z',
    ]);
  });

  it('BYDAY=2TU is the second Tuesday', () => {
    expect(run({ input: 'FREQ=MONTHLY;BYDAY=2TU', zone: 'UTC', anchor: '2026-01-01T10:00:00Z' })).toEqual([
      '2026-01-13T10:00:00.000Z', '2026-02-10T10:00:00.000Z', '2026-03-10T10:00:00.000Z', '2026-04-14T10:00:00.000Z', '2026-05-12T10:00:00.000Z',
    ]);
  });

  it('every 2 weeks on Monday and Friday at 09:00 Berlin, crossing DST', () => {
    const rule = 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;BYHOUR=9;BYMINUTE=0';
    expect(run({ input: rule, zone: 'Europe/Berlin', anchor: '2026-03-02T08:00:00Z', limit: 6 })).toEqual([
      '2026-03-02T08:00:00.000Z', '2026-03-06T08:00:00.000Z', '2026-03-16T08:00:00.000Z',
      '2026-03-20T08:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-04-03T07:00:00.000Z',
    ]);
  });

  it('yearly on February 29 only occurs in leap years', () => {
    expect(run({ input: 'yearly', zone: 'UTC', anchor: '2028-02-29T10:00:00Z', limit: 3 })).toEqual([
      '2028-02-29T10:00:00.000Z', '2032-02-29T10:00:00.000Z', '2036-02-29T10:00:00.000Z',
    ]);
    expect(run({ input: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', zone: 'Asia/Kolkata', anchor: '2026-01-01T03:30:00Z', limit: 2 })).toEqual([
      '2028-02-29T03:30:00.000Z', '2032-02-29T03:30:00.000Z',
    ]);
  });

  it('without BYHOUR/BYMINUTE the time of day comes from the anchor in the zone', () => {
    expect(run({ input: 'FREQ=WEEKLY;BYDAY=TU', zone: 'America/New_York', anchor: '2026-03-03T12:45:00Z', limit: 2 })).toEqual([
      '2026-03-03T12:45:00.000Z', '2026-03-10T11:45:00.000Z',
    ]);
  });

  it('excludes an anchor that does not match the rule (rrule.js DTSTART semantics)', () => {
    // 2026-05-02 is a Saturday.
    expect(run({ input: 'weekdays', zone: 'UTC', anchor: '2026-05-02T09:00:00Z', limit: 1 })).toEqual(['2026-05-04T09:00:00.000Z']);
  });
});

describe('occurrencesAfter: cron in the zone', () => {
  it('weekday 09:00 in New York across spring forward', () => {
    expect(run({ input: '0 9 * * 1-5', zone: 'America/New_York', anchor: '2026-03-05T14:00:00Z', limit: 3 })).toEqual([
      '2026-03-05T14:00:00.000Z', '2026-03-06T14:00:00.000Z', '2026-03-09T13:00:00.000Z',
    ]);
  });

  it('08:30 daily in Berlin across fall back', () => {
    expect(run({ input: '30 8 * * *', zone: 'Europe/Berlin', anchor: '2026-10-24T06:30:00Z', limit: 2 })).toEqual([
      '2026-10-24T06:30:00.000Z', '2026-10-25T07:30:00.000Z',
    ]);
  });

  it('shares the gap and overlap rules with RRULE', () => {
    expect(run({ input: '30 2 * * *', zone: 'America/New_York', anchor: '2026-03-07T07:30:00Z', limit: 3 })).toEqual([
      '2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z',
    ]);
    expect(run({ input: '30 1 * * *', zone: 'America/New_York', anchor: '2026-10-31T05:30:00Z', limit: 3 })).toEqual([
      '2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('finds matches far after the anchor without walking from it', () => {
    expect(run({ input: '0 9 1 * *', zone: 'Asia/Kolkata', anchor: '2020-01-01T03:30:00Z', after: '2026-06-15T00:00:00Z', limit: 2 })).toEqual([
      '2026-07-01T03:30:00.000Z', '2026-08-01T03:30:00.000Z',
    ]);
  });
});

describe('occurrencesAfter: bounds', () => {
  it('is exclusive of `after` unless inclusive', () => {
    const base = { input: 'daily', zone: 'UTC', anchor: '2026-05-01T09:00:00Z', after: '2026-05-02T09:00:00Z', limit: 1 };
    expect(run({ ...base, inclusive: false })).toEqual(['2026-05-03T09:00:00.000Z']);
    expect(run({ ...base, inclusive: true })).toEqual(['2026-05-02T09:00:00.000Z']);
  });

  it('stops at count, counted from the anchor', () => {
    const input = { rule: 'daily', count: 3 };
    expect(run({ input, zone: 'UTC', anchor: '2026-05-01T09:00:00Z', limit: 10 })).toEqual([
      '2026-05-01T09:00:00.000Z', '2026-05-02T09:00:00.000Z', '2026-05-03T09:00:00.000Z',
    ]);
    expect(run({ input, zone: 'UTC', anchor: '2026-05-01T09:00:00Z', after: '2026-05-02T12:00:00Z', limit: 10 })).toEqual(['2026-05-03T09:00:00.000Z']);
    expect(run({ input, zone: 'UTC', anchor: '2026-05-01T09:00:00Z', after: '2026-05-03T09:00:00Z', limit: 10 })).toEqual([]);
  });

  it('stops at count for cron too', () => {
    expect(run({ input: { rule: '0 9 * * *', count: 2 }, zone: 'UTC', anchor: '2026-05-01T09:00:00Z', limit: 10 })).toEqual([
      '2026-05-01T09:00:00.000Z', '2026-05-02T09:00:00.000Z',
    ]);
  });

  it('stops at until, inclusive', () => {
    expect(run({ input: { rule: 'daily', until: '2026-05-03T09:00:00Z' }, zone: 'UTC', anchor: '2026-05-01T09:00:00Z', limit: 10 })).toEqual([
      '2026-05-01T09:00:00.000Z', '2026-05-02T09:00:00.000Z', '2026-05-03T09:00:00.000Z',
    ]);
    expect(run({ input: 'FREQ=DAILY;UNTIL=20260502T120000Z', zone: 'UTC', anchor: '2026-05-01T09:00:00Z', limit: 10 })).toEqual([
      '2026-05-01T09:00:00.000Z', '2026-05-02T09:00:00.000Z',
    ]);
  });

  it('caps limit at 1000 and returns nothing for a non-positive limit', () => {
    expect(run({ input: 'FREQ=HOURLY', zone: 'UTC', anchor: '2026-01-01T00:00:00Z', limit: 5000 })).toHaveLength(1000);
    expect(run({ input: 'daily', zone: 'UTC', anchor: '2026-01-01T00:00:00Z', limit: 0 })).toEqual([]);
  });

  it('drops sub-second precision of the anchor', () => {
    expect(run({ input: 'daily', zone: 'UTC', anchor: '2026-01-01T09:00:00.500Z', after: '2026-01-01T00:00:00Z', limit: 2 })).toEqual([
      '2026-01-01T09:00:00.000Z', '2026-01-02T09:00:00.000Z',
    ]);
  });

  it('returns quickly, empty, for rules this anchor can never satisfy', () => {
    const started = Date.now();
    // Every 12 months from January never reaches February before the year 9999 ends the walk;
    // 24-hour steps from 09:00 never reach BYHOUR=10 (rrule.js would spin forever on that one).
    expect(run({ input: 'FREQ=MONTHLY;INTERVAL=12;BYMONTH=2', zone: 'UTC', anchor: '2026-01-15T09:00:00Z' })).toEqual([]);
    expect(run({ input: 'FREQ=HOURLY;INTERVAL=24;BYHOUR=10', zone: 'UTC', anchor: '2026-01-05T09:00:00Z' })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up with RecurrenceTooExpensiveError, not an empty answer, when nothing matches within the idle budget', () => {
    // 7-day steps from a Monday never hit Tuesday, but only walking tells that from a rare match.
    expect(() => run({ input: 'FREQ=DAILY;INTERVAL=7;BYDAY=TU', zone: 'UTC', anchor: '2026-01-05T09:00:00Z' })).toThrow(RecurrenceTooExpensiveError);
  });

  it('rejects an unknown zone', () => {
    expect(() => run({ input: 'daily', zone: 'Mars/Olympus', anchor: '2026-01-01T00:00:00Z' })).toThrow(RecurrenceRuleError);
  });
});
