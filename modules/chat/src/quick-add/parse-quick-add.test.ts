import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserSafetyProblems } from '@taskstream/testing';
import { parseQuickAdd, type QuickAddResult } from './index.js';

// Friday 2026-03-06, 16:00 in Berlin (CET, UTC+1); Berlin moves to CEST on Sunday 2026-03-29.
const NOW = new Date('2026-03-06T15:00:00Z');
const berlin = (text: string, now = NOW): QuickAddResult => parseQuickAdd(text, { now, timeZone: 'Europe/Berlin' });

describe('parseQuickAdd: the example from the issue', () => {
  it('reads "Pay rent every month on the 1st 9am #home !high"', () => {
    const text = 'Pay rent every month on the 1st 9am #home !high';
    const r = berlin(text);
    expect(r).toMatchObject({
      title: 'Pay rent',
      // The next 1st is April 1st, after the switch to summer time: 09:00 CEST is 07:00 UTC.
      dueAt: '2026-04-01T07:00:00.000Z',
      priority: 'high',
      tags: ['home'],
      recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=1', repeatFrom: 'due' },
      reminders: [],
    });
    expect(r.parts).toEqual([
      { kind: 'recurrence', text: 'every month on the 1st', start: 9, end: 31, label: 'Every month on day 1' },
      { kind: 'due', text: '9am', start: 32, end: 35, label: 'Wed, Apr 1, 09:00' },
      { kind: 'tag', text: '#home', start: 36, end: 41, label: '#home' },
      { kind: 'priority', text: '!high', start: 42, end: 47, label: 'Priority: high' },
    ]);
    for (const part of r.parts) expect(text.slice(part.start, part.end)).toBe(part.text);
  });
});

describe('parseQuickAdd: due dates and times (Berlin, Friday 16:00)', () => {
  it.each([
    ['Call mom tomorrow 5pm', 'Call mom', '2026-03-07T16:00:00.000Z'],
    ['Call mom tomorrow at 5pm', 'Call mom', '2026-03-07T16:00:00.000Z'],
    ['Call mom 5pm tomorrow', 'Call mom', '2026-03-07T16:00:00.000Z'],
    ['Report next friday', 'Report', '2026-03-13T08:00:00.000Z'],
    ['Report due friday', 'Report', '2026-03-13T08:00:00.000Z'],
    ['Email Jo in 2 hours', 'Email Jo', '2026-03-06T17:00:00.000Z'],
    ['Email Jo in 30 min', 'Email Jo', '2026-03-06T15:30:00.000Z'],
    ['Book flights in 3 days', 'Book flights', '2026-03-09T08:00:00.000Z'],
    ['Meeting on friday at 10am', 'Meeting', '2026-03-13T09:00:00.000Z'],
    ['Meet Bob at 5', 'Meet Bob', '2026-03-06T16:00:00.000Z'],
    ['Meet Bob at 5pm', 'Meet Bob', '2026-03-06T16:00:00.000Z'],
    ['Lunch at noon', 'Lunch', '2026-03-07T11:00:00.000Z'],
    ['Water garden tonight', 'Water garden', '2026-03-06T21:00:00.000Z'],
    ['Run tomorrow morning', 'Run', '2026-03-07T05:00:00.000Z'],
    ['Clean garage this weekend', 'Clean garage', '2026-03-07T08:00:00.000Z'],
    ['Call at 3pm', 'Call', '2026-03-07T14:00:00.000Z'],
    ['Ship at 17:30', 'Ship', '2026-03-06T16:30:00.000Z'],
    ['Dentist on the 15th at 3pm', 'Dentist', '2026-03-15T14:00:00.000Z'],
    ['Dentist on the 2nd', 'Dentist', '2026-04-02T07:00:00.000Z'],
    ['Renew passport dec 3', 'Renew passport', '2026-12-03T08:00:00.000Z'],
    ['Renew passport jan 5th at 10', 'Renew passport', '2027-01-05T09:00:00.000Z'],
    ['Buy milk tomorrow', 'Buy milk', '2026-03-07T08:00:00.000Z'],
    ['Buy milk today', 'Buy milk', '2026-03-06T22:59:00.000Z'],
    ['Submit tomorrow #work 5pm', 'Submit', '2026-03-07T16:00:00.000Z'],
    ['Pay bills on 3/15', 'Pay bills', '2026-03-15T08:00:00.000Z'],
    ['Pay bills 2026-04-01', 'Pay bills', '2026-04-01T07:00:00.000Z'],
  ])('%s', (text, title, dueAt) => {
    const r = berlin(text);
    expect({ title: r.title, dueAt: r.dueAt }).toEqual({ title, dueAt });
    expect(r.parts.filter((p) => p.kind === 'due').length).toBeGreaterThan(0);
  });

  it('a date without a time takes 09:00, or the given default', () => {
    expect(parseQuickAdd('x tomorrow', { now: NOW, timeZone: 'Europe/Berlin', defaultTime: { hour: 18, minute: 0 } }).dueAt)
      .toBe('2026-03-07T17:00:00.000Z');
    // Before 09:00, "today" is today at 09:00; after it, the end of today (see "Buy milk today").
    expect(berlin('x today', new Date('2026-03-06T06:00:00Z')).dueAt).toBe('2026-03-06T08:00:00.000Z');
  });

  it('leaves words that merely look like dates in the title', () => {
    for (const text of ['Call May about the sun', 'Buy sat dish', 'Read chapter 5', 'Do it now', 'Email second draft', 'Plan March Hare party']) {
      expect(berlin(text)).toMatchObject({ title: text, dueAt: null, parts: [] });
    }
  });

  it('a text that is only a date has an empty title', () => {
    expect(berlin('tomorrow 5pm')).toMatchObject({ title: '', dueAt: '2026-03-07T16:00:00.000Z' });
  });
});

describe('parseQuickAdd: time zones and daylight saving', () => {
  it('Sunday 09:00 after the spring-forward change is 09:00 summer time', () => {
    const r = berlin('Call on sunday 9am', new Date('2026-03-27T12:00:00Z'));
    expect(r.dueAt).toBe('2026-03-29T07:00:00.000Z');
  });

  it('a time inside the spring-forward gap moves forward by the gap (02:30 → 03:30)', () => {
    expect(berlin('x tomorrow 2:30am', new Date('2026-03-28T12:00:00Z')).dueAt).toBe('2026-03-29T01:30:00.000Z');
  });

  it('an ambiguous fall-back time takes the earlier instant', () => {
    expect(berlin('x tomorrow 2:30am', new Date('2026-10-24T12:00:00Z')).dueAt).toBe('2026-10-25T00:30:00.000Z');
  });

  it('"in 2 hours" across the change is two real hours', () => {
    expect(berlin('x in 2 hours', new Date('2026-03-29T00:30:00Z')).dueAt).toBe('2026-03-29T02:30:00.000Z');
  });

  it('New York: a weekly 10:00 on the day summer time starts', () => {
    const r = parseQuickAdd('Brunch every sunday at 10am', { now: new Date('2026-03-06T17:00:00Z'), timeZone: 'America/New_York' });
    expect(r).toMatchObject({ dueAt: '2026-03-08T14:00:00.000Z', recurrence: { rule: 'FREQ=WEEKLY;BYDAY=SU' } });
  });

  it('New York: daily 09:00 from a Saturday afternoon in winter time', () => {
    const r = parseQuickAdd('Walk daily at 9am', { now: new Date('2026-03-07T20:00:00Z'), timeZone: 'America/New_York' });
    expect(r.dueAt).toBe('2026-03-08T13:00:00.000Z');
  });

  it('Sydney: summer time ends on the first Sunday of April', () => {
    const r = parseQuickAdd('x sunday 9am', { now: new Date('2026-04-03T00:00:00Z'), timeZone: 'Australia/Sydney' });
    expect(r.dueAt).toBe('2026-04-04T23:00:00.000Z');
  });

  it('Kolkata (UTC+5:30): "tomorrow" is the local tomorrow', () => {
    const r = parseQuickAdd('x tomorrow 9am', { now: NOW, timeZone: 'Asia/Kolkata' });
    expect(r.dueAt).toBe('2026-03-07T03:30:00.000Z');
  });

  it('does not depend on the zone of the machine it runs on', () => {
    const texts = ['x tomorrow 5pm', 'x every month on the 1st 9am', 'x in 2 hours', 'x at 5', 'x remind me at 8am', 'x next friday'];
    const saved = process.env.TZ;
    const run = (tz: string) => {
      process.env.TZ = tz;
      return texts.map((t) => berlin(t));
    };
    try {
      const utc = run('UTC');
      expect(run('Pacific/Kiritimati')).toEqual(utc);
      expect(run('America/Los_Angeles')).toEqual(utc);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('rejects an unknown zone', () => {
    expect(() => parseQuickAdd('x', { now: NOW, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});

describe('parseQuickAdd: recurrence', () => {
  it.each([
    ['every day', 'FREQ=DAILY', '2026-03-07T08:00:00.000Z'],
    ['daily at 7pm', 'FREQ=DAILY', '2026-03-06T18:00:00.000Z'],
    ['every other day', 'FREQ=DAILY;INTERVAL=2', '2026-03-07T08:00:00.000Z'],
    ['every 3 days', 'FREQ=DAILY;INTERVAL=3', '2026-03-07T08:00:00.000Z'],
    ['every weekday', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-03-09T08:00:00.000Z'],
    ['every workday at 8:15', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-03-09T07:15:00.000Z'],
    ['weekdays', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-03-09T08:00:00.000Z'],
    ['every weekend', 'FREQ=WEEKLY;BYDAY=SA,SU', '2026-03-07T08:00:00.000Z'],
    ['every week', 'FREQ=WEEKLY', '2026-03-07T08:00:00.000Z'],
    ['weekly on tuesday', 'FREQ=WEEKLY;BYDAY=TU', '2026-03-10T08:00:00.000Z'],
    ['every monday', 'FREQ=WEEKLY;BYDAY=MO', '2026-03-09T08:00:00.000Z'],
    ['every mondays', 'FREQ=WEEKLY;BYDAY=MO', '2026-03-09T08:00:00.000Z'],
    ['every other friday', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR', '2026-03-13T08:00:00.000Z'],
    ['every tue and thu', 'FREQ=WEEKLY;BYDAY=TU,TH', '2026-03-10T08:00:00.000Z'],
    ['every fri, mon and wed', 'FREQ=WEEKLY;BYDAY=MO,WE,FR', '2026-03-09T08:00:00.000Z'],
    ['every 2 weeks on monday', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', '2026-03-09T08:00:00.000Z'],
    ['biweekly', 'FREQ=WEEKLY;INTERVAL=2', '2026-03-07T08:00:00.000Z'],
    ['every month', 'FREQ=MONTHLY', '2026-03-07T08:00:00.000Z'],
    ['monthly on the 15th', 'FREQ=MONTHLY;BYMONTHDAY=15', '2026-03-15T08:00:00.000Z'],
    ['every 15th', 'FREQ=MONTHLY;BYMONTHDAY=15', '2026-03-15T08:00:00.000Z'],
    ['on the 20th of every month', 'FREQ=MONTHLY;BYMONTHDAY=20', '2026-03-20T08:00:00.000Z'],
    ['every 3 months on the 1st', 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1', '2026-04-01T07:00:00.000Z'],
    ['every last day of the month', 'FREQ=MONTHLY;BYMONTHDAY=-1', '2026-03-31T07:00:00.000Z'],
    ['every month on the last day', 'FREQ=MONTHLY;BYMONTHDAY=-1', '2026-03-31T07:00:00.000Z'],
    ['every first monday', 'FREQ=MONTHLY;BYDAY=1MO', '2026-04-06T07:00:00.000Z'],
    ['every 2nd monday', 'FREQ=MONTHLY;BYDAY=2MO', '2026-03-09T08:00:00.000Z'],
    ['every last friday of the month', 'FREQ=MONTHLY;BYDAY=-1FR', '2026-03-27T08:00:00.000Z'],
    ['on the 2nd tuesday of every month', 'FREQ=MONTHLY;BYDAY=2TU', '2026-03-10T08:00:00.000Z'],
    ['every month on the third wednesday', 'FREQ=MONTHLY;BYDAY=3WE', '2026-03-18T08:00:00.000Z'],
    ['every year', 'FREQ=YEARLY', '2026-03-07T08:00:00.000Z'],
    ['every march 3rd', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3', '2027-03-03T08:00:00.000Z'],
    ['every 5 jan', 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=5', '2027-01-05T08:00:00.000Z'],
    ['yearly on feb 29', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2028-02-29T08:00:00.000Z'],
    ['every hour', 'FREQ=HOURLY', '2026-03-06T16:00:00.000Z'],
    ['every day for 5 times', 'FREQ=DAILY;COUNT=5', '2026-03-07T08:00:00.000Z'],
    ['every day until march 20', 'FREQ=DAILY;UNTIL=20260320T225900Z', '2026-03-07T08:00:00.000Z'],
  ])('"%s" → %s', (phrase, rule, dueAt) => {
    const r = berlin(`Task ${phrase}`);
    expect(r).toMatchObject({ title: 'Task', dueAt, recurrence: { rule, repeatFrom: 'due' } });
  });

  it.each(['Water plants every! 3 days', 'Water plants every 3 days after completion', 'Water plants every 3 days from completion'])(
    '"%s" repeats from completion',
    (text) => {
      expect(berlin(text)).toMatchObject({ title: 'Water plants', recurrence: { rule: 'FREQ=DAILY;INTERVAL=3', repeatFrom: 'completion' } });
    },
  );

  it('endings may come later in the text', () => {
    const r = berlin('Take pills daily at 8am for 10 times');
    expect(r).toMatchObject({ title: 'Take pills', dueAt: '2026-03-07T07:00:00.000Z', recurrence: { rule: 'FREQ=DAILY;COUNT=10' } });
    expect(r.parts.find((p) => p.kind === 'recurrence' && p.text === 'daily')?.label).toBe('Every day, 10 times');
  });

  it('a start date picks the first matching day from it', () => {
    const r = berlin('Gym every monday starting march 23 at 7am');
    expect(r).toMatchObject({ title: 'Gym', dueAt: '2026-03-23T06:00:00.000Z', recurrence: { rule: 'FREQ=WEEKLY;BYDAY=MO' } });
  });

  it('labels say the rule in words', () => {
    const label = (text: string) => berlin(text).parts.find((p) => p.kind === 'recurrence')?.label;
    expect(label('x every weekday')).toBe('Every weekday');
    expect(label('x every 2 weeks on monday')).toBe('Every 2 weeks on Monday');
    expect(label('x every last friday of the month')).toBe('Every month on the last Friday');
    expect(label('x every! day')).toBe('Every day, from completion');
    expect(label('x every march 3rd')).toBe('Every year on Mar 3');
  });

  it('an impossible date is not a recurrence', () => {
    expect(berlin('x every feb 30').recurrence).toBeNull();
  });
});

describe('parseQuickAdd: priority', () => {
  it.each([
    ['Fix bug !urgent', 'urgent'],
    ['Fix bug !1', 'urgent'],
    ['Fix bug p1', 'urgent'],
    ['Fix bug !2', 'high'],
    ['Fix bug p2', 'high'],
    ['Fix bug !high', 'high'],
    ['Fix bug !medium', 'medium'],
    ['Fix bug p3', 'medium'],
    ['Fix bug !low', 'low'],
    ['Fix bug !4', 'low'],
    ['Fix bug high priority', 'high'],
    ['Fix bug priority: low', 'low'],
    ['Fix bug !LOW', 'low'],
  ])('%s → %s', (text, priority) => {
    expect(berlin(text)).toMatchObject({ title: 'Fix bug', priority });
  });

  it('is null when not given, and ignores look-alikes', () => {
    expect(berlin('Fix bug').priority).toBeNull();
    expect(berlin('Say help!').priority).toBeNull();
    expect(berlin('Buy p5 paper')).toMatchObject({ title: 'Buy p5 paper', priority: null });
  });

  it('the last one given wins', () => {
    expect(berlin('x !low p1').priority).toBe('urgent');
  });
});

describe('parseQuickAdd: tags', () => {
  it('reads several, keeps their spelling and lists each once', () => {
    expect(berlin('Plan #home #Deep-Work #home #HOME')).toMatchObject({ title: 'Plan', tags: ['home', 'Deep-Work'] });
  });

  it('a tag needs a letter and a space before it', () => {
    expect(berlin('Fix issue #123')).toMatchObject({ title: 'Fix issue #123', tags: [] });
    expect(berlin('mail a#b')).toMatchObject({ title: 'mail a#b', tags: [] });
  });

  it('drops trailing punctuation and accepts non-English letters', () => {
    expect(berlin('Kaufen #küche.').tags).toEqual(['küche']);
  });
});

describe('parseQuickAdd: reminders', () => {
  it.each([
    ['remind me 30 min before', [{ offsetMinutes: 30 }]],
    ['remind me 1 hour before', [{ offsetMinutes: 60 }]],
    ['remind me an hour before', [{ offsetMinutes: 60 }]],
    ['remind me half an hour before', [{ offsetMinutes: 30 }]],
    ['with a reminder 2 days before', [{ offsetMinutes: 2880 }]],
    ['remind me 1 day and 2 hours before', [{ offsetMinutes: 1440 }, { offsetMinutes: 120 }]],
    ['remind me the day before', [{ offsetMinutes: 1440 }]],
    ['remind me when it is due', [{ offsetMinutes: 0 }]],
    ['remind me at 8am', [{ remindAt: '2026-03-07T07:00:00.000Z' }]],
    ['remind me on monday at 8am', [{ remindAt: '2026-03-09T07:00:00.000Z' }]],
  ])('Dentist tomorrow 5pm %s', (phrase, reminders) => {
    expect(berlin(`Dentist tomorrow 5pm ${phrase}`)).toMatchObject({ title: 'Dentist', dueAt: '2026-03-07T16:00:00.000Z', reminders });
  });

  it('an absolute reminder time without a date falls on the due date', () => {
    expect(berlin('Dentist monday 5pm remind me at 8am').reminders).toEqual([{ remindAt: '2026-03-09T07:00:00.000Z' }]);
  });

  it('labels reminders', () => {
    const labels = berlin('x tomorrow 5pm remind me 30 min before').parts.filter((p) => p.kind === 'reminder').map((p) => p.label);
    expect(labels).toEqual(['Remind 30 min before']);
    expect(berlin('x tomorrow 5pm remind me at 4pm').parts.find((p) => p.kind === 'reminder')?.label).toBe('Remind at Sat, Mar 7, 16:00');
  });

  it('"remind me to …" with no time is part of the title', () => {
    expect(berlin('Remind me to call mom')).toMatchObject({ title: 'Remind me to call mom', reminders: [] });
  });
});

describe('parseQuickAdd: parts', () => {
  it('each part is the exact slice of the text, in order, without overlaps', () => {
    const texts = [
      'Submit tomorrow #work 5pm remind me at 4pm !2',
      'Team sync every 2 weeks on monday at 10 remind me 15 min before #team p1',
      'Take pills daily at 8am for 10 times #health',
    ];
    for (const text of texts) {
      const parts = berlin(text).parts;
      let last = 0;
      for (const part of parts) {
        expect(text.slice(part.start, part.end)).toBe(part.text);
        expect(part.start).toBeGreaterThanOrEqual(last);
        expect(part.label).not.toBe('');
        last = part.end;
      }
    }
  });

  it('a due date split by a tag is two due parts with one meaning', () => {
    const due = berlin('Submit tomorrow #work 5pm').parts.filter((p) => p.kind === 'due');
    expect(due.map((p) => [p.text, p.label])).toEqual([
      ['tomorrow', 'Sat, Mar 7, 17:00'],
      ['5pm', 'Sat, Mar 7, 17:00'],
    ]);
  });

  it('an emoji (two UTF-16 units) before a part leaves the title whole', () => {
    expect(berlin('😀 buy milk #home tomorrow')).toMatchObject({ title: '😀 buy milk', tags: ['home'], dueAt: '2026-03-07T08:00:00.000Z' });
    expect(berlin('buy milk 🥛🥛 #home !high tomorrow 5pm')).toMatchObject({ title: 'buy milk 🥛🥛', tags: ['home'], priority: 'high' });
    expect(berlin('🎉🎉🎉 party #fun every friday')).toMatchObject({ title: '🎉🎉🎉 party', tags: ['fun'] });
  });

  it('shows the year when the date is not in the current one', () => {
    expect(berlin('x jan 5th at 10').parts[0]?.label).toBe('Tue, Jan 5, 2027, 10:00');
  });
});

describe('quick-add stays browser-safe', () => {
  it('imports only chrono-node, @taskstream/time (browser-safe itself) and its own files, and no Node globals', () => {
    const { files, problems } = browserSafetyProblems(fileURLToPath(new URL('.', import.meta.url)), /^(\.\/|chrono-node(\/en)?$|@taskstream\/time$|@taskstream\/events\/priorities$)/);
    expect(files).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  });
});
