import { isValidTimeZone } from '@taskstream/time';
import { RecurrenceRuleError } from './recurrence-rule-error.js';

export function assertTimeZone(zone: string, field = 'timeZone'): void {
  if (!isValidTimeZone(zone)) {
    throw new RecurrenceRuleError(`"${zone}" is not a valid IANA time zone`, field);
  }
}
