// Benchmark "create-then-list": creates tasks through the HTTP API and lists them back in cursor
// pages, then does the same work as raw SQL through a pg Pool, and compares the two.
// Run with `npm run bench`; parameters come from BENCH_* environment variables (see README.md).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { composeProcess, createLogger } from '@taskstream/api';
import { loadConfig } from '@taskstream/config';
import { migrateDatabase, openDatabase } from '@taskstream/db';
import { freePort } from '../../scripts/infra/ports.mjs';
import { ApiDriver, type Page } from './api-driver.js';
import { renderChart } from './chart.js';
import { machineInfo, onPostgresServer, timeLimit, type PostgresServer } from './harness.js';
import { intParam } from './params.js';
import { progress, runPool } from './pool.js';
import { SqlDriver } from './sql-driver.js';
import { PhaseRecorder, type PhaseStats } from './stats.js';
import { taskSpec, tasksOfUser } from './workload.js';

const SCENARIO = 'create-then-list';
const resultsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../results');

const params = {
  tasks: intParam('BENCH_TASKS', 2000, 1, 200_000),
  concurrency: intParam('BENCH_CONCURRENCY', 16, 1, 256),
  // Better Auth allows 20 sign-ups a minute per address; one more user is the warm-up user.
  users: intParam('BENCH_USERS', 4, 1, 16),
  listRepeats: intParam('BENCH_LIST_REPEATS', 5, 1, 100),
  pageSize: intParam('BENCH_PAGE_SIZE', 200, 1, 200),
  poolMax: intParam('BENCH_POOL_MAX', 10, 1, 200),
  warmupTasks: intParam('BENCH_WARMUP', 100, 0, 10_000),
  timeoutSeconds: intParam('BENCH_TIMEOUT_SECONDS', 600, 10, 3600),
};

interface Side {
  /** Creates task i for user u and returns its id. */
  create(user: number, i: number): Promise<string>;
  page(user: number, cursor: string | null): Promise<Page>;
  warmupUser: number;
}

interface ListCheck {
  traversals: number;
  mismatches: number;
  examples: string[];
}

/** Warm-up (not measured), then phase 1 (create) and phase 2 (list every user's tasks, R times). */
async function measure(label: string, side: Side, admin: pg.Pool, signal: AbortSignal) {
  if (params.warmupTasks > 0) {
    progress(`${label}: warm-up, ${params.warmupTasks} creates + 1 listing (not measured)`);
    const warm = new PhaseRecorder();
    await runPool({ label: `${label} warm-up`, jobs: params.warmupTasks, concurrency: params.concurrency, recorder: warm, signal, quiet: true }, async (i) => {
      await warm.time(() => side.create(side.warmupUser, params.tasks + i));
    });
    for (let cursor: string | null = null, first = true; first || cursor; first = false) cursor = (await side.page(side.warmupUser, cursor)).nextCursor;
  }
  await checkpoint(admin);

  const create = new PhaseRecorder();
  await runPool({ label: `${label} create`, jobs: params.tasks, concurrency: params.concurrency, recorder: create, signal }, async (i) => {
    await create.time(() => side.create(i % params.users, i));
    create.items++;
  });

  const list = new PhaseRecorder();
  const check: ListCheck = { traversals: 0, mismatches: 0, examples: [] };
  const traversals = params.users * params.listRepeats;
  await runPool({ label: `${label} list`, jobs: traversals, concurrency: params.concurrency, recorder: list, signal }, async (j) => {
    const user = j % params.users;
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Page = await list.time(() => side.page(user, cursor));
      for (const id of page.ids) seen.add(id);
      list.items += page.ids.length;
      cursor = page.nextCursor;
    } while (cursor);
    check.traversals++;
    const expected = tasksOfUser(user, params.users, params.tasks);
    if (seen.size !== expected) {
      check.mismatches++;
      if (check.examples.length < 5) check.examples.push(`user ${user}: listed ${seen.size} distinct tasks, created ${expected}`);
    }
  });
  return { create, list, check };
}

async function checkpoint(admin: pg.Pool): Promise<void> {
  // Flush dirty pages now so a checkpoint is less likely to land inside a measured phase.
  await admin.query('checkpoint').catch(() => {});
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);
function ratios(api: PhaseStats, sql: PhaseStats) {
  return {
    throughput: ratio(api.throughputRps, sql.throughputRps),
    p50: ratio(api.latencyMs.p50, sql.latencyMs.p50),
    p95: ratio(api.latencyMs.p95, sql.latencyMs.p95),
    p99: ratio(api.latencyMs.p99, sql.latencyMs.p99),
  };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const limit = timeLimit(params.timeoutSeconds);
  const dir = mkdtempSync(join(tmpdir(), 'taskstream-bench-'));
  chmodSync(dir, 0o755); // the postgres OS user must be able to enter it when we run as root
  try {
    progress(`${SCENARIO}: ${JSON.stringify(params)}`);
    const r = await onPostgresServer(dir, (server) => compare(server, startedAt, limit.signal));
    if (r) throw new Error(`no PostgreSQL to run on: ${r.skipped}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    limit.done();
  }
}

/** The API and the raw-SQL baseline, each on a fresh database of `server`; writes the results. */
async function compare(server: PostgresServer, startedAt: Date, signal: AbortSignal): Promise<void> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const stamp = startedAt.toISOString().replace(/\D/g, '').slice(0, 14);
    const dbUrls = { api: await server.database('create_then_list_api'), sql: await server.database('create_then_list_sql') };
    const dbName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
    const admin = new pg.Pool({ connectionString: dbUrls.api, max: 1 });
    // Its idle connection may still be closing when the database is dropped at the end.
    admin.on('error', () => {});
    cleanups.push(() => admin.end());
    const { rows } = await admin.query<{ version: string; server_version: string }>("select version(), current_setting('server_version') as server_version");
    const pgVersion = rows[0]?.version ?? 'unknown';

    // ---- API, in-process on 127.0.0.1: the api role as startServer composes it, its events left in the outbox ----
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const apiProcess = await composeProcess(
      loadConfig({
        SERVICES: 'api',
        RELAY_ENABLED: 'false',
        DATABASE_URL: dbUrls.api,
        DATABASE_POOL_MAX: String(params.poolMax),
        AUTH_SECRET: randomBytes(32).toString('hex'),
        PUBLIC_URL: publicUrl,
      }),
      { logger: createLogger('warn') },
    );
    let apiOpen = true;
    cleanups.push(async () => void (apiOpen && (await apiProcess.close())));
    await apiProcess.start({ host: '127.0.0.1', port });
    progress(`API listening on ${publicUrl} (database ${dbName(dbUrls.api)}, pool max ${params.poolMax})`);

    const api = new ApiDriver(publicUrl, signal);
    const tokens: string[] = [];
    for (let u = 0; u <= params.users; u++) tokens.push(await api.signUp(`bench-${u}-${stamp}@example.com`));
    const token = (u: number) => tokens[u] ?? '';
    const apiResult = await measure('api', {
      warmupUser: params.users,
      create: (u, i) => api.createTask(token(u), taskSpec(i)),
      page: (u, cursor) => api.listPage(token(u), params.pageSize, cursor),
    }, admin, signal);
    await apiProcess.close();
    apiOpen = false;

    // ---- raw SQL baseline, separate fresh database ----
    const migrator = await openDatabase({ url: dbUrls.sql, poolMax: 1 });
    await migrateDatabase(migrator);
    await migrator.close();
    const pool = new pg.Pool({ connectionString: dbUrls.sql, max: params.poolMax, application_name: 'taskstream-bench' });
    pool.on('error', () => {});
    cleanups.push(() => pool.end());
    const sql = new SqlDriver(pool);
    const userIds: string[] = [];
    for (let u = 0; u <= params.users; u++) userIds.push(await sql.createUser(`bench-${u}-${stamp}@example.com`));
    const userId = (u: number) => userIds[u] ?? '';
    progress(`raw SQL baseline on database ${dbName(dbUrls.sql)} (pg Pool max ${params.poolMax})`);
    const sqlResult = await measure('sql', {
      warmupUser: params.users,
      create: (u, i) => sql.createTask(userId(u), taskSpec(i)),
      page: (u, cursor) => sql.listPage(userId(u), params.pageSize, cursor),
    }, admin, signal);

    // ---- results ----
    const phases = {
      create: { api: apiResult.create.summary(), sql: sqlResult.create.summary() },
      list: { api: apiResult.list.summary(), sql: sqlResult.list.summary() },
    };
    const host = machineInfo();
    const results = {
      scenario: SCENARIO,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: {
        ...host,
        postgres: pgVersion,
        postgresSource: process.env.DATABASE_URL ? 'DATABASE_URL' : 'throwaway server (scripts/infra/postgres), default settings',
      },
      parameters: {
        ...params,
        tasksPerUser: Math.ceil(params.tasks / params.users),
        listTraversals: params.users * params.listRepeats,
        payload: { tags: taskSpec(0).tags, reminders: 1, dueAt: 'local time, Europe/Berlin' },
      },
      phases,
      ratios: {
        note: 'api/sql: throughput < 1 means the API does that fraction of the raw-SQL rate; latency > 1 means the API is that many times slower',
        create: ratios(phases.create.api, phases.create.sql),
        list: ratios(phases.list.api, phases.list.sql),
      },
      checks: {
        api: { list: apiResult.check, createFailures: apiResult.create.examples, listFailures: apiResult.list.examples },
        sql: { list: sqlResult.check, createFailures: sqlResult.create.examples, listFailures: sqlResult.list.examples },
      },
    };
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, `${SCENARIO}.json`), JSON.stringify(results, null, 2) + '\n');
    const subtitle = `${params.tasks} tasks, concurrency ${params.concurrency}, ${params.users} users, list ${params.listRepeats}× in pages of ${params.pageSize}, pool ${params.poolMax} · ${host.cpus} CPUs · Node ${process.version} · PostgreSQL ${rows[0]?.server_version ?? '?'}`;
    writeFileSync(
      join(resultsDir, `${SCENARIO}.svg`),
      renderChart({
        title: `Taskstream ${SCENARIO}: API vs raw SQL`,
        subtitle,
        phases: [
          { name: 'Phase 1 · create task', ...phases.create },
          { name: `Phase 2 · list page (${params.pageSize})`, ...phases.list },
        ],
      }),
    );
    progress(`wrote ${join(resultsDir, `${SCENARIO}.json`)} and .svg`);

    const c = phases.create;
    const l = phases.list;
    const failures = c.api.failed + l.api.failed + c.sql.failed + l.sql.failed + apiResult.check.mismatches + sqlResult.check.mismatches;
    console.log(
      `${SCENARIO}: create API ${c.api.throughputRps} req/s p50 ${c.api.latencyMs.p50} ms p95 ${c.api.latencyMs.p95} ms vs SQL ${c.sql.throughputRps} req/s p50 ${c.sql.latencyMs.p50} ms` +
        ` (throughput ratio api/sql ${results.ratios.create.throughput}); list API ${l.api.throughputRps} pages/s p50 ${l.api.latencyMs.p50} ms p95 ${l.api.latencyMs.p95} ms vs SQL ${l.sql.throughputRps} pages/s p50 ${l.sql.latencyMs.p50} ms` +
        ` (ratio ${results.ratios.list.throughput})${failures ? `; ${failures} FAILURES, see checks in the JSON` : ''}`,
    );
    if (failures) process.exitCode = 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (e) {
        progress(`clean-up: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}

main().catch((e: unknown) => {
  progress(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
