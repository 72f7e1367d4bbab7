import { RRule, type RRuleOptions } from './rrule-lib.js';

/*
 * rrule.js only calls back when it finds an occurrence. For a rule that never
 * matches again (FEB 30, or an INTERVAL that never lands on a BYDAY) it keeps
 * stepping until the year 9999, which takes seconds for DAILY/HOURLY rules.
 * It reads `options.interval` about twice per period, so counting those reads
 * through a Proxy gives a period budget; throwing unwinds the loop cleanly.
 */
const IDLE_READ_BUDGET = 100_000;

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

/**
 * Visits the occurrences of an RRULE body in wall-clock space, starting at
 * `dtstart` (itself included when it matches, as in rrule.js), until `visit`
 * returns false or no occurrence turns up within the idle budget.
 */
export function walkRrule(body: string, dtstart: Date, visit: (wall: Date) => boolean, interval?: number): void {
  const options: Partial<RRuleOptions> = { ...RRule.parseString(body), dtstart, tzid: null };
  if (interval !== undefined) options.interval = interval;
  if (!hourlyStepReachesByHour(options, dtstart)) return;
  const rule = new RRule(options, true);
  let idleReads = 0;
  rule.options = new Proxy(rule.options, {
    get(target, key, receiver): unknown {
      if (key === 'interval' && ++idleReads > IDLE_READ_BUDGET) throw new IdleBudgetExceeded();
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
  }
}
