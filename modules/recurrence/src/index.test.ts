import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public API', () => {
  it('exports exactly the documented runtime names', () => {
    expect(Object.keys(api).sort()).toEqual([
      'RECURRENCE_PRESETS', 'RecurrenceRuleError', 'createNextOccurrenceHandler', 'describeRecurrence',
      'nextOccurrence', 'occurrencesAfter', 'parseRecurrence', 'planNextOccurrence', 'previewRecurrence',
    ]);
  });

  it('RecurrenceRuleError carries code and field', () => {
    const error = new api.RecurrenceRuleError('bad', 'recurrence.count');
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.field, error.message]).toEqual(['RecurrenceRuleError', 'invalid_recurrence', 'recurrence.count', 'bad']);
  });
});
