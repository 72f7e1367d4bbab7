import { randomUUID } from 'node:crypto';
import { Admin } from '@platformatic/kafka';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '@taskstream/db';
import { deadLetterTopic, TOPICS } from '@taskstream/events';
import { createTestDatabase } from '@taskstream/testing';
import { describeEventBusContract } from '../contract/event-bus-contract.js';
import { KafkaBus, readDeadLetters } from './index.js';

// Infra tier: needs the broker from `node scripts/infra/infra.mjs up` (or KAFKA_BROKERS).
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',').map((b) => b.trim()).filter(Boolean);
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const topics = [TOPICS.taskUpdates, deadLetterTopic(TOPICS.taskUpdates)];

/** Fails (never skips) when the broker is not there, and creates the contract's topics if missing. */
async function ensureBroker(): Promise<void> {
  const admin = new Admin({ clientId: 'bus-contract-admin', bootstrapBrokers: brokers, connectTimeout: 3000, timeout: 5000, retries: 1, retryDelay: 500 });
  try {
    let existing: string[];
    try {
      existing = await admin.listTopics();
    } catch (err) {
      throw new Error(
        `Kafka broker unreachable at ${brokers.join(',')} (${rootCause(err)}). ` +
          'Start it with `node scripts/infra/infra.mjs up` or point KAFKA_BROKERS at a broker.',
        { cause: err },
      );
    }
    const missing = topics.filter((t) => !existing.includes(t));
    if (missing.length) await admin.createTopics({ topics: missing, partitions: 3, replicas: 1 });
  } finally {
    await admin.close();
  }
}

/** The innermost error message: the library wraps ECONNREFUSED in two aggregate errors. */
function rootCause(err: unknown): string {
  let e = err;
  for (;;) {
    const next = e instanceof AggregateError && e.errors.length ? (e.errors[0] as unknown) : e instanceof Error ? e.cause : undefined;
    if (!(next instanceof Error)) return e instanceof Error ? e.message : String(e);
    e = next;
  }
}

/**
 * With DATABASE_URL, a scratch database on that server (its outbox must not be shared with other
 * relays, which would publish these rows elsewhere); otherwise PGlite.
 */
async function contractDatabase(): Promise<{ database: DatabaseHandle; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await createTestDatabase();
    return { database, drop: async () => {} };
  }
  const name = `bus_kafka_contract_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = await openDatabase({ url, poolMax: 1 });
  await admin.db.execute(sql.raw(`create database ${name}`));
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const database = await openDatabase({ url: scratch.toString(), applicationName: 'bus-kafka-contract' });
  await migrateDatabase(database);
  return {
    database,
    drop: async () => {
      await admin.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
      await admin.close();
    },
  };
}

describeEventBusContract(`kafka (${brokers.join(',')}, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, async () => {
  await ensureBroker();
  const { database, drop } = await contractDatabase();
  const clientId = `bus-contract-${randomUUID().slice(0, 8)}`;
  return {
    database,
    createBus: async () => new KafkaBus({ brokers, clientId, logger, retry: { baseDelayMs: 10, maxDelayMs: 50 } }),
    deadLetters: (consumer, topic) => readDeadLetters({ brokers, clientId }, consumer, topic),
    close: async () => {
      await database.close();
      await drop();
    },
    timeoutMs: 30_000,
  };
});
