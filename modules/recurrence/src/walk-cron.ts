import { CronExpressionParser } from 'cron-parser';

// Fixed so that hashed fields ("H 9 * * *") resolve the same on every call.
export const CRON_HASH_SEED = 'taskstream';
const MAX_STEPS = 100_000;

/**
 * Visits cron matches in wall-clock space (the parser runs in UTC on fake-UTC
 * dates) from `from` inclusive, until `visit` returns false. Iterating wall
 * clocks rather than using the parser's tz option gives cron and RRULE the same
 * DST semantics.
 */
export function walkCron(expression: string, from: Date, visit: (wall: Date) => boolean): void {
  const cron = CronExpressionParser.parse(expression, {
    currentDate: new Date(from.getTime() - 1),
    tz: 'UTC',
    hashSeed: CRON_HASH_SEED,
  });
  for (let step = 0; step < MAX_STEPS; step++) {
    let next: Date;
    try {
      next = cron.next().toDate();
    } catch {
      return; // the parser gives up on expressions with no further match
    }
    if (!visit(next)) return;
  }
}
