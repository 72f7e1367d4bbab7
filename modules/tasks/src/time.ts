import { DateTime, IANAZone } from 'luxon';

export const isValidZone = (zone: string): boolean => IANAZone.isValidZone(zone);

/** The zone under its canonical IANA spelling ("europe/berlin" → "Europe/Berlin"), or undefined. */
export function canonicalZone(zone: string): string | undefined {
  if (!IANAZone.isValidZone(zone)) return undefined;
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

const localOrInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A due date is an ISO instant ("…Z" or with an offset) or a wall-clock time without offset,
 * which means that time in the task's zone ("2026-12-01T09:00" in Europe/Berlin).
 */
export function parseDateTime(value: string, zone: string): Date | undefined {
  if (!localOrInstant.test(value)) return undefined;
  const dt = DateTime.fromISO(value, { zone, setZone: false });
  return dt.isValid ? dt.toJSDate() : undefined;
}

export const DATE_TIME_HINT =
  'must be an ISO 8601 date-time: an instant like 2026-12-01T08:00:00Z, or a local time like 2026-12-01T09:00 in the task\'s zone';
