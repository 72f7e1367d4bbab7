import { countOf, isValidSpec, RECURRENCE_FORMS, SUFFIXES } from './recurrence-patterns.js';
import { describeSpec, type RecurrenceSpec } from './recurrence-spec.js';
import { instantOfResult, readDates, type DateContext } from './read-dates.js';
import type { Scan } from './scan.js';

/** Reads "until <date>" at `from`; returns the instant and where the date ends. */
function readUntil(text: string, from: number, ctx: DateContext): { until: Date; end: number } | undefined {
  const rest = text.slice(from);
  const lead = rest.length - rest.trimStart().length;
  // "until Friday" includes Friday.
  const endOfDay = { ...ctx, defaultTime: { hour: 23, minute: 59 } };
  const first = readDates(rest, endOfDay)[0];
  if (first === undefined || first.index !== lead) return undefined;
  return { until: instantOfResult(first, endOfDay), end: from + lead + first.text.length };
}

function dayLabel(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, month: 'short', day: 'numeric', year: 'numeric' }).format(instant);
}

/** Extends a recurrence with "after completion", "5 times" and "until …" that follow it. */
function readSuffixes(text: string, start: number, spec: RecurrenceSpec, ctx: DateContext): number {
  let end = start;
  for (let round = 0; round < 3; round++) {
    const rest = text.slice(end);
    const completion = SUFFIXES.completion.exec(rest);
    if (completion) {
      spec.fromCompletion = true;
      end += completion[0].length;
      continue;
    }
    const count = SUFFIXES.count.exec(rest);
    if (count && spec.count === undefined && spec.until === undefined) {
      spec.count = countOf(count[1] ?? count[2] ?? '1');
      end += count[0].length;
      continue;
    }
    const until = SUFFIXES.until.exec(rest);
    const date = until && spec.count === undefined && spec.until === undefined ? readUntil(text, end + until[0].length, ctx) : undefined;
    if (date === undefined) break;
    spec.until = date.until.toISOString();
    spec.untilLabel = dayLabel(date.until, ctx.zone);
    end = date.end;
  }
  return end;
}

const LOOSE_SUFFIX = /(?<![\p{L}\p{N}])(?:(?:for\s+)?(?:\d{1,4}|three|four|five|six|seven|eight|nine|ten)\s+times|(?:after|from)\s+completion|until\s+)/giu;

/** "… at 8am for 10 times": ending and completion phrases need not follow the recurrence directly. */
function extractLooseSuffixes(scan: Scan, spec: RecurrenceSpec, ctx: DateContext): void {
  const text = scan.masked();
  for (const match of text.matchAll(LOOSE_SUFFIX)) {
    if (!scan.isFree(match.index, match.index + match[0].length)) continue;
    const before = { ...spec };
    const end = readSuffixes(text, match.index, spec, ctx);
    if (end === match.index) continue;
    const added = describeSpec({ ...spec, fromCompletion: spec.fromCompletion && !before.fromCompletion })
      .replace(/^[^,]*,?\s*/, '');
    scan.take('recurrence', match.index, end, added || describeSpec(spec));
  }
}

/** The first recurrence phrase ("every month on the 1st", "every! 3 days", "weekly on mon, thu"). */
export function extractRecurrence(scan: Scan, ctx: DateContext): RecurrenceSpec | null {
  const text = scan.masked();
  for (const form of RECURRENCE_FORMS) {
    for (const match of text.matchAll(form.pattern)) {
      const matchEnd = match.index + match[0].length;
      if (!scan.isFree(match.index, matchEnd)) continue;
      const base = form.build(match.groups ?? {});
      if (!isValidSpec(base)) continue;
      const spec: RecurrenceSpec = { ...base, fromCompletion: match.groups?.bang === '!' };
      const end = readSuffixes(text, matchEnd, spec, ctx);
      scan.take('recurrence', match.index, end, describeSpec(spec));
      extractLooseSuffixes(scan, spec, ctx);
      const main = scan.parts.find((p) => p.kind === 'recurrence' && p.start === match.index);
      if (main) main.label = describeSpec(spec);
      return spec;
    }
  }
  return null;
}
