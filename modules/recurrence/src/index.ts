export type { RecurrenceInput, Recurrence, RepeatFrom, RuleKind } from './recurrence.js';
export { RecurrenceRuleError } from './recurrence-rule-error.js';
export { RECURRENCE_PRESETS } from './recurrence-presets.js';
export { parseRecurrence } from './parse-recurrence.js';
export { occurrencesAfter } from './occurrences-after.js';
export { nextOccurrence } from './next-occurrence.js';
export { describeRecurrence } from './describe-recurrence.js';
export { previewRecurrence } from './preview-recurrence.js';
export { createNextOccurrence, CREATE_NEXT_OCCURRENCE, planNextOccurrence, type OccurrencePlan, type OccurrencePort } from './handlers/create-next-occurrence.js';
