// The reminders scenario's settings, from BENCH_REMINDER_* variables (see bench/README.md).
import { intParam, listParam } from '../params.js';

export const SCENARIO = 'reminders';

export const params = {
  reminders: intParam('BENCH_REMINDERS', 10_000, 1, 200_000),
  windowSeconds: intParam('BENCH_REMINDER_WINDOW_SECONDS', 60, 1, 3600),
  users: intParam('BENCH_REMINDER_USERS', 100, 1, 10_000),
  concurrency: intParam('BENCH_REMINDER_CONCURRENCY', 8, 1, 256),
  /** 0: chosen from the calibration (1.3 × the estimated setup time + 30 s). */
  leadSeconds: intParam('BENCH_REMINDER_LEAD_SECONDS', 0, 0, 3600),
  calibrationTasks: intParam('BENCH_REMINDER_CALIBRATION', 500, 1, 10_000),
  /** After the window ends, how long stragglers may take before the run counts as failed. */
  drainSeconds: intParam('BENCH_REMINDER_DRAIN_SECONDS', 600, 1, 3600),
  targetP99Ms: 100,
  timeoutSeconds: intParam('BENCH_TIMEOUT_SECONDS', 3600, 10, 14_400),
};

export const databases = listParam('BENCH_REMINDER_DATABASES', 'pglite,postgres', ['pglite', 'postgres'] as const);
