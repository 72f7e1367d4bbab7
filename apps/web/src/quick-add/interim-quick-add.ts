import { casual } from 'chrono-node/en';
import type { Priority } from '../api/types.js';
import { formatDue, instantFromLocal, wallTime } from '../lib/time.js';
import type { ParseQuickAdd, QuickAddPart, QuickAddResult } from './quick-add-types.js';

// Stand-in for @taskstream/chat/quick-add (same contract): #tags, !priority, "every …",
// "remind me 30m before", and dates through chrono-node, read in the user's zone.

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const BYDAY = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const PRIORITY: Record<string, Priority> = { low: 'low', medium: 'medium', med: 'medium', high: 'high', urgent: 'urgent', '1': 'urgent', '2': 'high', '3': 'medium', '4': 'low' };
const UNIT_MINUTES: Record<string, number> = { m: 1, min: 1, mins: 1, minute: 1, minutes: 1, h: 60, hr: 60, hour: 60, hours: 60, d: 1440, day: 1440, days: 1440 };
const FREQ: Record<string, string> = { day: 'DAILY', days: 'DAILY', week: 'WEEKLY', weeks: 'WEEKLY', month: 'MONTHLY', months: 'MONTHLY', year: 'YEARLY', years: 'YEARLY' };
const ADVERB: Record<string, string> = { daily: 'FREQ=DAILY', weekly: 'FREQ=WEEKLY', monthly: 'FREQ=MONTHLY', yearly: 'FREQ=YEARLY' };

const RECURRENCE = new RegExp(
  String.raw`\b(?:every\s+(?:(other|\d+)\s+)?(weekday|day|days|week|weeks|month|months|year|years|${DAYS.join('|')})` +
    String.raw`(?:\s+on\s+the\s+(\d{1,2})(?:st|nd|rd|th)?)?|(daily|weekly|monthly|yearly))\b`,
  'i',
);

interface Recurrence {
  rule: string;
  label: string;
  weekday?: number;
  monthDay?: number;
}

function recurrenceOf(m: RegExpExecArray): Recurrence {
  if (m[4]) return { rule: ADVERB[m[4].toLowerCase()]!, label: `Every ${m[4].toLowerCase().replace(/ly$/, '').replace('dai', 'day')}` };
  const unit = m[2]!.toLowerCase();
  const interval = m[1]?.toLowerCase() === 'other' ? 2 : m[1] ? Number(m[1]) : 1;
  const every = interval > 1 ? `Every ${interval} ` : 'Every ';
  const int = interval > 1 ? `;INTERVAL=${interval}` : '';
  if (unit === 'weekday') return { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', label: 'Every weekday' };
  const day = DAYS.indexOf(unit);
  if (day >= 0) return { rule: `FREQ=WEEKLY${int};BYDAY=${BYDAY[day]}`, label: `${every}${interval > 1 ? 'weeks on ' : ''}${cap(unit)}`, weekday: day };
  const freq = FREQ[unit]!;
  const monthDay = m[3] ? Number(m[3]) : undefined;
  const base = `${every}${interval > 1 ? unit.replace(/s?$/, 's') : unit.replace(/s$/, '')}`;
  if (freq === 'MONTHLY' && monthDay && monthDay >= 1 && monthDay <= 31) {
    return { rule: `FREQ=MONTHLY${int};BYMONTHDAY=${monthDay}`, label: `${base} on the ${ordinal(monthDay)}`, monthDay };
  }
  return { rule: `FREQ=${freq}${int}`, label: base };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/** A Date whose browser-local fields equal the zone's wall clock, so chrono reckons days in that zone. */
function zoneReference(now: Date, zone: string): Date {
  const w = wallTime(now, zone);
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The first date on or after `from` (a wall date) that the recurrence allows, at hour:minute. */
function firstOccurrence(from: Date, r: Recurrence, hour: number, minute: number, notBefore: Date): Date {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate(), hour, minute);
  for (let i = 0; i < 400; i++) {
    const ok = (r.weekday === undefined || d.getDay() === r.weekday) && (r.monthDay === undefined || d.getDate() === r.monthDay);
    if (ok && d > notBefore) return d;
    d.setDate(d.getDate() + 1);
  }
  return d;
}

export const parseQuickAdd: ParseQuickAdd = (text, { now, timeZone }) => {
  const parts: QuickAddPart[] = [];
  let rest = text;
  const take = (kind: QuickAddPart['kind'], start: number, matched: string, label: string) => {
    parts.push({ kind, text: matched, start, end: start + matched.length, label });
    rest = rest.slice(0, start) + ' '.repeat(matched.length) + rest.slice(start + matched.length);
  };

  const tags: string[] = [];
  for (const m of text.matchAll(/(?<=^|\s)#([\p{L}\p{N}_\-/]+)/gu)) {
    if (!tags.includes(m[1]!)) tags.push(m[1]!);
    take('tag', m.index, m[0], `#${m[1]}`);
  }
  let priority: Priority | null = null;
  const p = /(?<=^|\s)!(low|medium|med|high|urgent|[1-4])\b/i.exec(rest);
  if (p) {
    priority = PRIORITY[p[1]!.toLowerCase()]!;
    take('priority', p.index, p[0], `${cap(priority)} priority`);
  }
  const reminders: QuickAddResult['reminders'] = [];
  const rem = /\bremind(?:\s+me)?\s+(\d+)\s*(m|mins?|minutes?|h|hr|hours?|d|days?)\s+before\b/i.exec(rest);
  if (rem) {
    const minutes = Number(rem[1]) * UNIT_MINUTES[rem[2]!.toLowerCase()]!;
    reminders.push({ offsetMinutes: minutes });
    take('reminder', rem.index, rem[0], `Remind ${rem[1]} ${rem[2]} before`);
  }
  let recurrence: Recurrence | null = null;
  const rec = RECURRENCE.exec(rest);
  if (rec) {
    recurrence = recurrenceOf(rec);
    take('recurrence', rec.index, rec[0], recurrence.label);
  }

  const ref = zoneReference(now, timeZone);
  const found = casual.parse(rest, ref, { forwardDate: true })[0];
  let due: Date | null = null;
  if (found) {
    const s = found.start;
    const hour = s.isCertain('hour') ? s.get('hour')! : 9;
    const minute = s.isCertain('hour') ? (s.get('minute') ?? 0) : 0;
    const dated = s.isCertain('day') || s.isCertain('weekday');
    const wall = dated || !recurrence ? s.date() : firstOccurrence(ref, recurrence, hour, minute, ref);
    if (!s.isCertain('hour') && dated) wall.setHours(9, 0, 0, 0);
    due = wall;
    take('due', found.index, found.text, '');
  } else if (recurrence) {
    due = firstOccurrence(ref, recurrence, 9, 0, ref);
  }
  const dueAt = due
    ? instantFromLocal(`${due.getFullYear()}-${pad(due.getMonth() + 1)}-${pad(due.getDate())}T${pad(due.getHours())}:${pad(due.getMinutes())}`, timeZone).toISOString()
    : null;
  for (const part of parts) if (part.kind === 'due' && dueAt) part.label = `Due ${formatDue(dueAt, timeZone, now)}`;

  const title = rest.replace(/\s+/g, ' ').trim() || text.trim();
  return {
    title,
    dueAt,
    priority,
    tags,
    recurrence: recurrence ? { rule: recurrence.rule, repeatFrom: 'due' } : null,
    reminders,
    parts: parts.sort((a, b) => a.start - b.start),
  };
};
