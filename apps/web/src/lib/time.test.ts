import { describe, expect, it } from 'vitest';
import { wallOf } from '@taskstream/time';
import { dayDifference, formatDue, instantFromLocal, toLocalInput } from './time.js';

describe('zone arithmetic', () => {
  it('reads a local date-time in the zone, across daylight saving changes', () => {
    expect(instantFromLocal('2026-03-28T09:00', 'Europe/Berlin').toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(instantFromLocal('2026-03-30T09:00', 'Europe/Berlin').toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(instantFromLocal('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(instantFromLocal('2026-06-01T00:00', 'Asia/Kolkata').toISOString()).toBe('2026-05-31T18:30:00.000Z');
  });

  it('resolves the repeated and the missing hour as the server does', () => {
    // 02:30 twice in Berlin on 2026-10-25: the first (CEST); 02:30 missing on 2026-03-29: 03:30 CEST.
    expect(instantFromLocal('2026-10-25T02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(instantFromLocal('2026-03-29T02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('turns an instant into the value of a datetime-local input in the zone', () => {
    expect(toLocalInput('2026-12-01T08:00:00.000Z', 'Europe/Berlin')).toBe('2026-12-01T09:00');
    expect(toLocalInput('2026-12-01T08:00:00.000Z', 'Pacific/Auckland')).toBe('2026-12-01T21:00');
    expect(toLocalInput(null, 'UTC')).toBe('');
  });

  it('counts calendar days in the zone, not in UTC', () => {
    const now = new Date('2026-11-26T22:30:00Z'); // 23:30 in Berlin
    expect(dayDifference(now, new Date('2026-11-26T23:30:00Z'), 'Europe/Berlin')).toBe(1);
    expect(dayDifference(now, new Date('2026-11-26T23:30:00Z'), 'UTC')).toBe(0);
    expect(wallOf(now, 'Europe/Berlin')).toMatchObject({ day: 26, hour: 23, minute: 30 });
  });

  // Times follow the browser's locale (24 h or AM/PM); the day words are what this checks.
  it('labels due dates relative to today in the zone', () => {
    const now = new Date('2026-11-26T10:00:00Z');
    expect(formatDue('2026-11-26T17:00:00Z', 'Europe/Berlin', now)).toMatch(/^Today (18:00|06:00\sPM)$/);
    expect(formatDue('2026-11-27T08:00:00Z', 'Europe/Berlin', now)).toMatch(/^Tomorrow (09:00|09:00\sAM)$/);
    expect(formatDue('2027-02-01T08:00:00Z', 'Europe/Berlin', now)).toMatch(/2027/);
  });
});
