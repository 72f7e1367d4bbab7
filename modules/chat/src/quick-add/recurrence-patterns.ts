import type { RecurrenceSpec } from './recurrence-spec.js';

/*
 * English recurrence phrases. Tokens in braces expand to the pieces below; each
 * pattern names the groups its builder reads. Order matters: the specific forms
 * ("every month on the 1st") come before the general ones ("every month").
 */

const WEEKDAY = '(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:s|nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)s?';
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const NUMBER_WORDS = ['other', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

const TOKENS: Record<string, string> = {
  EVERY: '\\b(?:every(?<bang>!)?|each)\\s+',
  NUM: `(?:(?<num>\\d{1,3}|${NUMBER_WORDS.join('|')})\\s+)?`,
  WDLIST: `(?<days>${WEEKDAY}(?:(?:\\s*,\\s*(?:and\\s+)?|\\s+and\\s+|\\s*&\\s*|\\s+)${WEEKDAY})*)`,
  WD: `(?<day>${WEEKDAY})`,
  NTH: '(?<nth>first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)',
  MDAY: '(?<mday>\\d{1,2}(?:st|nd|rd|th)?|first|last(?:\\s+day)?)',
  MDAY_ORD: '(?<mday>\\d{1,2}(?:st|nd|rd|th)|last\\s+day)',
  DATE: `(?:(?<mon1>${MONTH})\\s+(?<d1>\\d{1,2})(?:st|nd|rd|th)?|(?:the\\s+)?(?<d2>\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?<mon2>${MONTH}))`,
  OF_MONTH: '(?:\\s+of\\s+(?:the|every|each)\\s+month)?',
  END: '(?![\\p{L}\\p{N}])',
};

type Groups = Record<string, string | undefined>;
type Build = (g: Groups) => Omit<RecurrenceSpec, 'fromCompletion'>;

const RRULE_INDEX: Record<string, number> = { su: 0, mo: 1, tu: 2, we: 3, th: 4, fr: 5, sa: 6 };
const MONTH_INDEX = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const NTH: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, last: -1 };

function interval(g: Groups): number {
  const num = g.num?.toLowerCase();
  if (num === undefined) return 1;
  const word = NUMBER_WORDS.indexOf(num);
  return word >= 0 ? word + 2 : Math.max(1, Number(num));
}

function weekday(text: string): number {
  return RRULE_INDEX[text.toLowerCase().slice(0, 2)] ?? 1;
}

function weekdays(list: string): Array<{ day: number }> {
  const days = [...list.matchAll(new RegExp(WEEKDAY, 'giu'))].map((m) => weekday(m[0]));
  return [...new Set(days)].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((day) => ({ day }));
}

function nth(text: string): number {
  return NTH[text.toLowerCase()] ?? Number(text.replace(/\D/g, ''));
}

function monthDay(text: string): number {
  const t = text.toLowerCase();
  if (t.startsWith('last')) return -1;
  if (t === 'first') return 1;
  return Number(t.replace(/\D/g, ''));
}

function month(text: string): number {
  return MONTH_INDEX.indexOf(text.toLowerCase().slice(0, 3)) + 1;
}

const WEEKDAYS = [1, 2, 3, 4, 5].map((day) => ({ day }));

const FORMS: Array<[string, Build]> = [
  ['{EVERY}(?:week|work|business)\\s*days?{END}', () => ({ freq: 'WEEKLY', interval: 1, byDay: WEEKDAYS })],
  ['\\b(?:on\\s+)?weekdays{END}', () => ({ freq: 'WEEKLY', interval: 1, byDay: WEEKDAYS })],
  ['{EVERY}weekends?(?:\\s+days?)?{END}', () => ({ freq: 'WEEKLY', interval: 1, byDay: [{ day: 6 }, { day: 0 }] })],
  ['\\b(?:on\\s+)?weekends{END}', () => ({ freq: 'WEEKLY', interval: 1, byDay: [{ day: 6 }, { day: 0 }] })],
  ['{EVERY}{NUM}(?:hours?|hrs?){END}', (g) => ({ freq: 'HOURLY', interval: interval(g) })],
  ['\\bhourly{END}', () => ({ freq: 'HOURLY', interval: 1 })],
  ['{EVERY}{NUM}days?{END}', (g) => ({ freq: 'DAILY', interval: interval(g) })],
  ['\\bdaily{END}', () => ({ freq: 'DAILY', interval: 1 })],
  ['{EVERY}{NUM}weeks?(?:\\s+on\\s+{WDLIST})?{END}', (g) => ({ freq: 'WEEKLY', interval: interval(g), ...(g.days ? { byDay: weekdays(g.days) } : {}) })],
  ['\\bweekly(?:\\s+on\\s+{WDLIST})?{END}', (g) => ({ freq: 'WEEKLY', interval: 1, ...(g.days ? { byDay: weekdays(g.days) } : {}) })],
  ['\\b(?:fortnightly|bi-?weekly)(?:\\s+on\\s+{WDLIST})?{END}', (g) => ({ freq: 'WEEKLY', interval: 2, ...(g.days ? { byDay: weekdays(g.days) } : {}) })],
  ['{EVERY}{NUM}months?\\s+on\\s+the\\s+{NTH}\\s+{WD}{END}', (g) => ({ freq: 'MONTHLY', interval: interval(g), byDay: [{ day: weekday(g.day ?? ''), nth: nth(g.nth ?? '') }] })],
  ['\\bmonthly\\s+on\\s+the\\s+{NTH}\\s+{WD}{END}', (g) => ({ freq: 'MONTHLY', interval: 1, byDay: [{ day: weekday(g.day ?? ''), nth: nth(g.nth ?? '') }] })],
  ['{EVERY}{NTH}\\s+{WD}{OF_MONTH}{END}', (g) => ({ freq: 'MONTHLY', interval: 1, byDay: [{ day: weekday(g.day ?? ''), nth: nth(g.nth ?? '') }] })],
  ['\\bon\\s+the\\s+{NTH}\\s+{WD}\\s+of\\s+(?:every|each)\\s+month{END}', (g) => ({ freq: 'MONTHLY', interval: 1, byDay: [{ day: weekday(g.day ?? ''), nth: nth(g.nth ?? '') }] })],
  ['{EVERY}{NUM}months?\\s+on\\s+(?:the\\s+)?{MDAY}{END}', (g) => ({ freq: 'MONTHLY', interval: interval(g), byMonthDay: monthDay(g.mday ?? '') })],
  ['\\bmonthly\\s+on\\s+(?:the\\s+)?{MDAY}{END}', (g) => ({ freq: 'MONTHLY', interval: 1, byMonthDay: monthDay(g.mday ?? '') })],
  ['{EVERY}(?:the\\s+)?{MDAY_ORD}{OF_MONTH}{END}', (g) => ({ freq: 'MONTHLY', interval: 1, byMonthDay: monthDay(g.mday ?? '') })],
  ['\\bon\\s+the\\s+{MDAY}\\s+of\\s+(?:every|each)\\s+month{END}', (g) => ({ freq: 'MONTHLY', interval: 1, byMonthDay: monthDay(g.mday ?? '') })],
  ['{EVERY}{NUM}months?{END}', (g) => ({ freq: 'MONTHLY', interval: interval(g) })],
  ['\\bmonthly{END}', () => ({ freq: 'MONTHLY', interval: 1 })],
  ['{EVERY}{NUM}years?\\s+on\\s+{DATE}{END}', (g) => yearlyOn(g, interval(g))],
  ['\\b(?:yearly|annually)\\s+on\\s+{DATE}{END}', (g) => yearlyOn(g, 1)],
  ['{EVERY}{DATE}{END}', (g) => yearlyOn(g, 1)],
  ['{EVERY}{NUM}years?{END}', (g) => ({ freq: 'YEARLY', interval: interval(g) })],
  ['\\b(?:yearly|annually){END}', () => ({ freq: 'YEARLY', interval: 1 })],
  ['{EVERY}(?:(?<other>other)\\s+)?{WDLIST}{END}', (g) => ({ freq: 'WEEKLY', interval: g.other ? 2 : 1, byDay: weekdays(g.days ?? '') })],
];

function yearlyOn(g: Groups, every: number): Omit<RecurrenceSpec, 'fromCompletion'> {
  const byMonth = month(g.mon1 ?? g.mon2 ?? '');
  const byMonthDay = Number(g.d1 ?? g.d2);
  return { freq: 'YEARLY', interval: every, byMonth, byMonthDay };
}

function compile(source: string): RegExp {
  return new RegExp(source.replace(/\{([A-Z_]+)\}/g, (_, name: string) => TOKENS[name] ?? ''), 'giu');
}

export const RECURRENCE_FORMS: Array<{ pattern: RegExp; build: Build }> = FORMS.map(([source, build]) => ({
  pattern: compile(source),
  build,
}));

const WORD_COUNTS: Record<string, number> = { once: 1, twice: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** Phrases that may follow a recurrence: "after completion", "5 times", "until …" (the date is read by the caller). */
export const SUFFIXES = {
  completion: /^\s*,?\s*(?:repeat(?:ing|s)?\s+)?(?:after|from)\s+(?:completion|(?:the\s+)?last\s+(?:one\s+)?(?:is\s+)?(?:done|completed)|(?:it\s+is\s+|it's\s+|i\s+|i'm\s+)?(?:complete|completed|done|finished))(?![\p{L}\p{N}])/iu,
  count: /^\s*,?\s*(?:for\s+)?(\d{1,4}|three|four|five|six|seven|eight|nine|ten)\s+times(?![\p{L}\p{N}])|^\s*,?\s*(?:for\s+)?(twice)(?![\p{L}\p{N}])/iu,
  until: /^\s*,?\s*until\s+/iu,
};

export function countOf(text: string): number {
  return WORD_COUNTS[text.toLowerCase()] ?? Number(text);
}

export function isValidSpec(spec: Omit<RecurrenceSpec, 'fromCompletion'>): boolean {
  if (spec.byMonthDay !== undefined && (spec.byMonthDay === 0 || spec.byMonthDay > 31)) return false;
  if (spec.byMonth !== undefined && spec.byMonth < 1) return false;
  if (spec.byMonth !== undefined && spec.byMonthDay !== undefined) {
    const longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][spec.byMonth - 1] ?? 0;
    if (spec.byMonthDay > longest) return false;
  }
  return spec.interval >= 1 && spec.interval <= 1000;
}
