import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { progress } from '../pool.js';
import { eventLoopDelayMs } from '../stats.js';
import { drained } from './counts.js';
import type { NotificationObserver } from './notification-observer.js';
import { params } from './params.js';
import { round, type FireWindow, type Result } from './result.js';
import type { ReminderRun } from './setup-users.js';
import { until } from './until.js';

/**
 * The measured window: from its start until every notification has arrived, or the drain time
 * after its end has passed. Event-loop delay and CPU are taken over exactly that span.
 */
export async function watchWindow(run: ReminderRun, window: FireWindow, observer: NotificationObserver): Promise<Result['duringWindow']> {
  const { label, signal } = run;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  try {
    await sleep(Math.max(0, window.start - Date.now()), undefined, { signal });
    loop.enable();
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    progress(`${label}: window open — ${params.reminders} reminders due within ${params.windowSeconds} s`);
    const outcome = await untilObservedOrLate(observer, window.start + window.ms + params.drainSeconds * 1000, signal);
    const lastNotificationAfterWindowMs = Date.now() - (window.start + window.ms);
    loop.disable();
    const cpu = process.cpuUsage(cpuBefore);
    const processCpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
    if (outcome === 'late') progress(`${label}: only ${observer.observed.length} of ${params.reminders} notifications after ${params.drainSeconds} s of drain; measuring what arrived`);
    await until(`${label} final drain`, () => drained(run.database), signal, Date.now() + 30_000).catch(() => undefined);
    return {
      eventLoopDelayMs: eventLoopDelayMs(loop),
      processCpuShare: round(processCpuShare, 2),
      lastNotificationAfterWindowMs: Math.round(lastNotificationAfterWindowMs),
    };
  } finally {
    loop.disable();
  }
}

/** 'done' once every notification arrived, 'late' at `deadline` (epoch ms); throws if `signal` aborts. */
async function untilObservedOrLate(observer: NotificationObserver, deadline: number, signal: AbortSignal): Promise<'done' | 'late' | 'stopped'> {
  const waiting = new AbortController();
  const late = sleep(Math.max(0, deadline - Date.now()), 'late' as const, { signal: AbortSignal.any([signal, waiting.signal]) }).catch(() => 'stopped' as const);
  const outcome = await Promise.race([observer.everyoneObserved.then(() => 'done' as const), late]);
  waiting.abort();
  signal.throwIfAborted();
  return outcome;
}
