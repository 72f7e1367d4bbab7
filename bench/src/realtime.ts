// Benchmark "realtime": latency from a task change's commit to the task.changed message on the
// owner's WebSocket. The embedded app runs as `npm start` runs it (startServer, every role) on
// 127.0.0.1, on PGlite and on PostgreSQL; clients connect to GET /ws with a bearer session token.
// Changes are paced (not a backlog) and made over HTTP (PATCH) or by the updateTask command.
// Over HTTP the commit happens somewhere between the request's start and its response, so both
// ends are reported: request start → message bounds commit → message from above, response →
// message from below.
// Run with `npm run bench:realtime`; parameters come from BENCH_* variables (see README.md).
// The parts of one run are in realtime/ (run-on.ts: the app and its lines, measure.ts: one line).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { appConfigEnv, machine, onPostgres, scratchDir, timeLimit, writeResults } from './harness.js';
import { progress } from './pool.js';
import { chart } from './realtime/chart.js';
import { databases, modes, params, rates, SCENARIO } from './realtime/params.js';
import type { Result, Stats } from './realtime/result.js';
import { runOn } from './realtime/run-on.js';

interface Outcomes {
  skipped: { database: string; skipped: string }[];
  failed: { database: string; error: string }[];
}

const measures = {
  commitToMessage: 'arrival of task.changed on the socket − the change’s commit, taken when updateTask returned (command) or the HTTP response body had been read (http: the commit happened earlier, so this is a lower bound, negative when the push beat the response)',
  requestToMessage: 'http only: arrival − the moment the PATCH request started (an upper bound of commit → message)',
  commitToMessageP50ByThird: 'p50 of commit → message over the changes started in each third of the line; rising thirds mean the pipeline fell behind the rate',
  path: 'commit → outbox → relay (LISTEN/NOTIFY wake-up) → in-process bus → real-time consumer → resume buffer (state table) → WebSocket',
};

async function main(): Promise<void> {
  const startedAt = new Date();
  const host = machine();
  const limit = timeLimit(params.timeoutSeconds);
  const dir = scratchDir(SCENARIO);
  const results: Result[] = [];
  const outcomes: Outcomes = { skipped: [], failed: [] };
  const attempt = attempter(limit.signal, outcomes);
  try {
    const perDatabase = modes.length * rates.reduce((sum, rate) => sum + params.warmup + rate * params.seconds, 0);
    progress(`${SCENARIO}: ${JSON.stringify({ ...params, modes, rates, databases })}`);
    progress(`${SCENARIO}: ${perDatabase} changes (warm-up included) on each of ${databases.length} database(s), ${modes.length * rates.length} lines of ${params.seconds} s each; stops after ${params.timeoutSeconds} s at most`);
    // PGlite in a data folder, as `npm start` uses (DATA_DIR/pglite).
    if (databases.includes('pglite')) await attempt('PGlite', () => runOn('PGlite', 'PGlite (WebAssembly, in this process), data folder on disk', {}, join(dir, 'data-pglite'), limit.signal, results));
    if (databases.includes('postgres')) {
      await attempt('PostgreSQL', () => onPostgres(dir, 'realtime', (target) => runOn('PostgreSQL', target.description, { DATABASE_URL: target.url }, join(dir, 'data-pg'), limit.signal, results)));
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
    params: { ...params, modes, rates, databases, appConfig: appConfigEnv() },
    measures,
    results,
    ...outcomes,
  };
  writeResults(SCENARIO, output, chart(results));
  summarize(results, outcomes);
  if (outcomes.failed.length > 0 || results.some((r) => !r.checks.ok)) process.exitCode = 1;
}

/** Runs one database's lines; a failure is recorded, not thrown, so the other databases still run. */
function attempter(signal: AbortSignal, { skipped, failed }: Outcomes) {
  return async (database: string, run: () => Promise<void | { skipped: string }>) => {
    try {
      const r = await run();
      if (r) skipped.push({ database, skipped: r.skipped });
    } catch (e) {
      // Stopped by the time limit (or a signal): say so rather than "The operation was aborted".
      const cause: unknown = signal.aborted ? signal.reason : e;
      const error = cause instanceof Error ? cause.message : String(cause);
      progress(`${database} failed: ${signal.aborted ? error : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      failed.push({ database, error });
    }
  };
}

/** One line per database, mode and rate on stdout, then what was skipped or failed. */
function summarize(results: Result[], { skipped, failed }: Outcomes): void {
  for (const r of results) {
    const figures = (s: Stats) => `p50 ${s.p50} p95 ${s.p95} p99 ${s.p99} max ${s.max} ms`;
    const request = r.requestToMessageMs ? `; request→message ${figures(r.requestToMessageMs)}` : '';
    console.log(
      `realtime ${r.database} ${r.mode} ${r.rate}/s: commit→message ${figures(r.commitToMessageMs)}${request}; ` +
        `${r.checks.ok ? `all ${r.expectedMessages} messages arrived` : `${r.checks.missingMessages} MISSING, ${r.checks.failedChanges} failed changes`}`,
    );
  }
  for (const s of skipped) console.log(`realtime ${s.database}: skipped (${s.skipped})`);
  for (const f of failed) console.log(`realtime ${f.database}: FAILED (${f.error})`);
}

main().catch((e: unknown) => {
  progress(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
