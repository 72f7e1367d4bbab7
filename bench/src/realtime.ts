// Benchmark "realtime": latency from a task change to its task.changed message on the owner's
// WebSocket. The embedded system runs as `npm start` runs it (startServer, every service in one
// process) on 127.0.0.1 — on PGlite in a temporary folder, or on DATABASE_URL when set. Users
// change their tasks over HTTP (PATCH) at a paced rate; each change is timed from the request's
// start and from its response to the message's arrival.
//
//   npm run bench:realtime       (BENCH_REALTIME_USERS, _RATE, _SECONDS, BENCH_TIMEOUT_SECONDS)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import pino from 'pino';
import { startServer } from '@taskstream/api';
import { loadConfig } from '@taskstream/config';
import { freePort } from '../../scripts/postgres.mjs';
import { ApiDriver } from './api-driver.js';
import { renderLatencyChart } from './latency-chart.js';
import { intParam } from './params.js';
import { progress } from './pool.js';
import { latencyStats } from './stats.js';
import { taskSpec } from './workload.js';

const resultsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../results');
const num = (name: string, fallback: number, max: number) => intParam(name, fallback, 1, max);
const params = {
  users: num('BENCH_REALTIME_USERS', 10, 100),
  /** Changes per second, spread over the users. */
  rate: num('BENCH_REALTIME_RATE', 20, 1000),
  seconds: num('BENCH_REALTIME_SECONDS', 30, 3600),
  timeoutSeconds: num('BENCH_TIMEOUT_SECONDS', 600, 14_400),
};

interface Change {
  taskId: string;
  title: string;
  sentAt: number;
  answeredAt?: number;
  receivedAt?: number;
}

async function main(): Promise<void> {
  const deadline = AbortSignal.timeout(params.timeoutSeconds * 1000);
  const dataDir = mkdtempSync(join(tmpdir(), 'taskstream-bench-realtime-'));
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SIGN_IN_RATE_LIMIT: '10000',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }),
    OUTBOX_POLL_MS: '200',
  });
  const server = await startServer(config, pino({ level: 'warn' }));
  const base = `http://127.0.0.1:${port}`;
  const api = new ApiDriver(base, deadline);
  const database = server.database.kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL (DATABASE_URL)';
  const sockets: WebSocket[] = [];
  try {
    progress(`realtime: ${database}; ${params.users} users, ${params.rate} changes/s for ${params.seconds} s`);
    const pending = new Map<string, Change>();
    const users: { token: string; taskId: string }[] = [];
    for (let u = 0; u < params.users; u++) {
      const token = await api.signUp(`rt-${u}-${Date.now()}@bench.example`);
      const taskId = await api.createTask(token, taskSpec(u));
      const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${token}` } });
      ws.on('message', (raw: Buffer) => {
        const m = JSON.parse(raw.toString()) as { type: string; data?: { task?: { id: string; title: string } | null } };
        const task = m.type === 'task.changed' ? m.data?.task : undefined;
        const change = task ? pending.get(`${task.id} ${task.title}`) : undefined;
        if (change && change.receivedAt === undefined) change.receivedAt = performance.now();
      });
      await new Promise<void>((ok, fail) => ws.once('open', () => ok()).once('error', fail));
      sockets.push(ws);
      users.push({ token, taskId });
    }
    await sleep(1000); // let the creations' own messages pass
    const changes: Change[] = [];
    const total = params.rate * params.seconds;
    const start = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total && !deadline.aborted; i++) {
      const due = start + (i * 1000) / params.rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const user = users[i % users.length]!;
      const change: Change = { taskId: user.taskId, title: `change ${i}`, sentAt: performance.now() };
      pending.set(`${change.taskId} ${change.title}`, change);
      changes.push(change);
      inFlight.push(
        fetch(`${base}/api/tasks/${user.taskId}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title: change.title }),
          signal: deadline,
        }).then(async (res) => {
          change.answeredAt = performance.now();
          if (res.status !== 200) throw new Error(`PATCH ${res.status} ${await res.text()}`);
        }),
      );
      if ((i + 1) % Math.max(1, Math.floor(total / 10)) === 0) progress(`realtime: ${i + 1}/${total} changes sent`);
    }
    await Promise.all(inFlight);
    for (let waited = 0; changes.some((c) => c.receivedAt === undefined) && waited < 30_000; waited += 100) await sleep(100);
    const missing = changes.filter((c) => c.receivedAt === undefined).length;
    const received = changes.filter((c): c is Required<Change> => c.receivedAt !== undefined && c.answeredAt !== undefined);
    const fromRequest = received.map((c) => c.receivedAt - c.sentAt);
    const fromResponse = received.map((c) => c.receivedAt - c.answeredAt);
    const result = {
      scenario: 'realtime',
      finishedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, note: 'shared 2-core machine; other work ran at the same time' },
      params,
      database,
      measures: {
        requestToMessageMs: 'PATCH sent → task.changed received on the WebSocket: an upper bound of commit → message',
        responseToMessageMs: 'PATCH response received → task.changed received; negative when the push beat the HTTP response (commit happens before both)',
      },
      requestToMessageMs: latencyStats(fromRequest),
      responseToMessageMs: latencyStats(fromResponse),
      checks: { changes: changes.length, received: received.length, missing, ok: missing === 0 },
    };
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'realtime.json'), JSON.stringify(result, null, 2) + '\n');
    const at = (c: Required<Change>) => (c.sentAt - start) / 1000;
    writeFileSync(
      join(resultsDir, 'realtime.svg'),
      renderLatencyChart({
        title: `Change → WebSocket message: ${params.rate} changes/s for ${params.seconds} s, ${params.users} users`,
        subtitle: `embedded system (every service in one process) on ${database} · ${cpus().length} CPUs, shared machine · Node ${process.version}`,
        timeLabel: 'when the change was sent (s)',
        bucketSeconds: Math.max(1, Math.round(params.seconds / 30)),
        targetMs: 100,
        rows: [
          {
            title: database,
            series: [
              { label: 'request sent → message (upper bound)', color: '#2563eb', samples: received.map((c) => ({ at: at(c), ms: c.receivedAt - c.sentAt })) },
              { label: 'response received → message', color: '#ea580c', samples: received.map((c) => ({ at: at(c), ms: Math.max(0, c.receivedAt - c.answeredAt) })) },
            ],
          },
        ],
      }),
    );
    const s = result.requestToMessageMs;
    console.log(`realtime ${database}: request → message p50 ${s.p50.toFixed(1)} p99 ${s.p99.toFixed(1)} ms; response → message p50 ${result.responseToMessageMs.p50.toFixed(1)} p99 ${result.responseToMessageMs.p99.toFixed(1)} ms; ${missing} missing`);
    if (missing > 0) process.exitCode = 1;
  } finally {
    for (const ws of sockets) ws.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
