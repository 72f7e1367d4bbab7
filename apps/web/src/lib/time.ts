// Dates are shown and edited in the user's (or the task's) IANA zone, not the browser's.

import { instantOf, wallOf, type WallTime } from '@taskstream/time';

const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-MM-DDTHH:mm", the value of an <input type="datetime-local">, for an instant in a zone. */
export function toLocalInput(iso: string | null | undefined, zone: string): string {
  if (!iso) return '';
  const w = wallOf(new Date(iso), zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The wall time a local date-time input shows: "YYYY-MM-DDTHH:mm", or "YYYY-MM-DD" for midnight. */
export function wallFromLocal(local: string): WallTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(local);
  if (!m) throw new Error(`not a local date-time: ${local}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0) };
}

/**
 * The instant at which a zone's clock shows the given local date-time ("YYYY-MM-DD" is midnight),
 * resolved as the server resolves local times (@taskstream/time): the first of a repeated hour,
 * a time in a spring-forward gap moved forward by the gap.
 */
export function instantFromLocal(local: string, zone: string): Date {
  return instantOf(wallFromLocal(local), zone);
}

/** Calendar days from a to b in a zone (0 = same day, 1 = b is tomorrow). */
export function dayDifference(a: Date, b: Date, zone: string): number {
  const wa = wallOf(a, zone);
  const wb = wallOf(b, zone);
  return Math.round((Date.UTC(wb.year, wb.month - 1, wb.day) - Date.UTC(wa.year, wa.month - 1, wa.day)) / 86_400_000);
}

/** A short, human due label: "Today 09:00", "Tomorrow", "Mon 3 Nov 09:00", "3 Nov 2027". */
export function formatDue(iso: string, zone: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const days = dayDifference(now, at, zone);
  const time = new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(at);
  if (days === 0) return `Today ${time}`;
  if (days === 1) return `Tomorrow ${time}`;
  if (days === -1) return `Yesterday ${time}`;
  const sameYear = wallOf(at, zone).year === wallOf(now, zone).year;
  const date = new Intl.DateTimeFormat(undefined, {
    timeZone: zone,
    weekday: Math.abs(days) < 7 ? 'short' : undefined,
    day: 'numeric',
    month: 'short',
    year: sameYear ? undefined : 'numeric',
  }).format(at);
  return `${date} ${time}`;
}

/** A full date and time in a zone, for titles and lists of occurrences. */
export function formatDateTime(iso: string, zone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatRelative(iso: string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

export function detectTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
