// The realtime scenario's settings, from BENCH_REALTIME_* variables (see bench/README.md).
import { intListParam, intParam, listParam } from '../params.js';

export const SCENARIO = 'realtime';

export const params = {
  // Sign-up allows 20 a minute per address; more users wait for the limit.
  users: intParam('BENCH_REALTIME_USERS', 10, 1, 100),
  socketsPerUser: intParam('BENCH_REALTIME_SOCKETS', 1, 1, 20),
  /** Each paced line lasts this long: rate × seconds changes. */
  seconds: intParam('BENCH_REALTIME_SECONDS', 30, 1, 600),
  warmup: intParam('BENCH_REALTIME_WARMUP', 50, 0, 10_000),
  /** After the last change, how long missing messages may take before they count as lost. */
  drainSeconds: intParam('BENCH_REALTIME_DRAIN_SECONDS', 30, 1, 600),
  /** The whole run, every database and line, is aborted after this. */
  timeoutSeconds: intParam('BENCH_TIMEOUT_SECONDS', 900, 10, 7200),
};
export const modes = listParam('BENCH_REALTIME_MODES', 'http,command', ['http', 'command'] as const);
export const databases = listParam('BENCH_REALTIME_DATABASES', 'pglite,postgres', ['pglite', 'postgres'] as const);
/** Changes per second: a light load and a moderate one. */
export const rates = intListParam('BENCH_REALTIME_RATES', '10,50', 1, 1000);
export type Mode = (typeof modes)[number];
