import { describe, expect, it } from 'vitest';
import { isValidTimeZone } from './zones.js';
import { fromWallClock, toWallClock } from './wall-clock.js';

const wall = (iso: string) => new Date(`${iso}Z`);
const instant = (iso: string, zone: string) => fromWallClock(wall(iso), zone).toISOString();

describe('fromWallClock', () => {
  it('maps ordinary local times with the offset in force', () => {
    expect(instant('2026-01-15T09:00:00', 'Europe/Berlin')).toBe('2026-01-15T08:00:00.000Z');
    expect(instant('2026-07-15T09:00:00', 'Europe/Berlin')).toBe('2026-07-15T07:00:00.000Z');
    expect(instant('2026-07-15T09:00:00', 'Asia/Kolkata')).toBe('2026-07-15T03:30:00.000Z');
    expect(instant('2026-07-15T09:00:00', 'UTC')).toBe('2026-07-15T09:00:00.000Z');
  });

  it('shifts a nonexistent spring-forward time forward by the gap', () => {
    expect(instant('2026-03-08T02:30:00', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    expect(instant('2026-10-04T02:30:00', 'Australia/Sydney')).toBe('2026-10-03T16:30:00.000Z'); // 03:30 AEDT
    expect(instant('2026-03-29T02:30:00', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
  });

  it('resolves an ambiguous fall-back time to the earlier instant', () => {
    expect(instant('2026-11-01T01:30:00', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z'); // EDT, not EST
    expect(instant('2026-04-05T02:30:00', 'Australia/Sydney')).toBe('2026-04-04T15:30:00.000Z'); // AEDT
    expect(instant('2026-10-25T02:30:00', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z'); // CEST
  });

  it('handles quarter-hour offsets (Chatham +12:45 / +13:45)', () => {
    expect(instant('2026-07-01T09:00:00', 'Pacific/Chatham')).toBe('2026-06-30T20:15:00.000Z');
    expect(instant('2026-01-01T09:00:00', 'Pacific/Chatham')).toBe('2025-12-31T19:15:00.000Z');
  });
});

describe('toWallClock', () => {
  it('gives the local wall time as fake-UTC fields', () => {
    expect(toWallClock(new Date('2026-11-01T05:30:00Z'), 'America/New_York').toISOString()).toBe('2026-11-01T01:30:00.000Z');
    expect(toWallClock(new Date('2026-11-01T06:30:00Z'), 'America/New_York').toISOString()).toBe('2026-11-01T01:30:00.000Z');
    expect(toWallClock(new Date('2026-05-10T20:00:00Z'), 'Asia/Kolkata').toISOString()).toBe('2026-05-11T01:30:00.000Z');
  });
});

describe('isValidTimeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Pacific/Chatham', 'Asia/Kolkata'])('accepts %s', (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });

  it.each(['', 'Mars/Olympus', 'Berlin', 'CEST+2'])('rejects %j', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
});
