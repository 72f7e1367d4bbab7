/** Raised for any invalid recurrence input; `field` names the offending input path. */
export class RecurrenceRuleError extends Error {
  readonly code = 'invalid_recurrence';
  readonly field: string;

  constructor(message: string, field = 'recurrence.rule') {
    super(message);
    this.name = 'RecurrenceRuleError';
    this.field = field;
  }
}
