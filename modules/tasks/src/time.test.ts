import { Settings } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDateTime } from './time.js';

const realNow = Settings.now;
afterEach(() => {
  Settings.now = realNow;
});

/** Runs `read` as if the server's clock said `at` (luxon reads the clock through Settings.now). */
function onServerDate<T>(at: string, read: () => T): T {
  Settings.now = () => Date.parse(at);
  return read();
}

describe('parseDateTime', () => {
  it('reads an instant as given, whatever the zone', () => {
    expect(parseDateTime('2026-12-01T08:00:00Z', 'Europe/Berlin')?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(parseDateTime('2026-12-01T09:00+01:00', 'America/New_York')?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });

  it('reads a local time in the zone, with seconds and fractions', () => {
    expect(parseDateTime('2026-12-01T09:00', 'Europe/Berlin')?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(parseDateTime('2026-07-01T09:00:30.250', 'Europe/Berlin')?.toISOString()).toBe('2026-07-01T07:00:30.250Z');
  });

  it('resolves the repeated hour of a fall-back to its first occurrence, on any server date', () => {
    // 02:30 happens twice in Berlin on 2026-10-25 (CEST, then CET). luxon alone answered by the
    // offset in force on the server's date: 00:30Z in summer, 01:30Z in winter.
    for (const serverDate of ['2026-07-01T00:00:00Z', '2026-12-01T00:00:00Z']) {
      expect(onServerDate(serverDate, () => parseDateTime('2026-10-25T02:30', 'Europe/Berlin')?.toISOString())).toBe('2026-10-25T00:30:00.000Z');
    }
  });

  it('moves a time in the spring-forward gap forward by the gap, on any server date', () => {
    for (const serverDate of ['2026-07-01T00:00:00Z', '2026-12-01T00:00:00Z']) {
      // 02:30 does not exist in Berlin on 2026-03-29: it becomes 03:30 CEST.
      expect(onServerDate(serverDate, () => parseDateTime('2026-03-29T02:30', 'Europe/Berlin')?.toISOString())).toBe('2026-03-29T01:30:00.000Z');
    }
  });

  it('refuses what is not an ISO date-time or not a real date', () => {
    for (const bad of ['tomorrow', '2026-13-01T09:00', '2026-02-30T09:00', '2026-12-01', '2026-12-01T25:00', '']) {
      expect(parseDateTime(bad, 'Europe/Berlin'), bad).toBeUndefined();
    }
  });
});
