/**
 * A rule whose walk would cost more than one walk may (WALK_LIMITS): refused with this rather
 * than answered slowly, or wrongly (a walk cut short would look like a series that has ended).
 */
export class RecurrenceTooExpensiveError extends Error {
  readonly code = 'recurrence_too_expensive';

  constructor(message: string) {
    super(message);
    this.name = 'RecurrenceTooExpensiveError';
  }
}
