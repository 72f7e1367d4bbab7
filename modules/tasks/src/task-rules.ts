import type { NormalizedRecurrence, RecurrencePort, RecurrenceSpec } from './recurrence-port.js';
import { invalid } from './errors.js';
import { canonicalZone } from '@taskstream/time';
import { DATE_TIME_HINT, parseDateTime } from './time.js';

export function resolveZone(zone: string, path = 'timeZone'): string {
  const canonical = canonicalZone(zone);
  if (!canonical) throw invalid(path, `${JSON.stringify(zone)} is not an IANA time zone (e.g. Europe/Berlin, UTC)`);
  return canonical;
}

export function resolveDateTime(value: string, zone: string, path: string): Date {
  const d = parseDateTime(value, zone);
  if (!d) throw invalid(path, `${DATE_TIME_HINT}; got "${value}"`);
  return d;
}

export interface ResolvedReminder {
  remindAt: Date | null;
  offsetMinutes: number | null;
  firesAt: Date | null;
}

export function resolveReminders(
  input: { remindAt?: string | undefined; offsetMinutes?: number | undefined }[],
  dueAt: Date | null,
  zone: string,
): ResolvedReminder[] {
  return input.map((r, i) => {
    if (r.remindAt !== undefined) {
      const at = resolveDateTime(r.remindAt, zone, `reminders.${i}.remindAt`);
      return { remindAt: at, offsetMinutes: null, firesAt: at };
    }
    const offset = r.offsetMinutes ?? 0;
    if (!dueAt) throw invalid(`reminders.${i}.offsetMinutes`, 'a reminder relative to the due time needs the task to have a dueAt');
    return { remindAt: null, offsetMinutes: offset, firesAt: new Date(dueAt.getTime() - offset * 60_000) };
  });
}

/** Recomputes when relative reminders fire after the due time moved. */
export function refireReminders<T extends ResolvedReminder>(reminders: T[], dueAt: Date | null): T[] {
  return reminders.map((r): T => {
    if (r.offsetMinutes === null) return r;
    if (!dueAt) throw invalid('dueAt', 'this task has reminders relative to its due time; remove them before clearing dueAt');
    return { ...r, firesAt: new Date(dueAt.getTime() - r.offsetMinutes * 60_000) };
  });
}

/** Validates and normalizes a recurrence for a task due at `dueAt`, without evaluating its walk. */
export function parseRecurrence(port: RecurrencePort, spec: RecurrenceSpec, dueAt: Date | null, zone: string): NormalizedRecurrence {
  if (!dueAt) throw invalid('recurrence', 'a recurring task needs a dueAt: the first occurrence', 'recurrence_needs_due');
  if (spec.until !== undefined) {
    const until = resolveDateTime(spec.until, zone, 'recurrence.until');
    if (until < dueAt) throw invalid('recurrence.until', 'must not be before the task\'s dueAt');
    spec = { ...spec, until: until.toISOString() };
  }
  const parsed = port.parse(spec);
  if (!parsed.ok) throw invalid('recurrence.rule', parsed.message, 'invalid_recurrence');
  return parsed.value;
}

/** parseRecurrence, and refuses a series that would start at `dueAt` but cannot be evaluated within the walk budget. */
export function resolveRecurrence(port: RecurrencePort, spec: RecurrenceSpec, dueAt: Date | null, zone: string): NormalizedRecurrence {
  const recurrence = parseRecurrence(port, spec, dueAt, zone);
  assertEvaluable(port, recurrence, dueAt!, zone, 'recurrence.rule');
  return recurrence;
}

/** Refuses a series start from which the rule cannot be evaluated within the walk budget. */
export function assertEvaluable(port: RecurrencePort, recurrence: NormalizedRecurrence, anchor: Date, zone: string, path: string): void {
  const checked = port.check(recurrence, anchor, zone);
  if (!checked.ok) throw invalid(path, checked.message, 'recurrence_too_expensive');
}
