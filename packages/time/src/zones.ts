import { IANAZone } from 'luxon';

/** Whether `zone` is an IANA time zone this runtime knows ("Europe/Berlin"; not "CET+1" or ""). */
export function isValidTimeZone(zone: string): boolean {
  return typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone);
}

/** The zone under its canonical IANA spelling ("europe/berlin" → "Europe/Berlin"), or undefined. */
export function canonicalZone(zone: string): string | undefined {
  if (!isValidTimeZone(zone)) return undefined;
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/**
 * A zone read back from storage, for rendering and defaults: its canonical name, or UTC when it is
 * not one (a row written before every write path validated zones). Intl throws a RangeError on an
 * unknown zone, and one bad row must not fail every request or reminder of that user.
 */
export function zoneOrUtc(zone: string | null | undefined): string {
  return (typeof zone === 'string' && canonicalZone(zone)) || 'UTC';
}

/** Minutes `zone` is ahead of UTC at `instant` (Berlin in summer: 120). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  return IANAZone.create(zone).offset(instant.getTime());
}
