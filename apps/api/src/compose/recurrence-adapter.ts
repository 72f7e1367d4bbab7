import { assertEvaluable, describeRecurrence, parseRecurrence, RecurrenceRuleError, RecurrenceTooExpensiveError } from '@taskstream/recurrence';
import type { RecurrencePort } from '@taskstream/tasks';

/** Plugs modules/recurrence into the tasks module's port. */
export const recurrenceAdapter: RecurrencePort = {
  parse(spec) {
    try {
      return { ok: true, value: parseRecurrence(spec) };
    } catch (e) {
      if (e instanceof RecurrenceRuleError) return { ok: false, message: e.message };
      throw e;
    }
  },
  check(recurrence, anchor, zone) {
    try {
      assertEvaluable({ recurrence, anchor, zone });
      return { ok: true };
    } catch (e) {
      if (e instanceof RecurrenceTooExpensiveError) return { ok: false, message: e.message };
      throw e;
    }
  },
  describe: (recurrence, anchor, zone) => describeRecurrence({ recurrence, anchor, zone }),
};
