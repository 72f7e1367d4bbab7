import { describe, expect, it } from 'vitest';
import { parseRecurrence } from './parse-recurrence.js';
import type { RecurrenceInput } from './recurrence.js';
import { RECURRENCE_PRESETS } from './recurrence-presets.js';
import { RecurrenceRuleError } from './recurrence-rule-error.js';

function rejection(input: RecurrenceInput): RecurrenceRuleError {
  try {
    parseRecurrence(input);
  } catch (error) {
    if (error instanceof RecurrenceRuleError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseRecurrence: accepted rules', () => {
  it('expands presets case-insensitively with defaults', () => {
    expect(parseRecurrence({ rule: ' Weekdays ' })).toEqual({
      kind: 'rrule', rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', repeatFrom: 'due', count: null, until: null,
    });
    for (const [name, body] of Object.entries(RECURRENCE_PRESETS)) {
      expect(parseRecurrence({ rule: name.toUpperCase() }).rule).toBe(body);
    }
  });

  it('normalizes an RRULE: strips the prefix, upper-cases, orders parts, drops INTERVAL=1', () => {
    const parsed = parseRecurrence({ rule: 'RRULE:byday=fr,mo;interval=2;freq=weekly;byminute=00;byhour=9' });
    expect(parsed.rule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=FR,MO;BYHOUR=9;BYMINUTE=0');
    expect(parseRecurrence({ rule: 'FREQ=DAILY;INTERVAL=1;' }).rule).toBe('FREQ=DAILY');
    expect(parseRecurrence({ rule: 'FREQ=MONTHLY;BYDAY=+2TU' }).rule).toBe('FREQ=MONTHLY;BYDAY=2TU');
  });

  it('moves COUNT and UNTIL out of the rule', () => {
    expect(parseRecurrence({ rule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=5' })).toMatchObject({ rule: 'FREQ=WEEKLY;BYDAY=MO', count: 5, until: null });
    expect(parseRecurrence({ rule: 'FREQ=DAILY;UNTIL=20270131T000000Z' })).toMatchObject({ rule: 'FREQ=DAILY', count: null, until: '2027-01-31T00:00:00.000Z' });
  });

  it('takes count, until (normalized to UTC) and repeatFrom from the input', () => {
    expect(parseRecurrence({ rule: 'daily', count: 10, repeatFrom: 'completion' })).toMatchObject({ count: 10, repeatFrom: 'completion' });
    expect(parseRecurrence({ rule: 'daily', until: '2027-01-31T01:00:00+01:00' }).until).toBe('2027-01-31T00:00:00.000Z');
    expect(parseRecurrence({ rule: 'FREQ=DAILY;COUNT=3', until: '2027-01-31T00:00:00Z' })).toMatchObject({ count: 3, until: '2027-01-31T00:00:00.000Z' });
  });

  it('recognizes 5-field cron by shape and collapses whitespace', () => {
    expect(parseRecurrence({ rule: '  0  9 * *   1-5 ' })).toEqual({ kind: 'cron', rule: '0 9 * * 1-5', repeatFrom: 'due', count: null, until: null });
    expect(parseRecurrence({ rule: '30 8 * * MON-FRI' }).kind).toBe('cron');
    expect(parseRecurrence({ rule: '0 9 L * *' }).kind).toBe('cron');
  });

  it('accepts rare but real rules (Feb 29 yearly, leap-day-of-year, Friday 13th)', () => {
    expect(parseRecurrence({ rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29' }).rule).toBe('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29');
    expect(parseRecurrence({ rule: 'FREQ=YEARLY;BYYEARDAY=366' }).kind).toBe('rrule');
    expect(parseRecurrence({ rule: 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13' }).kind).toBe('rrule');
  });

  it('accepts an INTERVAL that only some anchors can satisfy', () => {
    expect(parseRecurrence({ rule: 'FREQ=MONTHLY;INTERVAL=12;BYMONTH=2' }).rule).toBe('FREQ=MONTHLY;INTERVAL=12;BYMONTH=2');
  });
});

describe('parseRecurrence: rejected rules', () => {
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['garbage', /not a preset/],
    ['every tuesday', /not a preset/],
    ['@daily', /not a preset/],
    ['FREQ=FOO', /FREQ=FOO is not a known frequency/],
    ['FREQ=SECONDLY', /too frequent/],
    ['FREQ=MINUTELY;INTERVAL=30', /too frequent/],
    ['INTERVAL=2;BYDAY=MO;FREQ', /KEY=VALUE/],
    ['RRULE:INTERVAL=2', /needs a FREQ/],
    ['DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY', /DTSTART is not allowed/],
    ['FREQ=DAILY;DTSTART=20260101T090000Z', /DTSTART is not allowed/],
    ['FREQ=DAILY;TZID=Europe/Berlin', /TZID is not allowed/],
    ['FREQ=DAILY;FOO=1', /FOO is not supported/],
    ['FREQ=DAILY;FREQ=WEEKLY', /more than once/],
    ['FREQ=DAILY;INTERVAL=0', /out of range/],
    ['FREQ=DAILY;INTERVAL=abc', /not a number/],
    ['FREQ=WEEKLY;BYDAY=XX', /not a weekday/],
    ['FREQ=MONTHLY;BYDAY=0MO', /ordinal out of range/],
    ['FREQ=MONTHLY;BYMONTHDAY=32', /out of range/],
    ['FREQ=DAILY;BYHOUR=24', /out of range/],
    ['FREQ=DAILY;BYMINUTE=0,30', /one minute only/],
    ['FREQ=DAILY;BYSECOND=0', /BYSECOND is not supported/],
    ['FREQ=DAILY;WKST=XX', /not a weekday/],
    ['FREQ=DAILY;UNTIL=20270131', /UTC date-time/],
    ['FREQ=DAILY;UNTIL=20270231T000000Z', /not a valid date-time/],
    ['FREQ=DAILY;COUNT=2;UNTIL=20270131T000000Z', /both COUNT and UNTIL/],
    ['FREQ=DAILY;COUNT=0', /out of range/],
    ['FREQ=DAILY;COUNT=5000', /out of range/],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', /never produces an occurrence/],
    ['FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31', /never produces an occurrence/],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6', /never produces an occurrence/],
    ['0 0 9 * * *', /5 fields.*seconds/],
    ['0 0 9 * * * 2026', /5 fields/],
    ['61 9 * * *', /invalid cron/],
    ['0 9 31 2 *', /invalid cron/],
    ['0 9 * * 8', /invalid cron/],
    ['*/15 9 * * *', /more than once an hour/],
    ['* * * * *', /more than once an hour/],
  ])('rejects %j', (rule, message) => {
    const error = rejection({ rule });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('invalid_recurrence');
    expect(error.field).toBe('recurrence.rule');
    expect(error.message).toMatch(message);
  });

  it.each<[RecurrenceInput, string, RegExp]>([
    [{ rule: 'daily', count: 0 }, 'recurrence.count', /at least 1/],
    [{ rule: 'daily', count: 1001 }, 'recurrence.count', /at most 1000/],
    [{ rule: 'daily', count: 1.5 }, 'recurrence.count', /whole number/],
    [{ rule: 'daily', until: 'tomorrow' }, 'recurrence.until', /ISO 8601 instant/],
    [{ rule: 'daily', until: '2027-01-31' }, 'recurrence.until', /ISO 8601 instant/],
    [{ rule: 'daily', until: '2027-01-31T00:00:00' }, 'recurrence.until', /ISO 8601 instant/],
    [{ rule: 'daily', repeatFrom: 'sometime' as 'due' }, 'recurrence.repeatFrom', /'due' or 'completion'/],
    [{ rule: 42 as unknown as string }, 'recurrence.rule', /must be a string/],
    [{ rule: 'FREQ=DAILY;COUNT=5', count: 3 }, 'recurrence.count', /both in the rule and as count/],
    [{ rule: 'FREQ=DAILY;UNTIL=20270131T000000Z', until: '2027-02-01T00:00:00Z' }, 'recurrence.until', /both in the rule and as until/],
  ])('rejects input %j', (input, field, message) => {
    const error = rejection(input);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});
