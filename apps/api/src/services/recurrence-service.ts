import { createNextOccurrence } from '@taskstream/recurrence';
import type { ServiceRow } from './contribution.js';
import { sweepMissedOccurrences } from './recurrence-sweep.js';

/** Name of the Dapr cron binding of the sweep (deploy/dapr scopes it to the recurrence app). */
export const RECURRENCE_SWEEP_BINDING = 'recurrence-sweep';

/** The recurring task processor: a completed occurrence of a series gets its successor, exactly once. */
export const recurrenceService: ServiceRow = async ({ tasks, occurrences, logger }) => {
  const log = logger.child({ service: 'recurrence' });
  return {
    subscriptions: [createNextOccurrence({ occurrences, logger: log })],
    jobs: [{ name: RECURRENCE_SWEEP_BINDING, everyMs: 10 * 60_000, run: () => sweepMissedOccurrences({ tasks, occurrences, logger: log }) }],
  };
};
