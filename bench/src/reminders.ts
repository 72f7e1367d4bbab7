// Benchmark "reminders": how late reminders fire when 10,000 of them fall due within one minute.
// The embedded stack runs as `npm start` wires it (outbox → relay → in-process bus → every
// consumer, the notification service with its scheduler), on PGlite and on PostgreSQL. Tasks are
// created through the tasks commands, so schedules arrive through task-events like in production.
// Run with `npm run bench:reminders`; parameters come from BENCH_* variables (see README.md).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { loadConfig } from '@taskstream/config';
import { migrateDatabase, newId, openDatabase, queryRows, user, type DatabaseHandle } from '@taskstream/db';
import { TOPICS, type NotificationChangedData } from '@taskstream/events';
import { createTask, CreateTaskInput, type TasksContext } from '@taskstream/tasks';
// The embedded wiring of apps/api (what startServer does), minus HTTP: the scheduler's lateness
// hook is not reachable through startServer.
import { tasksContext } from '../../apps/api/src/app.js';
import { directOccurrencePort, registerConsumers } from '../../apps/api/src/consumers.js';
import { createEventBus } from '../../apps/api/src/event-bus.js';
import { startEventPipeline } from '../../apps/api/src/event-pipeline.js';
import { MODULE_MIGRATIONS } from '../../apps/api/src/module-migrations.js';
import { createRealtime } from '../../apps/api/src/realtime-wiring.js';
import { createNotifications } from '../../apps/api/src/notifications-wiring.js';
import { appConfigEnv, intParam, listParam, machine, onPostgres, timeLimit } from './harness.js';
import { renderLatencyChart } from './latency-chart.js';
import { yieldBeforePgliteQueries } from './pglite-yield.js';
import { progress, runPool } from './pool.js';
import { latencyStats, percentile, PhaseRecorder } from './stats.js';

const SCENARIO = 'reminders';
const resultsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../results');

const params = {
  reminders: intParam('BENCH_REMINDERS', 10_000, 1, 200_000),
  windowSeconds: intParam('BENCH_REMINDER_WINDOW_SECONDS', 60, 1, 3600),
  users: intParam('BENCH_REMINDER_USERS', 100, 1, 10_000),
  concurrency: intParam('BENCH_REMINDER_CONCURRENCY', 8, 1, 256),
  /** 0: chosen from the calibration (1.5 × the estimated setup time + 30 s). */
  leadSeconds: intParam('BENCH_REMINDER_LEAD_SECONDS', 0, 0, 3600),
  calibrationTasks: intParam('BENCH_REMINDER_CALIBRATION', 500, 1, 10_000),
  /** Setup creates tasks only while at most this many events wait in the outbox. */
  maxBacklog: intParam('BENCH_REMINDER_MAX_BACKLOG', 400, 1, 1_000_000),
  /** After the window ends, how long stragglers may take before the run counts as failed. */
  drainSeconds: intParam('BENCH_REMINDER_DRAIN_SECONDS', 600, 1, 3600),
  targetP99Ms: 100,
  timeoutSeconds: intParam('BENCH_TIMEOUT_SECONDS', 3600, 10, 14_400),
};
/** pglite-yield: PGlite with the proposed change of pglite-yield.ts applied, for comparison. */
const databases = listParam('BENCH_REMINDER_DATABASES', 'pglite,postgres', ['pglite', 'pglite-yield', 'postgres'] as const);

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

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

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
const unpublished = (database: DatabaseHandle) => count(database, sql`select count(*) as n from outbox where published_at is null`);

/**
 * Keeps setup from running ahead of the pipeline: every 25th create counts the unpublished events
 * and waits while there are more than `max`. A large backlog makes the relay slower per event,
 * so without this the setup time would not follow from the calibration. (No timer-driven
 * watcher: on PGlite timers wait while the pipeline works, see pglite-yield.ts.)
 */
function backpressure(database: DatabaseHandle, max: number, signal: AbortSignal): () => Promise<void> {
  let calls = 0;
  return async () => {
    if (calls++ % 25 !== 0) return;
    while ((await unpublished(database)) > max) await sleep(100, undefined, { signal });
  };
}

/** The embedded stack as startServer wires it, minus HTTP, with the benchmark's observers. */
async function startStack(label: string, database: DatabaseHandle) {
  await migrateDatabase(database, MODULE_MIGRATIONS);
  const config = loadConfig({ ...appConfigEnv(), LOG_LEVEL: 'warn' });
  const logger = pino({ level: 'warn' });
  const bus = createEventBus(config, { db: database.db, logger });
  const fired: number[] = [];
  const batchSizes: number[] = [];
  const notifications = await createNotifications(config, {
    database,
    logger,
    onFired: (ms) => {
      batchSizes.push(ms.length);
      for (const m of ms) fired.push(m);
    },
  });
  const ctx: TasksContext = tasksContext(database.db);
  // Every role, as embedded; the real-time service subscribes too (no clients are connected).
  // Left out: the maintenance timers (a sweep every 10 minutes, a daily cleanup).
  const realtime = createRealtime(config, { db: database.db, logger });
  registerConsumers(bus, { ctx, logger, roles: config.SERVICES, occurrences: directOccurrencePort(ctx), notifications: notifications.service, realtime });

  // Where the real-time service picks the in-app notification up: notification.changed.
  const fireAt = new Map<string, number>();
  const observed: number[] = [];
  let allObserved!: () => void;
  const everyoneObserved = new Promise<void>((r) => (allObserved = r));
  bus.subscribe({
    consumer: 'bench-reminders',
    topic: TOPICS.notifications,
    handler: async (event) => {
      const at = fireAt.get((event.data as NotificationChangedData).notification.taskId ?? '');
      if (at === undefined) return;
      observed.push(Date.now() - at);
      if (observed.length % Math.ceil(params.reminders / 10) === 0) progress(`${label}: ${Math.round((observed.length / params.reminders) * 100)}% of notifications delivered`);
      if (observed.length === params.reminders) allObserved();
    },
  });
  const pipeline = await startEventPipeline({
    bus,
    database,
    logger,
    relay: { enabled: config.RELAY_ENABLED, pollIntervalMs: config.OUTBOX_POLL_MS, retentionMs: config.OUTBOX_RETENTION_HOURS * 3600_000 },
  });
  await notifications.service.start();
  return {
    ctx,
    fired,
    batchSizes,
    fireAt,
    observed,
    everyoneObserved,
    stop: async () => {
      await notifications.service.stop();
      await pipeline.stop();
      await realtime.stop();
    },
  };
}
type Stack = Awaited<ReturnType<typeof startStack>>;

/** Users, calibration, then the measured tasks; returns when the window opens. */
async function setUp(label: string, database: DatabaseHandle, stack: Stack, signal: AbortSignal) {
  const drained = () => unpublished(database).then((n) => n === 0);
  const room = backpressure(database, params.maxBacklog, signal);
  // Users, as rows (sign-up is not what is measured): in-app notifications on, email and push off.
  const userIds = Array.from({ length: params.users }, () => newId());
  await database.db.insert(user).values(userIds.map((id, i) => ({ id, name: `bench ${i}`, email: `bench-reminders-${i}-${id}@example.com` })));
  const createMany = async (name: string, jobs: number, task: (i: number) => { title: string; at: number }) => {
    const recorder = new PhaseRecorder();
    await runPool({ label: `${label} ${name}`, jobs, concurrency: params.concurrency, recorder, signal, quiet: name !== 'create', maxFailures: 1 }, async (i) => {
      const { title, at } = task(i);
      await room();
      const view = await recorder.time(() => createTask(stack.ctx, { userId: userIds[i % userIds.length]!, timeZone: 'UTC' }, CreateTaskInput.parse({ title, reminders: [{ remindAt: new Date(at).toISOString() }] })));
      if (name === 'create') stack.fireAt.set(view.id, at);
    });
  };

  // Calibration: a warm-up, then a timed batch with reminders a day ahead, until the pipeline has
  // handled all of it: setup's rate, from which the lead time follows.
  const later = Date.now() + 86_400_000;
  await createMany('warm-up', Math.min(50, params.calibrationTasks), (i) => ({ title: `warm-up ${i}`, at: later }));
  await until(`${label} warm-up drain`, drained, signal, Date.now() + params.timeoutSeconds * 1000);
  const calibrationStart = performance.now();
  await createMany('calibration', params.calibrationTasks, (i) => ({ title: `calibration ${i}`, at: later }));
  await until(`${label} calibration drain`, drained, signal, Date.now() + params.timeoutSeconds * 1000);
  const calibrationSeconds = (performance.now() - calibrationStart) / 1000;
  const estimate = (calibrationSeconds * params.reminders) / params.calibrationTasks;
  const leadSeconds = params.leadSeconds || Math.ceil(1.5 * estimate + 30);
  progress(`${label}: calibration ${params.calibrationTasks} tasks in ${calibrationSeconds.toFixed(1)} s (created and handled) → setup estimate ${estimate.toFixed(0)} s; first reminder in ${leadSeconds} s`);

  // The measured tasks: reminder i fires at windowStart + i × window / N.
  const windowStart = Date.now() + leadSeconds * 1000;
  const windowMs = params.windowSeconds * 1000;
  const setupStart = performance.now();
  await createMany('create', params.reminders, (i) => ({ title: `reminder ${i}`, at: windowStart + Math.floor((i * windowMs) / params.reminders) }));
  const createSeconds = (performance.now() - setupStart) / 1000;
  const inWindow = sql`fires_at between ${new Date(windowStart).toISOString()}::timestamptz and ${new Date(windowStart + windowMs).toISOString()}::timestamptz`;
  const schedules = () => count(database, sql`select count(*) as n from reminder_schedules where ${inWindow}`);
  await until(
    `${label} schedules`,
    async () => (await drained()) && (await schedules()) === params.reminders,
    signal,
    windowStart,
    ' before the first reminder was due (setup overran the lead time: raise BENCH_REMINDER_LEAD_SECONDS)',
    async () => `${await unpublished(database)} events not yet published, ${await schedules()} schedules`,
  );
  const setupSeconds = (performance.now() - setupStart) / 1000;
  const marginSeconds = (windowStart - Date.now()) / 1000;
  progress(`${label}: setup done in ${setupSeconds.toFixed(1)} s (creates ${createSeconds.toFixed(1)} s); ${marginSeconds.toFixed(1)} s until the first reminder`);
  return {
    windowStart,
    windowMs,
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
  };
}

/** Opens the window and waits until every notification arrived (or the drain time is up). */
async function watchWindow(label: string, stack: Stack, windowStart: number, windowMs: number, signal: AbortSignal) {
  await sleep(Math.max(0, windowStart - Date.now()), undefined, { signal });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  progress(`${label}: window open — ${params.reminders} reminders due within ${params.windowSeconds} s`);
  const waiting = new AbortController();
  const late = sleep(Math.max(0, windowStart + windowMs + params.drainSeconds * 1000 - Date.now()), 'late' as const, { signal: AbortSignal.any([signal, waiting.signal]) }).catch(() => 'stopped' as const);
  const outcome = await Promise.race([stack.everyoneObserved.then(() => 'done' as const), late]);
  waiting.abort();
  loop.disable();
  signal.throwIfAborted();
  const lastNotificationAfterWindowMs = Date.now() - (windowStart + windowMs);
  const cpu = process.cpuUsage(cpuBefore);
  if (outcome === 'late') progress(`${label}: only ${stack.observed.length} of ${params.reminders} notifications after ${params.drainSeconds} s of drain; measuring what arrived`);
  const ms = (ns: number) => round(ns / 1e6);
  return {
    eventLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    processCpuShare: round((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore), 2),
    lastNotificationAfterWindowMs: Math.round(lastNotificationAfterWindowMs),
  };
}

/** Per reminder from the tables (claim time, notification created) and the exactly-once checks. */
async function collect(database: DatabaseHandle, stack: Stack, windowStart: number, windowMs: number, setupFinishedBeforeWindow: boolean) {
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
  const hookSorted = Float64Array.from(stack.fired).sort();
  const dbSorted = Float64Array.from(samples, (s) => s.schedulerMs).sort();
  const checks = {
    reminderDueEventsInOutbox: outboxDue,
    notifications: notificationsMade,
    distinctNotificationSourceEvents: distinctSources,
    distinctNotificationReminders: distinctReminders,
    notificationChangedObserved: stack.observed.length,
    onFiredSamples: stack.fired.length,
    deadLetters,
    earlyScheduler: samples.filter((s) => s.schedulerMs < 0).length,
    earlyEndToEnd: samples.filter((s) => s.endToEndMs < 0).length,
    onFiredMatchesDatabase: hookSorted.length === dbSorted.length && hookSorted.every((v, i) => Math.abs(v - dbSorted[i]!) < 0.5),
    setupFinishedBeforeWindow,
  };
  const n = params.reminders;
  const counts = [outboxDue, notificationsMade, distinctSources, distinctReminders, stack.observed.length, stack.fired.length];
  const ok = counts.every((c) => c === n) && deadLetters === 0 && checks.earlyScheduler === 0 && checks.earlyEndToEnd === 0 && checks.onFiredMatchesDatabase && setupFinishedBeforeWindow;
  return { samples, checks: { ...checks, ok } };
}

/** One run on one database: wire the embedded stack, create the tasks, let the minute pass, measure. */
async function runOn(label: string, server: string, database: DatabaseHandle, signal: AbortSignal): Promise<Result> {
  const stack = await startStack(label, database);
  try {
    const { windowStart, windowMs, setup } = await setUp(label, database, stack, signal);
    const duringWindow = await watchWindow(label, stack, windowStart, windowMs, signal);
    // Let the last notification.changed rows be marked published before counting.
    await until(`${label} final drain`, () => unpublished(database).then((n) => n === 0), signal, Date.now() + 30_000).catch(() => undefined);
    const { samples, checks } = await collect(database, stack, windowStart, windowMs, setup.marginBeforeWindowSeconds > 0);
    return {
      database: label,
      server,
      setup,
      schedulerLatenessMs: stats(stack.fired),
      endToEndLatenessMs: stats(samples.map((s) => s.endToEndMs)),
      notificationChangedLatenessMs: stats(stack.observed),
      schedulerBatches: { count: stack.batchSizes.length, meanSize: round(stack.fired.length / Math.max(1, stack.batchSizes.length), 1), maxSize: Math.max(0, ...stack.batchSizes) },
      duringWindow,
      checks,
      samples,
    };
  } finally {
    await stack.stop();
  }
}

async function onPglite(dir: string, signal: AbortSignal, withYield: boolean): Promise<Result> {
  const undo = withYield ? yieldBeforePgliteQueries() : () => undefined;
  // A data folder on disk, as `npm start` uses (DATA_DIR/pglite), not an in-memory database.
  const database = await openDatabase({ dataDir: join(dir, withYield ? 'pglite-yield' : 'pglite') });
  try {
    const label = withYield ? 'PGlite + yield (proposed)' : 'PGlite';
    progress(`reminders on ${label} (embedded, data folder in a temporary directory)`);
    const server = withYield ? 'PGlite, each query on a new event-loop turn (bench/src/pglite-yield.ts)' : 'PGlite (WebAssembly, in this process), data folder on disk';
    return await runOn(label, server, database, signal);
  } finally {
    await database.close();
    undo();
  }
}

async function onPostgresServer(dir: string, signal: AbortSignal): Promise<Result | { skipped: string }> {
  return onPostgres(dir, 'reminders', async (target) => {
    const config = loadConfig(appConfigEnv());
    const database = await openDatabase({ url: target.url, poolMax: config.DATABASE_POOL_MAX });
    try {
      progress(`reminders on ${target.description} (pool ${config.DATABASE_POOL_MAX})`);
      return await runOn('PostgreSQL', target.description, database, signal);
    } finally {
      await database.close();
    }
  });
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
  const failed: { database: string; error: string }[] = [];
  // One database failing (e.g. setup overran the lead) still leaves the others' results.
  const attempt = async (database: string, run: () => Promise<Result | { skipped: string }>) => {
    try {
      const r = await run();
      if ('skipped' in r) skipped.push({ database, skipped: r.skipped });
      else results.push(r);
    } catch (e) {
      progress(`${database} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      failed.push({ database, error: e instanceof Error ? e.message : String(e) });
    }
  };
  try {
    progress(`${SCENARIO}: ${JSON.stringify(params)}`);
    if (databases.includes('pglite')) await attempt('PGlite', () => onPglite(dir, limit.signal, false));
    if (databases.includes('pglite-yield')) await attempt('PGlite + yield (proposed)', () => onPglite(dir, limit.signal, true));
    if (databases.includes('postgres')) await attempt('PostgreSQL', () => onPostgresServer(dir, limit.signal));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    limit.done();
  }
  const output = {
    scenario: SCENARIO,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: host.finish(),
    params: { ...params, databases, appConfig: appConfigEnv() },
    measures: {
      scheduler: 'reminder_schedules.fired_at − fires_at: when the scheduler claimed the reminder and recorded reminder.due (the onFired hook; the same values are in the table)',
      endToEnd: 'notifications.created_at − fires_at: the in-app notification written by the reminder.due consumer (its clock reading just before the insert; commit follows within the transaction)',
      notificationChanged: 'arrival of notification.changed at a subscriber of the notifications topic − fires_at: where the real-time service picks it up to push',
    },
    results: results.map(({ samples: _samples, ...r }) => r),
    skipped,
    failed,
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
  for (const f of failed) console.log(`reminders ${f.database}: FAILED (${f.error})`);
  if (failed.length > 0 || results.some((r) => !r.checks.ok)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  progress(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
