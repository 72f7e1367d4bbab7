// Benchmark "reminders": how late reminders fire when 10,000 of them fall due within one minute.
// The embedded stack runs as `npm start` wires it (outbox → relay → in-process bus → every
// consumer, the notification service with its scheduler), on PGlite and on PostgreSQL. Tasks are
// created through the tasks commands, so schedules arrive through task-events like in production.
// Run with `npm run bench:reminders`; parameters come from BENCH_* variables (see README.md).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { composeProcess } from '@taskstream/api';
import type { Subscription } from '@taskstream/bus';
import { loadConfig } from '@taskstream/config';
import { newId, openDatabase, queryRows, user, type DatabaseHandle } from '@taskstream/db';
import { TOPICS, type NotificationChangedData } from '@taskstream/events';
import { createTask, CreateTaskInput } from '@taskstream/tasks';
import { machine, onPostgres, timeLimit } from './harness.js';
import { renderLatencyChart } from './latency-chart.js';
import { intParam, listParam } from './params.js';
import { progress, runPool } from './pool.js';
import { latencyStats, percentile, PhaseRecorder } from './stats.js';

const SCENARIO = 'reminders';
const resultsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../results');

const params = {
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
const databases = listParam('BENCH_REMINDER_DATABASES', 'pglite,postgres', ['pglite', 'postgres'] as const);

type Stats = ReturnType<typeof stats>;
const stats = (samples: number[]) => {
  const s = latencyStats(samples);
  return { count: samples.length, mean: s.mean, min: s.min, p50: s.p50, p90: Math.round(percentile(Float64Array.from(samples).sort(), 90) * 1000) / 1000, p99: s.p99, max: s.max };
};

interface Sample {
  /** Fire instant, ms since the window opened. */
  at: number;
  schedulerMs: number;
  endToEndMs: number;
}

interface Result {
  database: string;
  server: string;
  setup: Record<string, number>;
  schedulerLatenessMs: Stats;
  endToEndLatenessMs: Stats;
  notificationChangedLatenessMs: Stats;
  schedulerBatches: { count: number; meanSize: number; maxSize: number };
  duringWindow: { eventLoopDelayMs: { p50: number; p99: number; max: number }; processCpuShare: number; lastNotificationAfterWindowMs: number };
  checks: Record<string, number | boolean> & { ok: boolean };
  samples: Sample[];
}

/** Waits until `ready` says so, polling; throws when `signal` aborts or `deadline` (epoch ms) passes. */
async function until(what: string, ready: () => Promise<boolean>, signal: AbortSignal, deadline: number, hint = '', describe?: () => Promise<string>): Promise<void> {
  let reported = Date.now();
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time${hint}`);
    if (describe && Date.now() - reported > 10_000) {
      reported = Date.now();
      progress(`${what}: ${await describe()}`);
    }
    await sleep(250, undefined, { signal });
  }
}

const count = async (database: DatabaseHandle, query: ReturnType<typeof sql>) => Number((await queryRows<{ n: string | number }>(database.db, query))[0]?.n ?? 0);

/**
 * One run on one database: the embedded stack as startServer composes it (without the real-time
 * service and without listening), create the tasks, let the minute pass, measure. The process
 * owns the database from here and closes it.
 */
async function runOn(label: string, server: string, database: DatabaseHandle, signal: AbortSignal): Promise<Result> {
  const fired: number[] = [];
  const batchSizes: number[] = [];
  // Where the real-time service would pick the in-app notification up: notification.changed.
  const fireAt = new Map<string, number>();
  const observed: number[] = [];
  let allObserved!: () => void;
  const everyoneObserved = new Promise<void>((r) => (allObserved = r));
  const observer: Subscription = {
    consumer: 'bench-reminders',
    topic: TOPICS.notifications,
    handler: async (event) => {
      const at = fireAt.get((event.data as NotificationChangedData).notification.taskId ?? '');
      if (at === undefined) return;
      observed.push(Date.now() - at);
      if (observed.length % Math.ceil(params.reminders / 10) === 0) progress(`${label}: ${Math.round((observed.length / params.reminders) * 100)}% of notifications delivered`);
      if (observed.length === params.reminders) allObserved();
    },
  };
  const embedded = await composeProcess(loadConfig({ LOG_LEVEL: 'warn', SERVICES: 'api,audit,recurrence,notifications', AUTH_SECRET: randomBytes(32).toString('hex') }), {
    logger: pino({ level: 'warn' }),
    database,
    notifications: {
      // The scheduler's lateness hook: what it measures is not reachable through HTTP.
      onFired: (ms) => {
        batchSizes.push(ms.length);
        for (const m of ms) fired.push(m);
      },
    },
    observers: [observer],
  });
  const ctx = embedded.tasks;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  try {
    await embedded.start();
    const deadlineFar = Date.now() + params.timeoutSeconds * 1000;
    const drained = () => count(database, sql`select count(*) as n from outbox where published_at is null`).then((n) => n === 0);

    // Users, as rows (sign-up is not what is measured): in-app notifications on, email and push off.
    const userIds = Array.from({ length: params.users + 1 }, () => newId());
    await database.db.insert(user).values(userIds.map((id, i) => ({ id, name: `bench ${i}`, email: `bench-reminders-${i}-${id}@example.com` })));
    const createOne = (u: string, title: string, remindAt: Date) =>
      createTask(ctx, { userId: u, timeZone: 'UTC' }, CreateTaskInput.parse({ title, reminders: [{ remindAt: remindAt.toISOString() }] }));

    // Calibration: tasks dealt over the same users with reminders a day ahead, first a warm-up,
    // then a timed batch until the pipeline has handled all of it: setup's steady rate.
    const later = new Date(Date.now() + 86_400_000);
    const calibrate = async (name: string, jobs: number, offset: number) => {
      const recorder = new PhaseRecorder();
      const started = performance.now();
      await runPool({ label: `${label} ${name}`, jobs, concurrency: params.concurrency, recorder, signal, quiet: true, maxFailures: 1 }, async (i) => {
        await recorder.time(() => createOne(userIds[(offset + i) % params.users]!, `${name} ${i}`, later));
      });
      await until(`${label} ${name} drain`, drained, signal, deadlineFar);
      return (performance.now() - started) / 1000;
    };
    await calibrate('warm-up', Math.min(50, params.calibrationTasks), 0);
    const calibrationSeconds = await calibrate('calibration', params.calibrationTasks, 50);
    const estimate = (calibrationSeconds * params.reminders) / params.calibrationTasks;
    const leadSeconds = params.leadSeconds || Math.ceil(1.3 * estimate + 30);
    progress(`${label}: calibration ${params.calibrationTasks} tasks in ${calibrationSeconds.toFixed(1)} s (created and handled) → setup estimate ${estimate.toFixed(0)} s; first reminder in ${leadSeconds} s`);

    // The measured tasks: reminder i fires at windowStart + i × window / N.
    const windowStart = Date.now() + leadSeconds * 1000;
    const windowMs = params.windowSeconds * 1000;
    const setupStart = performance.now();
    const create = new PhaseRecorder();
    await runPool({ label: `${label} create`, jobs: params.reminders, concurrency: params.concurrency, recorder: create, signal, maxFailures: 1 }, async (i) => {
      const at = windowStart + Math.floor((i * windowMs) / params.reminders);
      const task = await create.time(() => createOne(userIds[i % params.users]!, `reminder ${i}`, new Date(at)));
      fireAt.set(task.id, at);
    });
    const createSeconds = (performance.now() - setupStart) / 1000;
    await until(
      `${label} schedules`,
      async () => (await drained()) && (await count(database, sql`select count(*) as n from reminder_schedules where fires_at between ${new Date(windowStart).toISOString()}::timestamptz and ${new Date(windowStart + windowMs).toISOString()}::timestamptz`)) === params.reminders,
      signal,
      windowStart,
      ' before the first reminder was due (setup overran the lead time: raise BENCH_REMINDER_LEAD_SECONDS)',
      async () => `${await count(database, sql`select count(*) as n from outbox where published_at is null`)} events not yet published, ${await count(database, sql`select count(*) as n from reminder_schedules where fires_at between ${new Date(windowStart).toISOString()}::timestamptz and ${new Date(windowStart + windowMs).toISOString()}::timestamptz`)} schedules`,
    );
    const setupSeconds = (performance.now() - setupStart) / 1000;
    const marginSeconds = (windowStart - Date.now()) / 1000;
    progress(`${label}: setup done in ${setupSeconds.toFixed(1)} s (creates ${createSeconds.toFixed(1)} s); ${marginSeconds.toFixed(1)} s until the first reminder`);

    await sleep(Math.max(0, windowStart - Date.now()), undefined, { signal });
    loop.enable();
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    progress(`${label}: window open — ${params.reminders} reminders due within ${params.windowSeconds} s`);
    const deadline = windowStart + windowMs + params.drainSeconds * 1000;
    const waiting = new AbortController();
    const late = sleep(Math.max(0, deadline - Date.now()), 'late' as const, { signal: AbortSignal.any([signal, waiting.signal]) }).catch(() => 'stopped' as const);
    const outcome = await Promise.race([everyoneObserved.then(() => 'done' as const), late]);
    waiting.abort();
    signal.throwIfAborted();
    const lastNotificationAfterWindowMs = Date.now() - (windowStart + windowMs);
    loop.disable();
    const cpu = process.cpuUsage(cpuBefore);
    const processCpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
    if (outcome === 'late') progress(`${label}: only ${observed.length} of ${params.reminders} notifications after ${params.drainSeconds} s of drain; measuring what arrived`);
    await until(`${label} final drain`, drained, signal, Date.now() + 30_000).catch(() => undefined);

    // Per reminder, from the database: claim time (fired_at) and the notification's created_at.
    const rows = await queryRows<{ fires_ms: string | number; fired_ms: string | number | null; created_ms: string | number | null }>(
      database.db,
      sql`select extract(epoch from s.fires_at) * 1000 as fires_ms, extract(epoch from s.fired_at) * 1000 as fired_ms, extract(epoch from n.created_at) * 1000 as created_ms
          from reminder_schedules s left join notifications n on n.reminder_id = s.reminder_id
          where s.fires_at between ${new Date(windowStart).toISOString()}::timestamptz and ${new Date(windowStart + windowMs).toISOString()}::timestamptz and s.notification_id is null`,
    );
    const samples: Sample[] = rows
      .filter((r) => r.fired_ms !== null && r.created_ms !== null)
      .map((r) => ({ at: Number(r.fires_ms) - windowStart, schedulerMs: Number(r.fired_ms) - Number(r.fires_ms), endToEndMs: Number(r.created_ms) - Number(r.fires_ms) }))
      .sort((a, b) => a.at - b.at);
    const [outboxDue, notificationsMade, distinctSources, distinctReminders, deadLetters] = await Promise.all([
      count(database, sql`select count(*) as n from outbox where type = 'reminder.due'`),
      count(database, sql`select count(*) as n from notifications`),
      count(database, sql`select count(distinct source_event_id) as n from notifications`),
      count(database, sql`select count(distinct reminder_id) as n from notifications`),
      count(database, sql`select count(*) as n from dead_letters`),
    ]);
    const hookSorted = Float64Array.from(fired).sort();
    const dbSorted = Float64Array.from(samples, (s) => s.schedulerMs).sort();
    const checks = {
      reminderDueEventsInOutbox: outboxDue,
      notifications: notificationsMade,
      distinctNotificationSourceEvents: distinctSources,
      distinctNotificationReminders: distinctReminders,
      notificationChangedObserved: observed.length,
      onFiredSamples: fired.length,
      deadLetters,
      earlyScheduler: samples.filter((s) => s.schedulerMs < 0).length,
      earlyEndToEnd: samples.filter((s) => s.endToEndMs < 0).length,
      onFiredMatchesDatabase: hookSorted.length === dbSorted.length && hookSorted.every((v, i) => Math.abs(v - dbSorted[i]!) < 0.5),
      setupFinishedBeforeWindow: marginSeconds > 0,
    };
    const n = params.reminders;
    const ok =
      outboxDue === n && notificationsMade === n && distinctSources === n && distinctReminders === n && observed.length === n && fired.length === n &&
      deadLetters === 0 && checks.earlyScheduler === 0 && checks.earlyEndToEnd === 0 && checks.onFiredMatchesDatabase && checks.setupFinishedBeforeWindow;
    const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
    const ms = (ns: number) => round(ns / 1e6);
    return {
      database: label,
      server,
      setup: {
        users: params.users,
        calibrationTasks: params.calibrationTasks,
        calibrationSeconds: round(calibrationSeconds),
        leadSeconds,
        createSeconds: round(createSeconds),
        createTasksPerSecond: round(params.reminders / createSeconds, 1),
        setupSecondsIncludingPipelineDrain: round(setupSeconds),
        marginBeforeWindowSeconds: round(marginSeconds),
      },
      schedulerLatenessMs: stats(fired),
      endToEndLatenessMs: stats(samples.map((s) => s.endToEndMs)),
      notificationChangedLatenessMs: stats(observed),
      schedulerBatches: { count: batchSizes.length, meanSize: round(fired.length / Math.max(1, batchSizes.length), 1), maxSize: Math.max(0, ...batchSizes) },
      duringWindow: {
        eventLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
        processCpuShare: round(processCpuShare, 2),
        lastNotificationAfterWindowMs: Math.round(lastNotificationAfterWindowMs),
      },
      checks: { ...checks, ok },
      samples,
    };
  } finally {
    loop.disable();
    await embedded.close();
  }
}

async function runOnPglite(dir: string, signal: AbortSignal): Promise<Result> {
  // A data folder on disk, as `npm start` uses (DATA_DIR/pglite), not an in-memory database.
  const database = await openDatabase({ dataDir: join(dir, 'pglite') });
  progress('reminders on PGlite (embedded, data folder in a temporary directory)');
  return runOn('PGlite', 'PGlite (WebAssembly, in this process), data folder on disk', database, signal);
}

async function runOnPostgres(dir: string, signal: AbortSignal): Promise<Result | { database: 'PostgreSQL'; skipped: string }> {
  const r = await onPostgres(dir, SCENARIO, async (target) => {
    const config = loadConfig({});
    const database = await openDatabase({ url: target.url, poolMax: config.DATABASE_POOL_MAX });
    progress(`reminders on ${target.description} (pool ${config.DATABASE_POOL_MAX})`);
    return runOn('PostgreSQL', target.description, database, signal);
  });
  return 'skipped' in r ? { database: 'PostgreSQL', skipped: r.skipped } : r;
}

function chart(results: Result[]): string {
  const first = results[0];
  return renderLatencyChart({
    title: `Reminder lateness: ${params.reminders.toLocaleString('en-US')} reminders due within ${params.windowSeconds} s`,
    subtitle: `embedded stack (outbox → relay → in-process bus → notification service) · ${params.users} users · ${cpus().length} CPUs, shared machine · Node ${process.version}${first ? '' : ' · no results'}`,
    timeLabel: `fire instant (seconds into the ${params.windowSeconds} s window)`,
    bucketSeconds: Math.max(1, Math.round(params.windowSeconds / 60)),
    targetMs: params.targetP99Ms,
    rows: results.map((r) => ({
      title: `${r.database} — ${r.server}${r.checks.ok ? '' : ' — CHECKS FAILED'}`,
      series: [
        { label: 'scheduler (claimed − fire instant)', color: '#2563eb', samples: r.samples.map((s) => ({ at: s.at / 1000, ms: s.schedulerMs })) },
        { label: 'end to end (in-app notification created − fire instant)', color: '#ea580c', samples: r.samples.map((s) => ({ at: s.at / 1000, ms: s.endToEndMs })) },
      ],
    })),
  });
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const host = machine();
  const limit = timeLimit(params.timeoutSeconds);
  const dir = mkdtempSync(join(tmpdir(), 'taskstream-bench-reminders-'));
  chmodSync(dir, 0o755); // the postgres OS user must be able to enter it when we run as root
  const results: Result[] = [];
  const skipped: { database: string; skipped: string }[] = [];
  try {
    progress(`${SCENARIO}: ${JSON.stringify(params)}`);
    if (databases.includes('pglite')) results.push(await runOnPglite(dir, limit.signal));
    if (databases.includes('postgres')) {
      const r = await runOnPostgres(dir, limit.signal);
      if ('skipped' in r) skipped.push(r);
      else results.push(r);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    limit.done();
  }
  const output = {
    scenario: SCENARIO,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: host.finish(),
    params: { ...params, databases },
    measures: {
      scheduler: 'reminder_schedules.fired_at − fires_at: when the scheduler claimed the reminder and recorded reminder.due (the onFired hook; the same values are in the table)',
      endToEnd: 'notifications.created_at − fires_at: the in-app notification written by the reminder.due consumer (its clock reading just before the insert; commit follows within the transaction)',
      notificationChanged: 'arrival of notification.changed at a subscriber of the notifications topic − fires_at: where the real-time service picks it up to push',
    },
    results: results.map(({ samples: _samples, ...r }) => r),
    skipped,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${SCENARIO}.json`), JSON.stringify(output, null, 2) + '\n');
  writeFileSync(join(resultsDir, `${SCENARIO}.svg`), chart(results));
  progress(`wrote ${join(resultsDir, `${SCENARIO}.json`)} and .svg`);
  for (const r of results) {
    const s = r.schedulerLatenessMs;
    const e = r.endToEndLatenessMs;
    console.log(
      `reminders ${r.database}: scheduler p50 ${s.p50} p90 ${s.p90} p99 ${s.p99} max ${s.max} ms; end to end p50 ${e.p50} p90 ${e.p90} p99 ${e.p99} max ${e.max} ms` +
        ` (target p99 ≤ ${params.targetP99Ms} ms: scheduler ${s.p99 <= params.targetP99Ms ? 'met' : 'MISSED'}, end to end ${e.p99 <= params.targetP99Ms ? 'met' : 'MISSED'}); checks ${r.checks.ok ? 'ok' : 'FAILED'}`,
    );
  }
  for (const s of skipped) console.log(`reminders ${s.database}: skipped (${s.skipped})`);
  if (results.some((r) => !r.checks.ok)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  progress(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
