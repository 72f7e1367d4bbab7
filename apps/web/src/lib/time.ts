// Dates are shown and edited in the user's (or the task's) IANA zone, not the browser's.

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    partsFormatters.set(zone, f);
  }
  return f;
}

/** The wall-clock time an instant shows in a zone. */
export function wallTime(instant: Date, zone: string): WallTime {
  const parts = Object.fromEntries(partsFormatter(zone).formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute) };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-MM-DDTHH:mm", the value of an <input type="datetime-local">, for an instant in a zone. */
export function toLocalInput(iso: string | null | undefined, zone: string): string {
  if (!iso) return '';
  const w = wallTime(new Date(iso), zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The instant at which a zone's clock shows the given local date-time (the later one in a gap). */
export function instantFromLocal(local: string, zone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(local);
  if (!m) throw new Error(`not a local date-time: ${local}`);
  const target = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
  // Guess with the offset at the target, then correct once with the offset at the guess.
  let guess = target - offsetMs(new Date(target), zone);
  guess = target - offsetMs(new Date(guess), zone);
  return new Date(guess);
}

function offsetMs(instant: Date, zone: string): number {
  const w = wallTime(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return asUtc - Math.floor(instant.getTime() / 60_000) * 60_000;
}

/** Calendar days from a to b in a zone (0 = same day, 1 = b is tomorrow). */
export function dayDifference(a: Date, b: Date, zone: string): number {
  const wa = wallTime(a, zone);
  const wb = wallTime(b, zone);
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
  const sameYear = wallTime(at, zone).year === wallTime(now, zone).year;
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
