// How fast the outbox relays drain a backlog on PostgreSQL: BENCH_DRAIN_EVENTS rows of
// BENCH_DRAIN_USERS users are committed first, then BENCH_DRAIN_RELAYS relays (each with its own
// pool, as replicas would) publish them into a transport that accepts at once, so the figure is
// the relay's own cost (claim, publish bookkeeping), not a broker's. One line of JSON on stdout.
//
//   node --conditions=development --import tsx bench/src/relay-drain.ts
//   DATABASE_URL=postgres://postgres@127.0.0.1:54329/postgres BENCH_DRAIN_RELAYS=3 node … bench/src/relay-drain.ts
//
// DATABASE_URL names a server whose role may `create database` (default: the infra PostgreSQL of
// `npm run infra:up`); the scratch database is dropped at the end.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import pg from 'pg';
import { appendToOutbox, OutboxRelay, type EventBus } from '@taskstream/bus';
import { migrateDatabase, openDatabase, queryRows, type DatabaseHandle } from '@taskstream/db';
import { createEvent, TOPICS } from '@taskstream/events';
import { sql } from 'drizzle-orm';
import { intParam } from './params.js';

const params = {
  events: intParam('BENCH_DRAIN_EVENTS', 20_000, 1, 1_000_000),
  users: intParam('BENCH_DRAIN_USERS', 50, 1, 100_000),
  relays: intParam('BENCH_DRAIN_RELAYS', 1, 1, 16),
};
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';
const logger = pino({ level: 'silent' });

/** Accepts every event at once: what is measured is the relay, not a transport. */
const sink: EventBus = { kind: 'inprocess', publish: async () => {}, subscribe: () => {}, start: async () => {}, stop: async () => {} };

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function fillBacklog(database: DatabaseHandle): Promise<void> {
  const users = Array.from({ length: params.users }, () => randomUUID());
  for (let done = 0; done < params.events; done += 1000) {
    const entries = Array.from({ length: Math.min(1000, params.events - done) }, (_, i) => {
      const userId = users[(done + i) % users.length]!;
      const event = createEvent('task.changed', { userId, taskId: randomUUID(), operation: 'deleted', task: null }, { source: 'bench/relay-drain', subject: randomUUID(), partitionKey: userId });
      return { topic: TOPICS.taskUpdates, event };
    });
    await database.db.transaction((tx) => appendToOutbox(tx, entries));
  }
}

async function unpublished(database: DatabaseHandle): Promise<number> {
  const rows = await queryRows<{ n: string }>(database.db, sql`select count(*) as n from outbox where published_at is null`);
  return Number(rows[0]?.n ?? 0);
}

async function main(): Promise<void> {
  const name = `bench_relay_drain_${Date.now()}`;
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handles: DatabaseHandle[] = [];
  try {
    const main = await openDatabase({ url: url.toString() });
    handles.push(main);
    await migrateDatabase(main);
    await fillBacklog(main);
    for (let i = 0; i < params.relays; i++) handles.push(await openDatabase({ url: url.toString() }));
    const relays = handles.slice(1).map((database) => new OutboxRelay({ database, bus: sink, logger }));
    const t0 = performance.now();
    await Promise.all(relays.map((r) => r.start()));
    while ((await unpublished(main)) > 0) await new Promise((r) => setTimeout(r, 50));
    const seconds = (performance.now() - t0) / 1000;
    await Promise.all(relays.map((r) => r.stop()));
    console.log(JSON.stringify({ ...params, seconds: Math.round(seconds * 100) / 100, eventsPerSecond: Math.round(params.events / seconds) }));
  } finally {
    for (const h of handles) await h.close();
    await admin(`drop database if exists ${name} with (force)`);
  }
}

await main();
