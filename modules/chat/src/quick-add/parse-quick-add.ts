import type { ParsedResult } from 'chrono-node';
import { firstOccurrence } from './first-occurrence.js';
import { extractPriority } from './priority-part.js';
import type { QuickAddOptions, QuickAddReminder, QuickAddResult } from './quick-add-types.js';
import { hasDate, hasTime, instantOfResult, readDates, type DateContext } from './read-dates.js';
import { extractRecurrence } from './recurrence-part.js';
import { ruleOf, type RecurrenceSpec } from './recurrence-spec.js';
import { extractReminders, type PendingReminder } from './reminder-part.js';
import { Scan } from './scan.js';
import { extractTags } from './tag-part.js';
import { titleOf, withPreposition } from './title.js';
import { isValidTimeZone, wallOf, type WallTime } from '@taskstream/time';
import { formatInZone } from './format-in-zone.js';

interface DuePhrases {
  date?: ParsedResult;
  time?: ParsedResult;
}

/** The date phrase, and a separate time phrase when the date came without one. */
function pickDuePhrases(results: ParsedResult[]): DuePhrases {
  const first = results[0];
  if (first === undefined) return {};
  if (hasDate(first) && hasTime(first)) return { date: first };
  if (hasDate(first)) return { date: first, time: results.find((r) => hasTime(r) && !hasDate(r)) };
  if (hasTime(first)) return { time: first, date: results.find((r) => hasDate(r) && !hasTime(r)) };
  return {};
}

function localDate(result: ParsedResult, ctx: DateContext): WallTime {
  return wallOf(instantOfResult(result, ctx), ctx.zone);
}

function dueOf(phrases: DuePhrases, spec: RecurrenceSpec | null, ctx: DateContext): Date | null {
  const { date, time } = phrases;
  if (spec !== null) {
    const from = date ? localDate(date, ctx) : wallOf(ctx.now, ctx.zone);
    const clock = time ? localDate(time, ctx) : date && hasTime(date) ? from : ctx.defaultTime;
    const after = date ? new Date(Math.min(ctx.now.getTime(), instantOfResult(date, ctx).getTime() - 1)) : ctx.now;
    return firstOccurrence(spec, from, { hour: clock.hour, minute: clock.minute }, after, ctx.zone);
  }
  if (date && time) return instantOfResult(time, ctx, localDate(date, ctx));
  const only = date ?? time;
  return only ? instantOfResult(only, ctx) : null;
}

/** Marks the due phrases as parts, skipping characters other parts already hold. */
function takeDue(scan: Scan, phrases: DuePhrases, origin: number[], label: string): void {
  for (const phrase of [phrases.date, phrases.time]) {
    if (phrase === undefined) continue;
    const start = withPreposition(scan.text, origin[phrase.index] ?? 0);
    const end = (origin[phrase.index + phrase.text.length - 1] ?? 0) + 1;
    for (const [s, e] of scan.freeSegments(start, end)) scan.take('due', s, e, label);
  }
}

function resolveReminders(scan: Scan, pending: PendingReminder[], due: Date | null, ctx: DateContext): QuickAddReminder[] {
  return pending.map((reminder) => {
    const onDate = due && !hasDate(reminder.result) ? wallOf(due, ctx.zone) : undefined;
    const at = instantOfResult(reminder.result, ctx, onDate);
    const part = scan.parts.find((p) => p.kind === 'reminder' && p.start === reminder.start);
    if (part) part.label = `Remind at ${formatInZone(at, ctx.zone, ctx.now)}`;
    return { remindAt: at.toISOString() };
  });
}

/**
 * Reads a one-line task: "Pay rent every month on the 1st 9am #home !high".
 * Pure and browser-safe: the clock and zone come in as options.
 */
export function parseQuickAdd(text: string, options: QuickAddOptions): QuickAddResult {
  if (!isValidTimeZone(options.timeZone)) throw new RangeError(`Unknown time zone: ${options.timeZone}`);
  const ctx: DateContext = { now: options.now, zone: options.timeZone, defaultTime: options.defaultTime ?? { hour: 9, minute: 0 } };
  const scan = new Scan(text);
  const spec = extractRecurrence(scan, ctx);
  const reminders = extractReminders(scan, ctx);
  const priority = extractPriority(scan);
  const tags = extractTags(scan);
  const compact = scan.compact();
  const phrases = pickDuePhrases(readDates(compact.text, ctx));
  const due = dueOf(phrases, spec, ctx);
  if (due) takeDue(scan, phrases, compact.origin, formatInZone(due, ctx.zone, ctx.now));
  const absolute = resolveReminders(scan, reminders.absolute, due, ctx);
  const parts = [...scan.parts].sort((a, b) => a.start - b.start);
  return {
    title: titleOf(scan),
    dueAt: due?.toISOString() ?? null,
    priority,
    tags,
    recurrence: spec ? { rule: ruleOf(spec), repeatFrom: spec.fromCompletion ? 'completion' : 'due' } : null,
    reminders: [...reminders.offsets.map((offsetMinutes) => ({ offsetMinutes })), ...absolute],
    parts,
  };
}
