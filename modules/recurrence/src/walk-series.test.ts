import { describe, expect, it } from 'vitest';
import { nextOccurrence } from './next-occurrence.js';
import { occurrencesAfter } from './occurrences-after.js';
import { parseRecurrence } from './parse-recurrence.js';
import type { Recurrence } from './recurrence.js';
import { RecurrenceTooExpensiveError } from './recurrence-too-expensive-error.js';

/*
 * Without COUNT a walk starts near the instant asked about, moved from the anchor by whole
 * INTERVALs of the rule's period; with COUNT it must walk from the anchor, since occurrences are
 * counted from there. Both must list the same occurrences. The anchor is 64 days before `after`
 * (for a Thursday `after`, the Wednesday starting a period of three weeks).
 */
const DAY = 86_400_000;
const RULES = [
  'FREQ=HOURLY;INTERVAL=5',
  'FREQ=HOURLY;INTERVAL=3;BYHOUR=1,2,3,13,14,15',
  'FREQ=HOURLY;BYDAY=SU,MO;BYHOUR=0,1,2,3',
  'FREQ=DAILY;INTERVAL=3;BYHOUR=2,14',
  'FREQ=DAILY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR',
  'FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE,FR;BYSETPOS=2',
  'FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=SA,SU;BYHOUR=1,2;BYSETPOS=-1',
  'FREQ=WEEKLY;BYDAY=SU;BYHOUR=1,2',
];
// Around the 2027 DST changes of both zones, at times of day on and off the rules' hours (just after
// each spring-forward, where 02:30 stands for an instant after `after`); on the Thursdays a walk
// started on that week's Wednesday would count BYSETPOS from Wednesday.
const AFTERS = [
  '2027-03-11T12:00:00Z', '2027-10-28T12:00:00Z', '2027-03-13T06:59:00Z', '2027-03-14T07:15:00Z', '2027-03-28T01:15:00Z', '2027-03-14T07:30:00Z', '2027-03-27T23:00:00Z', '2027-03-28T01:00:00Z',
  '2027-10-30T22:15:00Z', '2027-10-31T01:00:00Z', '2027-11-06T05:30:00Z', '2027-11-07T06:00:00Z',
];

function listed(recurrence: Recurrence, anchor: string, zone: string, after: string, limits?: { maxVisits: number }): string[] {
  // A clock that stands still: the comparison must not depend on how busy the machine is.
  return occurrencesAfter({ recurrence, anchor: new Date(anchor), zone, after: new Date(after), limit: 30, limits: { ...limits, clock: () => 0 } })
    .map((d) => d.toISOString());
}

// The parser refuses MINUTELY; the walk still serves it, and minutes see DST gaps that longer periods hide.
// Its anchor is nine days before `after`, so that the walk from the anchor stays short.
const minutely: Recurrence = { kind: 'rrule', rule: 'FREQ=MINUTELY;INTERVAL=20;BYHOUR=1,2,3', repeatFrom: 'due', count: null, until: null };
const CASES = [
  ...RULES.map((rule) => ({ open: parseRecurrence({ rule }), anchorFor: (after: string) => new Date(Date.parse(after) - 64 * DAY).toISOString() })),
  { open: minutely, anchorFor: (after: string) => new Date(Date.parse(after) - 9 * DAY).toISOString() },
];

describe('a walk that starts near the instant asked about', () => {
  it.each(['America/New_York', 'Europe/Berlin'])('lists what the walk from the anchor lists, across DST in %s', (zone) => {
    for (const { open, anchorFor } of CASES) {
      // COUNT pins the walk to the anchor; a count this high never ends the series.
      const counted = { ...open, count: 1_000_000_000 };
      for (const after of AFTERS) {
        const anchor = anchorFor(after);
        const fromAnchor = listed(counted, anchor, zone, after, { maxVisits: 1_000_000 });
        expect(fromAnchor, `${open.rule} after ${after}`).toHaveLength(30);
        // A few dozen visits reach 30 occurrences past `after`: the walk did not start at the anchor.
        expect(listed(open, anchor, zone, after, { maxVisits: 250 }), `${open.rule} after ${after}`).toEqual(fromAnchor);
      }
    }
  });

  it('an hourly series moved to 2140 completes in bounded time', () => {
    const recurrence = parseRecurrence({ rule: 'FREQ=HOURLY' });
    const completeAt = (anchor: string) =>
      nextOccurrence({
        recurrence,
        anchor: new Date(anchor),
        zone: 'Europe/Berlin',
        currentDue: new Date('2140-01-01T00:00:00Z'),
        completedAt: new Date('2026-06-01T10:00:00Z'),
        occurrenceIndex: 0,
        limits: { maxVisits: 100 },
      })?.toISOString();
    // The same few visits whether the anchor is a day, a year or 114 years before the due.
    expect(completeAt('2139-12-31T00:00:00Z')).toBe('2140-01-01T01:00:00.000Z');
    expect(completeAt('2139-01-01T00:00:00Z')).toBe('2140-01-01T01:00:00.000Z');
    expect(completeAt('2026-05-31T08:00:00Z')).toBe('2140-01-01T01:00:00.000Z');
  });

  it('keeps the anchor minute and the INTERVAL phase of an hourly series however far it skips', () => {
    const recurrence = parseRecurrence({ rule: 'FREQ=HOURLY;INTERVAL=7' });
    const after = new Date('2140-01-01T00:00:00Z');
    const [next] = occurrencesAfter({ recurrence, anchor: new Date('2026-05-31T08:20:00Z'), zone: 'UTC', after, limit: 1, limits: { maxVisits: 100 } });
    const hours = (next!.getTime() - Date.parse('2026-05-31T08:20:00Z')) / 3600_000;
    expect([next!.getUTCMinutes(), hours % 7, next! > after, next!.getTime() - after.getTime() <= 7 * 3600_000]).toEqual([20, 0, true, true]);
  });
});

describe('the walk budget', () => {
  const everySecond: Recurrence = { kind: 'rrule', rule: 'FREQ=SECONDLY', repeatFrom: 'due', count: null, until: null };

  it('refuses a walk that cannot skip ahead (COUNT) and would visit more than 10,000 occurrences', () => {
    // The parser allows neither SECONDLY nor a count this high; the walk must still hold.
    const counted = { ...everySecond, count: 1_000_000 };
    // A clock that stands still, so that only visits count however busy the machine is.
    const limits = { clock: () => 0 };
    const walk = () => occurrencesAfter({ recurrence: counted, anchor: new Date('2026-01-01T00:00:00Z'), zone: 'UTC', after: new Date('2026-01-02T00:00:00Z'), limit: 1, limits });
    expect(walk).toThrow(RecurrenceTooExpensiveError);
    expect(walk).toThrow(/needs more than 10000 occurrences/);
  });

  it('lets the same rule without COUNT skip there within the budget', () => {
    const [next] = occurrencesAfter({ recurrence: everySecond, anchor: new Date('2026-01-01T00:00:00Z'), zone: 'UTC', after: new Date('2026-01-02T00:00:00Z'), limit: 1 });
    expect(next?.toISOString()).toBe('2026-01-02T00:00:01.000Z');
  });

  it('refuses a rule that matches so rarely that the walk outlasts its time budget (a clock of its own, 5 ms a reading)', () => {
    let ms = 0;
    const clock = () => (ms += 5);
    const leapDays = parseRecurrence({ rule: 'FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=9' });
    const walk = (maxMs: number) =>
      occurrencesAfter({ recurrence: leapDays, anchor: new Date('2026-01-01T09:00:00Z'), zone: 'UTC', after: new Date('2026-01-01T09:00:00Z'), limit: 20, limits: { maxMs, clock } });
    expect(() => walk(1000)).toThrow(/takes more than 1000 ms to evaluate/);
    expect(walk(1_000_000)).toHaveLength(20);
  });

  it('says a rule has no answer, rather than that the series ended, when nothing matches within the idle budget', () => {
    const everyWeekOnTuesday = parseRecurrence({ rule: 'FREQ=DAILY;INTERVAL=7;BYDAY=TU' });
    const next = () =>
      nextOccurrence({ recurrence: everyWeekOnTuesday, anchor: new Date('2026-01-05T09:00:00Z'), zone: 'UTC', currentDue: new Date('2026-01-05T09:00:00Z'), completedAt: new Date('2026-01-05T10:00:00Z'), occurrenceIndex: 0, limits: { clock: () => 0 } });
    expect(next).toThrow(RecurrenceTooExpensiveError);
    expect(next).toThrow(/no occurrence within 50000 of its periods/);
  });
});
