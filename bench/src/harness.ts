// What the scenario scripts share besides their parameters (those are read by params.ts): the run's
// time limit, the machine description, a PostgreSQL database to run on, the app's configuration,
// a scratch directory and where the results go.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../../scripts/infra/ports.mjs';
import { startPostgres } from '../../scripts/infra/postgres/postgres.mjs';
import { progress } from './pool.js';

/**
 * Configuration for the app under test: every BENCH_APP_<NAME> variable as <NAME> (for example
 * BENCH_APP_REALTIME_RESUME_SIZE=20), so a run can try a setting without touching the code.
 */
export function appConfigEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env)
      .filter((e): e is [string, string] => e[0].startsWith('BENCH_APP_') && e[1] !== undefined && e[1] !== '')
      .map(([k, v]) => [k.slice('BENCH_APP_'.length), v]),
  );
}

const resultsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../results');

/** Writes bench/results/<scenario>.json and .svg and says so on stderr. */
export function writeResults(scenario: string, output: unknown, svg: string): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${scenario}.json`), JSON.stringify(output, null, 2) + '\n');
  writeFileSync(join(resultsDir, `${scenario}.svg`), svg);
  progress(`wrote ${join(resultsDir, `${scenario}.json`)} and .svg`);
}

/** A fresh temporary directory for the run's data folders; the caller removes it. */
export function scratchDir(scenario: string): string {
  const dir = mkdtempSync(join(tmpdir(), `taskstream-bench-${scenario}-`));
  chmodSync(dir, 0o755); // the postgres OS user must be able to enter it when we run as root
  return dir;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The machine's fixed description (CPUs, memory, OS, Node), for the JSON. */
export function machineInfo() {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  };
}

/** The machine and its load, for the JSON; call `machine()` at the start and `finish()` at the end. */
export function machine() {
  const atStart = loadavg()[0] ?? 0;
  return {
    finish: () => ({
      ...machineInfo(),
      loadAverage1mAtStart: round2(atStart),
      loadAverage1mAtEnd: round2(loadavg()[0] ?? 0),
      caveat: 'a shared machine: other agents ran builds and tests at the same time, so tails include their load',
    }),
  };
}

/** The stop functions of the throwaway PostgreSQL servers still running, for the watchdog. */
const running = new Set<() => Promise<void>>();

/**
 * The run's time limit: `signal` aborts after `seconds` or on SIGINT/SIGTERM, and a watchdog
 * stops the throwaway PostgreSQL servers and exits the process 90 s later if clean-up hangs.
 * Call `done()` when finished.
 */
export function timeLimit(seconds: number): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(new Error(`time limit of ${seconds}s reached`)), seconds * 1000);
  timeout.unref();
  const onSignal = (sig: NodeJS.Signals) => controller.abort(new Error(`received ${sig}`));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const watchdog = setTimeout(() => {
    progress('watchdog: run did not finish in time; stopping');
    void Promise.allSettled([...running].map((stop) => stop())).finally(() => process.exit(3));
  }, (seconds + 90) * 1000);
  watchdog.unref();
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timeout);
      clearTimeout(watchdog);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export interface PostgresTarget {
  /** URL of a fresh database made for this run. */
  url: string;
  /** "PostgreSQL 15.x, throwaway local server, default settings" or "…, DATABASE_URL". */
  description: string;
}

export interface PostgresServer {
  /** As in PostgresTarget. */
  description: string;
  /** Creates a fresh database `bench_<name>_<time>` and returns its URL; dropped with the server's run. */
  database(name: string): Promise<string>;
}

/**
 * Runs `fn` on a PostgreSQL server: DATABASE_URL's if set, else a throwaway local server in `dir`
 * (scripts/infra/postgres), stopped afterwards. The databases `fn` creates are dropped afterwards
 * (unless BENCH_KEEP_DB=1). When no server can be started, returns why instead.
 */
export async function onPostgresServer<T>(dir: string, fn: (server: PostgresServer) => Promise<T>): Promise<T | { skipped: string }> {
  let url = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    try {
      const server = await startPostgres({ port: await freePort(), dir: join(dir, 'pg') });
      url = server.url;
      stop = () => server.stop();
      running.add(stop);
    } catch (e) {
      const reason = e instanceof Error ? e.message.split('\n')[0]! : String(e);
      progress(`PostgreSQL skipped: ${reason}`);
      return { skipped: reason };
    }
  }
  const admin = new pg.Client({ connectionString: url });
  // A server that goes away mid-run is reported by the failing query, not as a crash.
  admin.on('error', () => {});
  const created: string[] = [];
  try {
    await admin.connect();
    const version = (await admin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?';
    const source = process.env.DATABASE_URL ? 'DATABASE_URL' : 'throwaway local server, default settings';
    const serverUrl = url;
    try {
      return await fn({
        description: `PostgreSQL ${version}, ${source}`,
        database: async (name) => {
          const database = `bench_${name}_${Date.now()}`;
          await admin.query(`create database ${database}`);
          created.push(database);
          const target = new URL(serverUrl);
          target.pathname = `/${database}`;
          return target.toString();
        },
      });
    } finally {
      if (process.env.BENCH_KEEP_DB !== '1') for (const database of created) await admin.query(`drop database if exists ${database} with (force)`).catch(() => undefined);
    }
  } finally {
    await admin.end().catch(() => undefined);
    if (stop) {
      running.delete(stop);
      await stop();
    }
  }
}

/** Runs `fn` on a fresh database `bench_<name>_<time>` of onPostgresServer's server. */
export async function onPostgres<T>(dir: string, name: string, fn: (target: PostgresTarget) => Promise<T>): Promise<T | { skipped: string }> {
  return onPostgresServer(dir, async (server) => fn({ url: await server.database(name), description: server.description }));
}
