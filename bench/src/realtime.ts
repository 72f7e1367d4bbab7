// Benchmark "realtime": latency from a task change's commit to the task.changed message on the
// owner's WebSocket. The embedded app runs as `npm start` runs it (startServer, every role) on
// 127.0.0.1, on PGlite and on PostgreSQL; clients connect to GET /ws with a bearer session token.
// Changes are paced (not a backlog) and made over HTTP (PATCH) or by the updateTask command.
// Over HTTP the commit happens somewhere between the request's start and its response, so both
// ends are reported: request start → message bounds commit → message from above, response →
// message from below.
// Run with `npm run bench:realtime`; parameters come from BENCH_* variables (see README.md).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createLogger, startServer, type RunningServer } from '@taskstream/api';
import { loadConfig } from '@taskstream/config';
import { updateTask } from '@taskstream/tasks';
import { freePort } from '../../scripts/infra/ports.mjs';
import { ApiDriver } from './api-driver.js';
import { appConfigEnv, machine, onPostgres, timeLimit } from './harness.js';
import { renderPercentileBars } from './latency-chart.js';
import { intListParam, intParam, listParam } from './params.js';
import { progress } from './pool.js';
import { latencyStats } from './stats.js';

const SCENARIO = 'realtime';
const resultsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../results');

const params = {
  // Sign-up allows 20 a minute per address; more users wait for the limit.
  users: intParam('BENCH_REALTIME_USERS', 10, 1, 100),
  socketsPerUser: intParam('BENCH_REALTIME_SOCKETS', 1, 1, 20),
  /** Each paced line lasts this long: rate × seconds changes. */
  seconds: intParam('BENCH_REALTIME_SECONDS', 30, 1, 600),
  warmup: intParam('BENCH_REALTIME_WARMUP', 50, 0, 10_000),
  /** After the last change, how long missing messages may take before they count as lost. */
  drainSeconds: intParam('BENCH_REALTIME_DRAIN_SECONDS', 30, 1, 600),
  /** The whole run, every database and line, is aborted after this. */
  timeoutSeconds: intParam('BENCH_TIMEOUT_SECONDS', 900, 10, 7200),
};
const modes = listParam('BENCH_REALTIME_MODES', 'http,command', ['http', 'command'] as const);
const databases = listParam('BENCH_REALTIME_DATABASES', 'pglite,postgres', ['pglite', 'postgres'] as const);
/** Changes per second: a light load and a moderate one. */
const rates = intListParam('BENCH_REALTIME_RATES', '10,50', 1, 1000);
type Mode = (typeof modes)[number];

type Stats = ReturnType<typeof stats>;
const stats = (samples: number[]) => ({ count: samples.length, ...latencyStats(samples) });

interface Client {
  userId: string;
  token: string;
  taskId: string;
  sockets: WebSocket[];
}

interface Result {
  database: string;
  server: string;
  mode: Mode;
  rate: number;
  changes: number;
  expectedMessages: number;
  /** task.changed → client, from the change's commit: the command's return, or over HTTP the response read (a lower bound). */
  commitToMessageMs: Stats;
  /** HTTP only: from the moment the PATCH started (an upper bound of commit → message). */
  requestToMessageMs?: Stats;
  /** p50 of commit → message in the first, middle and last third of the line: rising when the pipeline falls behind. */
  commitToMessageP50ByThirdMs: [number, number, number];
  /** The request or command itself. */
  changeMs: Stats;
  /** HTTP only: messages that arrived before the response had been read (negative commit → message). */
  beforeResponse?: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  checks: { missingMessages: number; failedChanges: number; ok: boolean };
}

const key = (taskId: string, version: number) => `${taskId}:${version}`;
const text = (raw: WebSocket.RawData) => (Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw)).toString();

/** Every task.changed message of the run's sockets, by task and version: when each socket got it. */
class Inbox {
  readonly arrivals = new Map<string, number[]>();
  private waiters: (() => void)[] = [];

  receive(raw: WebSocket.RawData): void {
    const at = performance.now();
    const message = JSON.parse(text(raw)) as { type?: string; data?: { taskId?: string; task?: { version?: number } | null } };
    if (message.type !== 'task.changed' || !message.data?.taskId || message.data.task?.version === undefined) return;
    const k = key(message.data.taskId, message.data.task.version);
    this.arrivals.set(k, [...(this.arrivals.get(k) ?? []), at]);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once every key has `per` arrivals, or at `deadline` (performance time). */
  async wait(keys: string[], per: number, deadline: number, signal: AbortSignal): Promise<void> {
    while (keys.some((k) => (this.arrivals.get(k)?.length ?? 0) < per) && performance.now() < deadline) {
      signal.throwIfAborted();
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200).unref();
      });
    }
  }
}

function openSocket(baseUrl: string, token: string, inbox: Inbox): Promise<WebSocket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, { headers: { authorization: `Bearer ${token}` } });
  return new Promise((resolve, reject) => {
    ws.once('message', (raw: WebSocket.RawData) => {
      const hello = JSON.parse(text(raw)) as { type?: string };
      if (hello.type !== 'hello') return reject(new Error(`expected hello first, got ${text(raw).slice(0, 200)}`));
      ws.on('message', (data: WebSocket.RawData) => inbox.receive(data));
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`GET /ws answered ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Users signed up over HTTP, one task each, and their sockets (each has said hello). */
async function connectClients(server: RunningServer, baseUrl: string, inbox: Inbox, signal: AbortSignal): Promise<Client[]> {
  const api = new ApiDriver(baseUrl, signal);
  const stamp = Date.now();
  const clients: Client[] = [];
  for (let u = 0; u < params.users; u++) {
    const token = await api.signUp(`bench-realtime-${u}-${stamp}@example.com`);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const me = await json<{ id: string }>(await fetch(`${baseUrl}/api/me`, { headers, signal }), 'GET /api/me');
    const task = await json<{ id: string }>(await fetch(`${baseUrl}/api/tasks`, { method: 'POST', headers, body: JSON.stringify({ title: `bench task of user ${u}` }), signal }), 'POST /api/tasks');
    const sockets = await Promise.all(Array.from({ length: params.socketsPerUser }, () => openSocket(baseUrl, token, inbox)));
    clients.push({ userId: me.id, token, taskId: task.id, sockets });
  }
  progress(`${clients.length} users signed up, ${clients.length * params.socketsPerUser} sockets open (${server.database.kind})`);
  return clients;
}

/** One change of client c's task; returns the new version. */
function changer(mode: Mode, server: RunningServer, baseUrl: string, signal: AbortSignal) {
  const ctx = server.process.tasks;
  return async (c: Client, title: string): Promise<number> => {
    if (mode === 'command') return (await updateTask(ctx, { userId: c.userId, timeZone: 'UTC' }, c.taskId, { title })).version;
    const res = await fetch(`${baseUrl}/api/tasks/${c.taskId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
      signal,
    });
    return (await json<{ version: number }>(res, `PATCH /api/tasks/${c.taskId}`)).version;
  };
}

/** Paced changes, round-robin over the users: change i starts at i / rate seconds, whatever the others do. */
async function measure(label: string, server: RunningServer, baseUrl: string, clients: Client[], inbox: Inbox, mode: Mode, rate: number, signal: AbortSignal): Promise<Omit<Result, 'database' | 'server'>> {
  const change = changer(mode, server, baseUrl, signal);
  const paced = async (count: number, tag: string) => {
    const started = performance.now();
    const done: { key: string; t0: number; t1: number }[] = [];
    let failed = 0;
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      const c = clients[i % clients.length]!;
      jobs.push(
        (async () => {
          const t0 = performance.now();
          try {
            const version = await change(c, `${tag} ${i}`);
            done.push({ key: key(c.taskId, version), t0, t1: performance.now() });
          } catch (e) {
            failed++;
            if (failed <= 3) progress(`${label} ${mode} ${rate}/s: change failed: ${e instanceof Error ? e.message : String(e)}`);
          }
        })(),
      );
      if ((i + 1) % Math.ceil(count / 3) === 0 && tag === 'measured') progress(`${label} ${mode} ${rate}/s: ${i + 1}/${count} changes`);
    }
    await Promise.all(jobs);
    await inbox.wait(done.map((d) => d.key), params.socketsPerUser, performance.now() + params.drainSeconds * 1000, signal);
    return { done, failed };
  };
  if (params.warmup > 0) await paced(params.warmup, 'warm-up');
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const changes = rate * params.seconds;
  const { done, failed } = await paced(changes, 'measured');
  loop.disable();
  const commitMs: number[] = [];
  const requestMs: number[] = [];
  const thirds: [number[], number[], number[]] = [[], [], []];
  const first = Math.min(...done.map((d) => d.t0));
  const span = params.seconds * 1000;
  let missing = 0;
  let beforeResponse = 0;
  for (const d of done) {
    const arrivals = inbox.arrivals.get(d.key) ?? [];
    missing += Math.max(0, params.socketsPerUser - arrivals.length);
    for (const at of arrivals) {
      if (at < d.t1) beforeResponse++;
      commitMs.push(at - d.t1);
      requestMs.push(at - d.t0);
      thirds[Math.min(2, Math.max(0, Math.floor(((d.t0 - first) / span) * 3)))]!.push(at - d.t1);
    }
  }
  const ms = (ns: number) => Math.round(ns / 1e3) / 1e3;
  const http = mode === 'http';
  return {
    mode,
    rate,
    changes,
    expectedMessages: changes * params.socketsPerUser,
    commitToMessageMs: stats(commitMs),
    ...(http && { requestToMessageMs: stats(requestMs) }),
    commitToMessageP50ByThirdMs: [stats(thirds[0]).p50, stats(thirds[1]).p50, stats(thirds[2]).p50],
    changeMs: stats(done.map((d) => d.t1 - d.t0)),
    ...(http && { beforeResponse }),
    eventLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    checks: { missingMessages: missing + failed * params.socketsPerUser, failedChanges: failed, ok: missing === 0 && failed === 0 },
  };
}

/**
 * The app as `npm start` runs it, on the given database, listening on a free loopback port. Each
 * finished line goes to `results` at once, so a run stopped by the time limit keeps them.
 */
async function runOn(label: string, server: string, env: Record<string, string>, dataDir: string, signal: AbortSignal, results: Result[]): Promise<void> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...appConfigEnv(), ...env, HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: baseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'warn', AUTH_SECRET: randomBytes(32).toString('hex') });
  const app = await startServer(config, createLogger('warn'));
  const inbox = new Inbox();
  let clients: Client[] = [];
  try {
    progress(`realtime on ${label}: app on ${baseUrl}`);
    clients = await connectClients(app, baseUrl, inbox, signal);
    for (const rate of rates) {
      for (const mode of modes) {
        progress(`${label} ${mode}: ${params.warmup} warm-up + ${rate * params.seconds} changes at ${rate}/s`);
        results.push({ database: label, server, ...(await measure(label, app, baseUrl, clients, inbox, mode, rate, signal)) });
      }
    }
  } finally {
    for (const c of clients) for (const ws of c.sockets) ws.terminate();
    await app.close();
  }
}

function chart(results: Result[]): string {
  return renderPercentileBars({
    title: 'Commit → WebSocket: task.changed reaching the owner’s client',
    subtitle: `embedded app (startServer) on 127.0.0.1 · ${params.users} users × ${params.socketsPerUser} socket · paced changes, ${params.seconds} s per line · ${cpus().length} CPUs, shared machine · Node ${process.version}`,
    axisLabel: 'latency per message',
    rows: results.map((r) => ({
      label: `${r.database} · ${r.mode === 'http' ? 'PATCH over HTTP' : 'updateTask command'} · ${r.rate}/s`,
      failed: !r.checks.ok,
      series: [
        { name: 'commit → message (commit = command returned, or HTTP response read: a lower bound)', color: '#2563eb', p50: r.commitToMessageMs.p50, p99: r.commitToMessageMs.p99 },
        ...(r.requestToMessageMs ? [{ name: 'HTTP request start → message (an upper bound)', color: '#9333ea', p50: r.requestToMessageMs.p50, p99: r.requestToMessageMs.p99 }] : []),
      ],
    })),
  });
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const host = machine();
  const limit = timeLimit(params.timeoutSeconds);
  const dir = mkdtempSync(join(tmpdir(), 'taskstream-bench-realtime-'));
  chmodSync(dir, 0o755); // the postgres OS user must be able to enter it when we run as root
  const results: Result[] = [];
  const skipped: { database: string; skipped: string }[] = [];
  const failed: { database: string; error: string }[] = [];
  // One database failing still leaves the others' results.
  const attempt = async (database: string, run: () => Promise<void | { skipped: string }>) => {
    try {
      const r = await run();
      if (r) skipped.push({ database, skipped: r.skipped });
    } catch (e) {
      // Stopped by the time limit (or a signal): say so rather than "The operation was aborted".
      const cause: unknown = limit.signal.aborted ? limit.signal.reason : e;
      const error = cause instanceof Error ? cause.message : String(cause);
      progress(`${database} failed: ${limit.signal.aborted ? error : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      failed.push({ database, error });
    }
  };
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
    measures: {
      commitToMessage: 'arrival of task.changed on the socket − the change’s commit, taken when updateTask returned (command) or the HTTP response body had been read (http: the commit happened earlier, so this is a lower bound, negative when the push beat the response)',
      requestToMessage: 'http only: arrival − the moment the PATCH request started (an upper bound of commit → message)',
      commitToMessageP50ByThird: 'p50 of commit → message over the changes started in each third of the line; rising thirds mean the pipeline fell behind the rate',
      path: 'commit → outbox → relay (LISTEN/NOTIFY wake-up) → in-process bus → real-time consumer → resume buffer (state table) → WebSocket',
    },
    results,
    skipped,
    failed,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${SCENARIO}.json`), JSON.stringify(output, null, 2) + '\n');
  writeFileSync(join(resultsDir, `${SCENARIO}.svg`), chart(results));
  progress(`wrote ${join(resultsDir, `${SCENARIO}.json`)} and .svg`);
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
  if (failed.length > 0 || results.some((r) => !r.checks.ok)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  progress(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
