import { describe, expect, it } from 'vitest';
import { previewRecurrence } from './preview-recurrence.js';
import { RecurrenceRuleError } from './recurrence-rule-error.js';

describe('previewRecurrence', () => {
  it('parses, lists occurrences from the start inclusive, and describes', () => {
    expect(previewRecurrence({ input: { rule: 'RRULE:FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=9;BYMINUTE=0' }, zone: 'Europe/Berlin', start: new Date('2026-03-27T08:00:00Z'), count: 3 })).toEqual({
      recurrence: { kind: 'rrule', rule: 'FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=9;BYMINUTE=0', repeatFrom: 'due', count: null, until: null },
      occurrences: ['2026-03-27T08:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-04-03T07:00:00.000Z'],
      description: 'every week on Monday and Friday at 09:00',
    });
  });

  it('starts at the first match when the start does not match the rule', () => {
    const preview = previewRecurrence({ input: { rule: 'weekdays' }, zone: 'UTC', start: new Date('2026-05-02T09:00:00Z'), count: 2 });
    expect(preview.occurrences).toEqual(['2026-05-04T09:00:00.000Z', '2026-05-05T09:00:00.000Z']);
  });

  it('is capped by the recurrence count', () => {
    const preview = previewRecurrence({ input: { rule: 'daily', count: 2 }, zone: 'UTC', start: new Date('2026-05-01T09:00:00Z'), count: 10 });
    expect(preview.occurrences).toEqual(['2026-05-01T09:00:00.000Z', '2026-05-02T09:00:00.000Z']);
    expect(preview.description).toBe('every day at 09:00, 2 times');
  });

  it('previews cron in the zone', () => {
    const preview = previewRecurrence({ input: { rule: '0 9 * * 1-5' }, zone: 'America/New_York', start: new Date('2026-03-06T12:00:00Z'), count: 2 });
    expect(preview.occurrences).toEqual(['2026-03-06T14:00:00.000Z', '2026-03-09T13:00:00.000Z']);
  });

  it('throws RecurrenceRuleError for an invalid rule', () => {
    expect(() => previewRecurrence({ input: { rule: 'FREQ=MINUTELY' }, zone: 'UTC', start: new Date(), count: 3 })).toThrow(RecurrenceRuleError);
  });
});
