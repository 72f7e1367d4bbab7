import { RRule, type RRuleOptions } from './rrule-lib.js';

/*
 * rrule.js only calls back when it finds an occurrence. For a rule that never
 * matches again (FEB 30, or an INTERVAL that never lands on a BYDAY) it keeps
 * stepping until the year 9999, which takes seconds for DAILY/HOURLY rules.
 * It reads `options.interval` about twice per period, so counting those reads
 * through a Proxy gives a period budget; throwing unwinds the loop cleanly.
 */
const IDLE_READ_BUDGET = 100_000;
/** Periods stepped through without an occurrence before a walk gives up. */
export const IDLE_PERIODS = IDLE_READ_BUDGET / 2;

class IdleBudgetExceeded extends Error {}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/*
 * rrule.js steps HOURLY rules inside a loop that only stops on an hour listed in
 * BYHOUR; stepping by INTERVAL from DTSTART's hour reaches only hours in one
 * residue class mod gcd(INTERVAL, 24), so any other BYHOUR would spin forever.
 */
function hourlyStepReachesByHour(options: Partial<RRuleOptions>, dtstart: Date): boolean {
  const byhour = options.byhour;
  if (options.freq !== RRule.HOURLY || byhour === undefined || byhour === null) return true;
  const step = gcd(options.interval ?? 1, 24);
  const hours = typeof byhour === 'number' ? [byhour] : byhour;
  return hours.some((hour) => (hour - dtstart.getUTCHours()) % step === 0);
}

export interface RruleWalkOptions {
  /** Replaces the rule's INTERVAL. */
  interval?: number;
  /** Called on every period rrule.js steps through, with an occurrence or not; may throw to end the walk. */
  onStep?: () => void;
}

/**
 * Visits the occurrences of an RRULE body in wall-clock space, starting at
 * `dtstart` (itself included when it matches, as in rrule.js), until `visit`
 * returns false ('done'), the rule has no further occurrence ('done'), or none
 * turns up within IDLE_PERIODS periods ('idle': the walk cannot tell whether one ever will).
 */
export function walkRrule(body: string, dtstart: Date, visit: (wall: Date) => boolean, { interval, onStep }: RruleWalkOptions = {}): 'done' | 'idle' {
  const options: Partial<RRuleOptions> = { ...RRule.parseString(body), dtstart, tzid: null };
  if (interval !== undefined) options.interval = interval;
  if (!hourlyStepReachesByHour(options, dtstart)) return 'done';
  const rule = new RRule(options, true);
  let idleReads = 0;
  rule.options = new Proxy(rule.options, {
    get(target, key, receiver): unknown {
      if (key === 'interval') {
        onStep?.();
        if (++idleReads > IDLE_READ_BUDGET) throw new IdleBudgetExceeded();
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  try {
    rule.all((date) => {
      idleReads = 0;
      return visit(date);
    });
  } catch (error) {
    if (!(error instanceof IdleBudgetExceeded)) throw error;
    return 'idle';
  }
  return 'done';
}

const SECOND = 1000;
// Frequencies whose period is a fixed span of wall-clock time. A month or a year is not, and at
// twelve periods a year or fewer a walk from the series' start costs little anyway.
const FIXED_PERIOD_MS = new Map<number, number>([
  [RRule.WEEKLY, 7 * 86_400 * SECOND],
  [RRule.DAILY, 86_400 * SECOND],
  [RRule.HOURLY, 3600 * SECOND],
  [RRule.MINUTELY, 60 * SECOND],
  [RRule.SECONDLY, SECOND],
]);

/**
 * A later start for walking the rule from `dtstart` towards `target` (both wall clocks): `dtstart`
 * moved by a whole number of INTERVAL × period, so time of day, weekday and INTERVAL phase stay,
 * and the walk from there visits exactly the occurrences the walk from `dtstart` visits past
 * `target`. One period is kept back because rrule.js cuts its first period at the start (a WEEKLY
 * BYSETPOS counts from the start's weekday): that period ends before `target`. Not for MONTHLY or
 * YEARLY rules, nor for a series with COUNT (its occurrences are counted from `dtstart`).
 */
export function fastForwardStart(body: string, dtstart: Date, target: Date): Date {
  const { freq, interval } = RRule.parseString(body);
  const period = freq === undefined ? undefined : FIXED_PERIOD_MS.get(freq);
  if (period === undefined) return dtstart;
  const step = period * (interval ?? 1);
  const steps = Math.floor((target.getTime() - period - dtstart.getTime()) / step);
  return steps > 0 ? new Date(dtstart.getTime() + steps * step) : dtstart;
}
