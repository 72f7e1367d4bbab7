// Benchmark "reminders": how late reminders fire when 10,000 of them fall due within one minute.
// The embedded stack runs as `npm start` wires it (outbox → relay → in-process bus → every
// consumer, the notification service with its scheduler), on PGlite and on PostgreSQL. Tasks are
// created through the tasks commands, so schedules arrive through task-events like in production.
// Run with `npm run bench:reminders`; parameters come from BENCH_* variables (see README.md).
// The steps of one run are in reminders/ (run-on.ts strings them together).
import { rmSync } from 'node:fs';
import { machine, scratchDir, timeLimit, writeResults } from './harness.js';
import { progress } from './pool.js';
import { chart } from './reminders/chart.js';
import { runOnPglite, runOnPostgres } from './reminders/databases.js';
import { databases, params, SCENARIO } from './reminders/params.js';
import type { Result } from './reminders/result.js';

type Skipped = { database: string; skipped: string };

const measures = {
  scheduler: 'reminder_schedules.fired_at − fires_at: when the scheduler claimed the reminder and recorded reminder.due (the onFired hook; the same values are in the table)',
  endToEnd: 'notifications.created_at − fires_at: the in-app notification written by the reminder.due consumer (its clock reading just before the insert; commit follows within the transaction)',
  notificationChanged: 'arrival of notification.changed at a subscriber of the notifications topic − fires_at: where the real-time service picks it up to push',
};

async function main(): Promise<void> {
  const startedAt = new Date();
  const host = machine();
  const limit = timeLimit(params.timeoutSeconds);
  const dir = scratchDir(SCENARIO);
  const results: Result[] = [];
  const skipped: Skipped[] = [];
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
    measures,
    results: results.map(({ samples: _samples, ...r }) => r),
    skipped,
  };
  writeResults(SCENARIO, output, chart(results));
  summarize(results, skipped);
  if (results.some((r) => !r.checks.ok)) process.exitCode = 1;
}

/** One line per database on stdout: the figures the target is read against, and the checks. */
function summarize(results: Result[], skipped: Skipped[]): void {
  for (const r of results) {
    const s = r.schedulerLatenessMs;
    const e = r.endToEndLatenessMs;
    console.log(
      `reminders ${r.database}: scheduler p50 ${s.p50} p90 ${s.p90} p99 ${s.p99} max ${s.max} ms; end to end p50 ${e.p50} p90 ${e.p90} p99 ${e.p99} max ${e.max} ms` +
        ` (target p99 ≤ ${params.targetP99Ms} ms: scheduler ${s.p99 <= params.targetP99Ms ? 'met' : 'MISSED'}, end to end ${e.p99 <= params.targetP99Ms ? 'met' : 'MISSED'}); checks ${r.checks.ok ? 'ok' : 'FAILED'}`,
    );
  }
  for (const s of skipped) console.log(`reminders ${s.database}: skipped (${s.skipped})`);
}

main().catch((e: unknown) => {
  progress(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
