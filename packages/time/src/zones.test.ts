import { describe, expect, it } from 'vitest';
import { zoneOrUtc } from './zones.js';

describe('zoneOrUtc', () => {
  it('gives a stored IANA zone back under its canonical spelling', () => {
    expect(zoneOrUtc('Europe/Berlin')).toBe('Europe/Berlin');
    expect(zoneOrUtc('europe/berlin')).toBe('Europe/Berlin');
    expect(zoneOrUtc('UTC')).toBe('UTC');
  });

  it('reads a stored zone that is not IANA as UTC, so rendering with it cannot throw', () => {
    for (const bad of ['Nope/Nope', '', 'CET+1', null, undefined]) {
      const zone = zoneOrUtc(bad);
      expect(zone).toBe('UTC');
      expect(() => new Intl.DateTimeFormat('en-GB', { timeZone: zone }).format(new Date(0))).not.toThrow();
    }
  });
});
