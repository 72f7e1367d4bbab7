import { IANAZone } from 'luxon';
import { RecurrenceRuleError } from './recurrence-rule-error.js';

export function isValidTimeZone(zone: string): boolean {
  return typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone);
}

export function assertTimeZone(zone: string, field = 'timeZone'): void {
  if (!isValidTimeZone(zone)) {
    throw new RecurrenceRuleError(`"${zone}" is not a valid IANA time zone`, field);
  }
}
