import { CronExpressionParser } from 'cron-parser';
import { RecurrenceRuleError } from './recurrence-rule-error.js';
import { CRON_HASH_SEED } from './walk-cron.js';

const CRON_TOKEN = /^[A-Za-z0-9*?/,#-]+$/;
const PROBE_FROM = new Date(Date.UTC(2000, 0, 1));

/** True when the text is shaped like a cron line (whitespace-separated cron tokens), whatever its field count. */
export function looksLikeCron(text: string): boolean {
  const fields = text.trim().split(/\s+/);
  return fields.length >= 5 && fields.every((field) => CRON_TOKEN.test(field));
}

/** Validates a 5-field cron expression and returns it with single spaces. */
export function parseCron(text: string): string {
  const fields = text.trim().split(/\s+/);
  if (fields.length === 6 || fields.length === 7) {
    throw new RecurrenceRuleError(`cron must have 5 fields (minute hour day month weekday); got ${fields.length} — seconds and years are not supported`);
  }
  if (fields.length !== 5) throw new RecurrenceRuleError(`cron must have 5 fields; got ${fields.length}`);
  const expression = fields.join(' ');
  let minutes: readonly unknown[];
  try {
    const cron = CronExpressionParser.parse(expression, { currentDate: PROBE_FROM, tz: 'UTC', hashSeed: CRON_HASH_SEED });
    minutes = cron.fields.minute.values;
    cron.next();
  } catch (error) {
    throw new RecurrenceRuleError(`invalid cron "${expression}": ${(error as Error).message}`);
  }
  // Mirrors the RRULE limit: at most one occurrence an hour.
  if (minutes.length !== 1) {
    throw new RecurrenceRuleError(`cron "${expression}" fires more than once an hour, too frequent for a task`);
  }
  return expression;
}
