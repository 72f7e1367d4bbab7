import { performance } from 'node:perf_hooks';
import { progress, runPool } from '../pool.js';
import { PhaseRecorder } from '../stats.js';
import { drained } from './counts.js';
import { params } from './params.js';
import type { ReminderRun } from './setup-users.js';
import { until } from './until.js';

/**
 * Calibration: tasks dealt over the same users with reminders a day ahead, first a warm-up, then
 * a timed batch until the pipeline has handled all of it: setup's steady rate. The lead time
 * before the window comes from it, so the measured creates finish before the first reminder.
 */
export async function calibrate(run: ReminderRun, deadline: number): Promise<{ calibrationSeconds: number; leadSeconds: number }> {
  const { label, signal } = run;
  const later = new Date(Date.now() + 86_400_000);
  const batch = async (name: string, jobs: number, offset: number) => {
    const recorder = new PhaseRecorder();
    const started = performance.now();
    await runPool({ label: `${label} ${name}`, jobs, concurrency: params.concurrency, recorder, signal, quiet: true, maxFailures: 1 }, async (i) => {
      await recorder.time(() => run.createOne(offset + i, `${name} ${i}`, later));
    });
    await until(`${label} ${name} drain`, () => drained(run.database), signal, deadline);
    return (performance.now() - started) / 1000;
  };
  await batch('warm-up', Math.min(50, params.calibrationTasks), 0);
  const calibrationSeconds = await batch('calibration', params.calibrationTasks, 50);
  const estimate = (calibrationSeconds * params.reminders) / params.calibrationTasks;
  const leadSeconds = params.leadSeconds || Math.ceil(1.3 * estimate + 30);
  progress(`${label}: calibration ${params.calibrationTasks} tasks in ${calibrationSeconds.toFixed(1)} s (created and handled) → setup estimate ${estimate.toFixed(0)} s; first reminder in ${leadSeconds} s`);
  return { calibrationSeconds, leadSeconds };
}
