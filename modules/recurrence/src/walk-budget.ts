import { RecurrenceTooExpensiveError } from './recurrence-too-expensive-error.js';

/** How much one walk of a series may cost. */
export interface WalkLimits {
  /** Wall clocks visited (occurrences, before DST duplicates are dropped). */
  maxVisits: number;
  /** Milliseconds, read from `clock` every few hundred steps. */
  maxMs: number;
  /** A millisecond clock; tests pass one of their own. */
  clock: () => number;
}

/*
 * A walk starts near the instant asked about (walk-series.ts), so a sound rule needs a few dozen
 * visits and well under a millisecond; these bounds are for the rules that still cost more.
 */
export const WALK_LIMITS: WalkLimits = { maxVisits: 10_000, maxMs: 1000, clock: () => performance.now() };

// Reading the clock costs more than a step; every 256th step is often enough for a 1 s budget.
const CLOCK_EVERY = 256;

/** Counts one walk's visits and steps and throws RecurrenceTooExpensiveError past its limits. */
export class WalkBudget {
  private visits = 0;
  private steps = 0;
  private readonly limits: WalkLimits;
  private readonly started: number;

  constructor(private readonly rule: string, limits: Partial<WalkLimits> = {}) {
    this.limits = { ...WALK_LIMITS, ...limits };
    this.started = this.limits.clock();
  }

  visit(): void {
    if (++this.visits > this.limits.maxVisits) {
      throw new RecurrenceTooExpensiveError(`${this.rule} needs more than ${this.limits.maxVisits} occurrences to reach the date asked about; choose a start nearer to it or a rule that repeats less often`);
    }
    this.step();
  }

  /** One step of the rule engine, with or without an occurrence. */
  step(): void {
    if (++this.steps % CLOCK_EVERY === 0 && this.limits.clock() - this.started > this.limits.maxMs) {
      throw new RecurrenceTooExpensiveError(`${this.rule} takes more than ${this.limits.maxMs} ms to evaluate; choose a rule that matches more often`);
    }
  }

  /** The rule engine stepped through its idle budget without an occurrence: nothing says the series has ended. */
  idle(periods: number): RecurrenceTooExpensiveError {
    return new RecurrenceTooExpensiveError(`${this.rule} has no occurrence within ${periods} of its periods from this start: it repeats too rarely to evaluate, or never from this start`);
  }
}
