import type { DatabaseHandle } from '@taskstream/db';
import { calibrate } from './calibrate.js';
import { checkRun, readSamples } from './checks.js';
import { composeStack, type SchedulerLog } from './embedded-stack.js';
import { createReminders, type Created } from './create-reminders.js';
import { NotificationObserver } from './notification-observer.js';
import { params } from './params.js';
import { round, stats, type Result, type Sample } from './result.js';
import { setupUsers } from './setup-users.js';
import { watchWindow } from './watch-window.js';

/**
 * One run on one database: the embedded stack, create the tasks, let the minute pass, measure.
 * The process owns the database from here and closes it.
 */
export async function runOn(label: string, server: string, database: DatabaseHandle, signal: AbortSignal): Promise<Result> {
  const observer = new NotificationObserver(label, params.reminders);
  const { stack, scheduler } = await composeStack(database, observer.subscription);
  try {
    await stack.start();
    const deadline = Date.now() + params.timeoutSeconds * 1000;
    const run = await setupUsers(label, database, stack, signal);
    const { calibrationSeconds, leadSeconds } = await calibrate(run, deadline);
    const created = await createReminders(run, observer, leadSeconds);
    const duringWindow = await watchWindow(run, created.window, observer);
    const samples = await readSamples(database, created.window);
    const checks = await checkRun(database, { samples, fired: scheduler.fired, observed: observer.observed, marginSeconds: created.marginSeconds });
    const setup = setupFigures(calibrationSeconds, leadSeconds, created);
    return { database: label, server, setup, ...lateness(scheduler, samples, observer), duringWindow, checks, samples };
  } finally {
    await stack.close();
  }
}

function setupFigures(calibrationSeconds: number, leadSeconds: number, created: Created): Result['setup'] {
  return {
    users: params.users,
    calibrationTasks: params.calibrationTasks,
    calibrationSeconds: round(calibrationSeconds),
    leadSeconds,
    createSeconds: round(created.createSeconds),
    createTasksPerSecond: round(params.reminders / created.createSeconds, 1),
    setupSecondsIncludingPipelineDrain: round(created.setupSeconds),
    marginBeforeWindowSeconds: round(created.marginSeconds),
  };
}

function lateness({ fired, batchSizes }: SchedulerLog, samples: Sample[], observer: NotificationObserver) {
  return {
    schedulerLatenessMs: stats(fired),
    endToEndLatenessMs: stats(samples.map((s) => s.endToEndMs)),
    notificationChangedLatenessMs: stats(observer.observed),
    schedulerBatches: { count: batchSizes.length, meanSize: round(fired.length / Math.max(1, batchSizes.length), 1), maxSize: Math.max(0, ...batchSizes) },
  };
}
