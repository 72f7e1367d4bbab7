import type { ParsedResult } from 'chrono-node';
import { readDates, type DateContext } from './read-dates.js';
import type { Scan } from './scan.js';

const TRIGGER = /\b(?:(?:with|and|set)\s+(?:an?\s+)?)?(?:remind(?:er)?(?:\s+me)?|alert(?:\s+me)?|notify(?:\s+me)?)\s+/giu;
// A number may touch its unit ("30m"); a word may not ("and" is not "an d").
const AMOUNT = '(?<![\\p{L}\\p{N}])(?:(\\d{1,6})\\s*|(an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|half\\s+an?)\\s+)';
const UNIT = '(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)(?![\\p{L}])';
const DURATION = new RegExp(AMOUNT + UNIT, 'giu');
const RELATIVE = new RegExp(
  `^(?:the\\s+)?(?:${AMOUNT}${UNIT}(?:\\s*(?:,|and)\\s*|\\s+)?)+(?:before|earlier|ahead|in\\s+advance|prior)(?![\\p{L}])`,
  'iu',
);
const DAY_BEFORE = /^(?:the|a)\s+day\s+(?:before|earlier)(?![\p{L}])/iu;
const AT_DUE = /^(?:at|when)\s+(?:it(?:'s|\s+is)\s+)?(?:due|the\s+due\s+time)(?![\p{L}])/iu;

const AMOUNT_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, ten: 10, fifteen: 15, twenty: 20, thirty: 30 };
const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };

function minutesOf(amount: string, unit: string): number {
  const a = amount.toLowerCase();
  const n = a.startsWith('half') ? 0.5 : (AMOUNT_WORDS[a] ?? Number(a));
  const key = unit.toLowerCase().startsWith('mi') ? 'm' : unit.toLowerCase()[0] ?? 'm';
  return Math.round(n * (UNIT_MINUTES[key] ?? 1));
}

function describeOffset(minutes: number): string {
  if (minutes === 0) return 'at the due time';
  if (minutes % 10080 === 0) return `${minutes / 10080} week${minutes === 10080 ? '' : 's'} before`;
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'} before`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'} before`;
  return `${minutes} min before`;
}

/** A "remind me at 8am" whose instant waits until the due date is known. */
export interface PendingReminder {
  result: ParsedResult;
  start: number;
  end: number;
}

export interface ReminderFindings {
  offsets: number[];
  absolute: PendingReminder[];
}

function relativeAt(rest: string): { minutes: number[]; length: number } | undefined {
  const atDue = AT_DUE.exec(rest);
  if (atDue) return { minutes: [0], length: atDue[0].length };
  const dayBefore = DAY_BEFORE.exec(rest);
  if (dayBefore) return { minutes: [1440], length: dayBefore[0].length };
  const relative = RELATIVE.exec(rest);
  if (!relative) return undefined;
  const minutes = [...relative[0].matchAll(DURATION)].map((m) => minutesOf(m[1] ?? m[2] ?? '0', m[3] ?? 'm'));
  return { minutes, length: relative[0].length };
}

/** "remind me 30 min before", "with a reminder 1 day and 2 hours before", "remind me at 8am". */
export function extractReminders(scan: Scan, ctx: DateContext): ReminderFindings {
  const found: ReminderFindings = { offsets: [], absolute: [] };
  for (const trigger of scan.masked().matchAll(TRIGGER)) {
    const from = trigger.index + trigger[0].length;
    if (!scan.isFree(trigger.index, from)) continue;
    const rest = scan.masked().slice(from);
    const relative = relativeAt(rest);
    if (relative) {
      const kept = relative.minutes.filter((m) => m <= 525_600);
      found.offsets.push(...kept);
      scan.take('reminder', trigger.index, from + relative.length, `Remind ${kept.map(describeOffset).join(' and ')}`);
      continue;
    }
    const date = readDates(rest, ctx)[0];
    if (date === undefined || date.index > 4 || rest.slice(0, date.index).trim() !== '' && !/^\s*(?:at|on)\s+$/i.test(rest.slice(0, date.index))) continue;
    const end = from + date.index + date.text.length;
    found.absolute.push({ result: date, start: trigger.index, end });
    // Labelled once its instant is known; taken now so the due date reader skips it.
    scan.take('reminder', trigger.index, end, '');
  }
  return found;
}
