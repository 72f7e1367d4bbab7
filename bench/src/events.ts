// Benchmark "events": events per second through outbox → relay → in-process bus → handler (with
// the inbox), and the latency from the change's commit to its handler. Runs on PGlite (embedded)
// and on a local PostgreSQL. Dapr and Kafka transports join once their infrastructure runs here.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { appendToOutbox, databaseDeadLetters, handleOnce, InProcessBus, OutboxRelay, type EventBus } from '@taskstream/bus';
import { DaprBus } from '@taskstream/bus/dapr';
import { KafkaBus } from '@taskstream/bus/kafka';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { startDaprd } from '../../scripts/infra/dapr/daprd.mjs';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '@taskstream/db';
import { createEvent, TOPICS } from '@taskstream/events';
import { freePort } from '../../scripts/infra/ports.mjs';
import { onPostgres } from './harness.js';
import { intParam, listParam } from './params.js';
import { progress } from './pool.js';
import { latencyStats, type LatencyStats } from './stats.js';

const resultsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../results');
const num = (name: string, fallback: number) => intParam(name, fallback, 1, 1_000_000);
const params = {
  changes: num('BENCH_EVENT_CHANGES', 2000),
  users: num('BENCH_EVENT_USERS', 50),
  writers: num('BENCH_EVENT_WRITERS', 8),
  /** The paced run commits this many changes per second, to see latency without a backlog. */
  pacedRate: num('BENCH_EVENT_RATE', 50),
  pacedChanges: num('BENCH_EVENT_PACED_CHANGES', 500),
  timeoutSeconds: num('BENCH_TIMEOUT_SECONDS', 600),
};

interface Result {
  mode: 'saturated' | 'paced';
  transport: string;
  database: string;
  events: number;
  wallSeconds: number;
  eventsPerSecond: number;
  commitToHandlerMs: LatencyStats;
}

type Transport = 'inprocess' | 'kafka' | 'dapr';
interface Wired {
  bus: EventBus;
  /** Opens whatever must accept deliveries before the bus starts (Dapr: the app and its sidecar). */
  listen(): Promise<void>;
  stop(): Promise<void>;
}

const transports: Record<Transport, (database: DatabaseHandle, logger: Logger) => Promise<Wired>> = {
  inprocess: async (database, logger) => ({
    bus: new InProcessBus({ deadLetters: databaseDeadLetters(database.db), logger }),
    listen: async () => {},
    stop: async () => {},
  }),
  kafka: async (_database, logger) => ({
    bus: new KafkaBus({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','), clientId: 'bench-events', logger }),
    listen: async () => {},
    stop: async () => {},
  }),
  dapr: async (_database, logger) => {
    const [appPort, daprHttpPort, daprGrpcPort] = [await freePort(), await freePort(), await freePort()];
    const bus = new DaprBus({ daprHttpPort, pubsubName: 'pubsub', logger });
    const app = Fastify();
    let sidecar: { stop(): Promise<void> } | undefined;
    return {
      bus,
      listen: async () => {
        if (bus.httpRoutes) await app.register(bus.httpRoutes);
        await app.listen({ host: '127.0.0.1', port: appPort });
        sidecar = await startDaprd({ appId: 'bench-events', appPort, daprHttpPort, daprGrpcPort });
      },
      stop: async () => {
        await sidecar?.stop();
        await app.close();
      },
    };
  },
};

const selected = listParam('BENCH_EVENT_TRANSPORTS', 'inprocess', Object.keys(transports) as Transport[]);

/** Writers commit changes (each records two events, as a task change does); a consumer handles them. */
async function run(label: string, database: DatabaseHandle, mode: Result['mode'], transport: Transport): Promise<Result> {
  const changes = mode === 'paced' ? params.pacedChanges : params.changes;
  const logger = pino({ level: 'warn' });
  const { bus, listen, stop } = await transports[transport](database, logger);
  const committedAt = new Map<string, number>();
  const latencies: number[] = [];
  const total = changes * 2;
  let handled = 0;
  let allHandled!: () => void;
  const done = new Promise<void>((r) => (allHandled = r));
  const consumer = 'bench-events';
  for (const topic of [TOPICS.taskEvents, TOPICS.taskUpdates]) {
    bus.subscribe({
      consumer,
      topic,
      handler: async (event) => {
        const at = committedAt.get(event.id);
        // A reused consumer group may replay older runs' events first; only this run's count.
        if (at === undefined) return;
        await handleOnce(database.db, consumer, event.id, async () => {});
        latencies.push(performance.now() - at);
        if (++handled % Math.ceil(total / 10) === 0) progress(`${label} ${mode}: ${Math.round((handled / total) * 100)}% handled`);
        if (handled === total) allHandled();
      },
    });
  }
  await listen();
  await bus.start();
  const relay = new OutboxRelay({ database, bus, logger, pollIntervalMs: 1000 });
  await relay.start();
  const users = Array.from({ length: params.users }, () => randomUUID());
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: params.writers }, async () => {
      for (let i = next++; i < changes; i = next++) {
        if (mode === 'paced') {
          const due = started + (i * 1000) / params.pacedRate;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        const user = users[i % users.length]!;
        const taskId = randomUUID();
        const events = ['task-events', 'task-updates'].map(() =>
          createEvent('task.changed', { userId: user, taskId, operation: 'deleted', task: null }, { source: 'bench', subject: taskId, partitionKey: user }),
        );
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          await appendToOutbox(tx, [
            { topic: TOPICS.taskEvents, event: events[0]! },
            { topic: TOPICS.taskUpdates, event: events[1]! },
          ]);
        });
        const now = performance.now();
        for (const e of events) committedAt.set(e.id, now);
      }
    }),
  );
  const timeout = setTimeout(() => allHandled(), params.timeoutSeconds * 1000);
  await done;
  clearTimeout(timeout);
  const wallSeconds = (performance.now() - started) / 1000;
  await Promise.all([relay.stop(), bus.stop()]);
  await stop();
  if (handled < total) throw new Error(`${label}: only ${handled} of ${total} events were handled within ${params.timeoutSeconds}s`);
  return {
    mode,
    transport,
    database: label,
    events: total,
    wallSeconds: Math.round(wallSeconds * 1000) / 1000,
    eventsPerSecond: Math.round(total / wallSeconds),
    commitToHandlerMs: latencyStats(latencies),
  };
}

function chart(results: Result[]): string {
  const colors = ['#2563eb', '#0d9488', '#9333ea', '#ea580c'];
  const saturated = results.filter((r) => r.mode === 'saturated');
  const paced = results.filter((r) => r.mode === 'paced');
  const slot = 110;
  type Bar = { label: string; value: number; color: string };
  const panel = (x: number, title: string, unit: string, bars: Bar[]) => {
    const max = Math.max(...bars.map((b) => b.value), 1) * 1.15;
    const ph = 220;
    const bw = slot - 24;
    return (
      `<text x="${x}" y="70" font-size="14" font-weight="600">${title}</text>` +
      `<line x1="${x}" y1="${80 + ph}" x2="${x + bars.length * slot}" y2="${80 + ph}" stroke="#111"/>` +
      bars
        .map((b, i) => {
          const bh = (b.value / max) * ph;
          const bx = x + 12 + i * slot;
          return (
            `<rect x="${bx}" y="${80 + ph - bh}" width="${bw}" height="${bh}" fill="${b.color}"/>` +
            `<text x="${bx + bw / 2}" y="${75 + ph - bh}" font-size="12" text-anchor="middle">${b.value.toLocaleString('en-US')} ${unit}</text>` +
            b.label.split('\n').map((line, k) => `<text x="${bx + bw / 2}" y="${98 + ph + k * 14}" font-size="11" text-anchor="middle">${line}</text>`).join('')
          );
        })
        .join('')
    );
  };
  const color = (r: Result) => colors[(['inprocess', 'kafka', 'dapr'].indexOf(r.transport) + (r.database === 'PGlite' ? 3 : 0)) % 4]!;
  const left = saturated.map((r) => ({ label: `${r.transport}\n${r.database}`, value: r.eventsPerSecond, color: color(r) }));
  const right = paced.flatMap((r) => [
    { label: `${r.transport}\n${r.database} p50`, value: Math.round(r.commitToHandlerMs.p50 * 10) / 10, color: color(r) },
    { label: `${r.transport}\n${r.database} p99`, value: Math.round(r.commitToHandlerMs.p99 * 10) / 10, color: color(r) },
  ]);
  const rightX = 40 + left.length * slot + 40;
  const w = rightX + right.length * slot + 20;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="360" font-family="system-ui, sans-serif">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<text x="20" y="28" font-size="18" font-weight="700">Events: outbox → relay → bus → handler (with inbox)</text>` +
    `<text x="20" y="48" font-size="12" fill="#4b5563">saturated: ${params.changes} changes × 2 events, ${params.writers} writers · paced: ${params.pacedChanges} changes at ${params.pacedRate}/s · ${params.users} users · ${cpus().length} CPUs · Node ${process.version}</text>` +
    panel(20, 'Saturated throughput', 'ev/s', left) +
    panel(rightX, `Commit → handler latency at ${params.pacedRate} changes/s`, 'ms', right) +
    `</svg>`
  );
}

async function main() {
  const results: Result[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'taskstream-bench-events-'));
  // PostgreSQL runs as the postgres user, which must be able to enter the folder.
  chmodSync(dir, 0o755);
  try {
    progress('events on PGlite (embedded)');
    const lite = await openDatabase({ dataDir: join(dir, 'pglite') });
    await migrateDatabase(lite);
    if (selected.includes('inprocess')) results.push(await run('PGlite', lite, 'saturated', 'inprocess'), await run('PGlite', lite, 'paced', 'inprocess'));
    await lite.close();

    const skipped = await onPostgres(dir, 'events', async (target) => {
      progress('events on PostgreSQL');
      const postgres = await openDatabase({ url: target.url, poolMax: 10 });
      try {
        await migrateDatabase(postgres);
        for (const transport of selected) {
          progress(`events over ${transport} on PostgreSQL`);
          results.push(await run('PostgreSQL', postgres, 'saturated', transport), await run('PostgreSQL', postgres, 'paced', transport));
        }
      } finally {
        await postgres.close();
      }
    });
    if (skipped) throw new Error(`no PostgreSQL to run on: ${skipped.skipped}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'events.json'), JSON.stringify({ scenario: 'events', params, cpus: cpus().length, node: process.version, results }, null, 2) + '\n');
  writeFileSync(join(resultsDir, 'events.svg'), chart(results));
  for (const r of results) {
    console.log(`events ${r.mode} ${r.transport}/${r.database}: ${r.eventsPerSecond} events/s, commit→handler p50 ${r.commitToHandlerMs.p50} ms p99 ${r.commitToHandlerMs.p99} ms`);
  }
}

await main();
