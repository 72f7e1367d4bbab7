import { performance } from 'node:perf_hooks';
import { progress, runPool } from '../pool.js';
import { PhaseRecorder } from '../stats.js';
import { drained, schedulesIn, unpublished } from './counts.js';
import type { NotificationObserver } from './notification-observer.js';
import { params } from './params.js';
import type { FireWindow } from './result.js';
import type { ReminderRun } from './setup-users.js';
import { until } from './until.js';

export interface Created {
  window: FireWindow;
  createSeconds: number;
  /** Creates plus the pipeline's drain until every schedule is in place. */
  setupSeconds: number;
  /** Time left before the first reminder was due once setup was done. */
  marginSeconds: number;
}

/**
 * The measured tasks: reminder i fires at window start + i × window / N, the start `leadSeconds`
 * from now. Returns once every schedule is in place, which must happen before the first is due.
 */
export async function createReminders(run: ReminderRun, observer: NotificationObserver, leadSeconds: number): Promise<Created> {
  const { label, database, signal } = run;
  const window: FireWindow = { start: Date.now() + leadSeconds * 1000, ms: params.windowSeconds * 1000 };
  const setupStart = performance.now();
  const create = new PhaseRecorder();
  await runPool({ label: `${label} create`, jobs: params.reminders, concurrency: params.concurrency, recorder: create, signal, maxFailures: 1 }, async (i) => {
    const at = window.start + Math.floor((i * window.ms) / params.reminders);
    const task = await create.time(() => run.createOne(i, `reminder ${i}`, new Date(at)));
    observer.fireAt.set(task.id, at);
  });
  const createSeconds = (performance.now() - setupStart) / 1000;
  await until(
    `${label} schedules`,
    async () => (await drained(database)) && (await schedulesIn(database, window)) === params.reminders,
    signal,
    window.start,
    ' before the first reminder was due (setup overran the lead time: raise BENCH_REMINDER_LEAD_SECONDS)',
    async () => `${await unpublished(database)} events not yet published, ${await schedulesIn(database, window)} schedules`,
  );
  const setupSeconds = (performance.now() - setupStart) / 1000;
  const marginSeconds = (window.start - Date.now()) / 1000;
  progress(`${label}: setup done in ${setupSeconds.toFixed(1)} s (creates ${createSeconds.toFixed(1)} s); ${marginSeconds.toFixed(1)} s until the first reminder`);
  return { window, createSeconds, setupSeconds, marginSeconds };
}
