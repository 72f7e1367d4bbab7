import { z } from 'zod';
import { looksLikeCron, parseCron } from './parse-cron.js';
import type { Recurrence, RecurrenceInput } from './recurrence.js';
import { presetRule } from './recurrence-presets.js';
import { RecurrenceRuleError } from './recurrence-rule-error.js';
import { parseRruleBody, type RruleBody } from './rrule-body.js';
import { walkRrule } from './walk-rrule.js';

const inputSchema = z.object({
  rule: z.string({ error: 'rule must be a string' }),
  repeatFrom: z.enum(['due', 'completion'], { error: "repeatFrom must be 'due' or 'completion'" }).nullish(),
  count: z.number({ error: 'count must be a number' }).int('count must be a whole number')
    .min(1, 'count must be at least 1').max(1000, 'count must be at most 1000').nullish(),
  until: z.iso.datetime({ offset: true, error: 'until must be an ISO 8601 instant like 2027-01-31T00:00:00Z' }).nullish(),
});

// Probe start: the 1st of January exists in every month and year, so defaults
// rrule.js takes from DTSTART (day of month, month) cannot make a sound rule look empty.
const PROBE_START = new Date(Date.UTC(2000, 0, 1));

function fail(message: string, field = 'recurrence.rule'): never {
  throw new RecurrenceRuleError(message, field);
}

function validInput(input: RecurrenceInput): z.infer<typeof inputSchema> {
  const parsed = inputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  fail(issue?.message ?? 'invalid recurrence', path ? `recurrence.${path}` : 'recurrence');
}

function parseRrule(text: string): RruleBody {
  if (/\bDTSTART\b/i.test(text)) fail('DTSTART is not allowed in the rule; the first due date is the start');
  if (/\bTZID\b/i.test(text)) fail('TZID is not allowed in the rule; the time zone comes from the task');
  const parsed = parseRruleBody(text.replace(/^\s*RRULE:/i, ''));
  let found = false;
  // INTERVAL=1 so an interval that misses this particular probe start cannot reject a sound rule.
  walkRrule(parsed.body, PROBE_START, () => ((found = true), false), { interval: 1 });
  if (!found) fail(`RRULE ${parsed.body} never produces an occurrence`);
  return parsed;
}

function parseRule(rule: string): { kind: Recurrence['kind'] } & RruleBody {
  const text = rule.trim();
  if (text === '') fail('rule is empty; use a preset, an RRULE or a cron expression');
  const preset = presetRule(text);
  if (preset !== undefined) return { kind: 'rrule', body: preset, count: null, until: null };
  if (/FREQ\s*=|^RRULE:|^[A-Z]+=/i.test(text)) return { kind: 'rrule', ...parseRrule(text) };
  if (looksLikeCron(text)) return { kind: 'cron', body: parseCron(text), count: null, until: null };
  return fail(`"${text}" is not a preset (daily, weekdays, weekly, monthly, yearly), an RRULE or a 5-field cron`);
}

/** Validates and normalizes recurrence input; throws RecurrenceRuleError saying what is wrong. */
export function parseRecurrence(input: RecurrenceInput): Recurrence {
  const data = validInput(input);
  const rule = parseRule(data.rule);
  const count = data.count ?? null;
  const until = data.until == null ? null : new Date(data.until).toISOString();
  if (rule.count !== null && count !== null) fail('COUNT is given both in the rule and as count; give it once', 'recurrence.count');
  if (rule.until !== null && until !== null) fail('UNTIL is given both in the rule and as until; give it once', 'recurrence.until');
  return {
    kind: rule.kind,
    rule: rule.body,
    repeatFrom: data.repeatFrom ?? 'due',
    count: rule.count ?? count,
    until: rule.until ?? until,
  };
}
