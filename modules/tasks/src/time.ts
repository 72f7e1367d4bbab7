import { DateTime } from 'luxon';
import { fromWallClock } from '@taskstream/time';

const localOrInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A due date is an ISO instant ("…Z" or with an offset) or a wall-clock time without offset,
 * which means that time in the task's zone ("2026-12-01T09:00" in Europe/Berlin).
 */
export function parseDateTime(value: string, zone: string): Date | undefined {
  const form = localOrInstant.exec(value);
  if (!form) return undefined;
  if (form[3]) {
    const instant = DateTime.fromISO(value, { setZone: false });
    return instant.isValid ? instant.toJSDate() : undefined;
  }
  // A local time: resolved like every other local time here (@taskstream/time), not by luxon, whose
  // answer for the repeated hour of a fall-back depended on the date the server was running.
  const wall = DateTime.fromISO(value, { zone: 'utc' });
  return wall.isValid ? fromWallClock(wall.toJSDate(), zone) : undefined;
}

export const DATE_TIME_HINT =
  'must be an ISO 8601 date-time: an instant like 2026-12-01T08:00:00Z, or a local time like 2026-12-01T09:00 in the task\'s zone';
