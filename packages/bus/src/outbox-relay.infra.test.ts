import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { queryRows, type DatabaseHandle } from '@taskstream/db';
import { TOPICS, type CloudEvent } from '@taskstream/events';
import { createTestDatabase } from '@taskstream/testing';
import { contractEvent } from './contract/event-bus-contract.js';
import { describeOutboxRelay } from './contract/outbox-relay-suite.js';
import { RecordingBus } from './contract/recording-bus.js';
import { appendToOutbox } from './outbox.js';
import { OutboxRelay } from './outbox-relay.js';

// Infra tier: the PostgreSQL of `node scripts/infra/infra.mjs up` (or TEST_DATABASE_URL); every
// database here is a fresh one on that server, dropped again at the end.
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** Fails (never skips) when the server is not there, saying how to start it. */
async function postgresDatabase(): Promise<DatabaseHandle> {
  try {
    return await createTestDatabase([], { serverUrl });
  } catch (err) {
    throw new Error(
      `PostgreSQL unreachable at ${serverUrl} (${err instanceof Error ? err.message : String(err)}). ` +
        'Start it with `node scripts/infra/infra.mjs up` or point TEST_DATABASE_URL at a server.',
      { cause: err },
    );
  }
}

describeOutboxRelay('PostgreSQL', postgresDatabase);

describe('OutboxRelay: several relays on PostgreSQL', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await postgresDatabase();
  });
  afterAll(() => database?.close());

  it('keeps each user\'s order while three relays drain a backlog of thousands of events together', async () => {
    const users: string[] = Array.from({ length: 4 }, () => randomUUID());
    const sent = new Map(users.map((u) => [u, [] as string[]]));
    for (let chunk = 0; chunk < 12; chunk++) {
      const events: CloudEvent[] = Array.from({ length: 500 }, (_, i) => contractEvent(users[i % users.length]!));
      for (const e of events) sent.get(e.partitionkey)!.push(e.id);
      await database.db.transaction((tx) => appendToOutbox(tx, events.map((event) => ({ topic: TOPICS.taskEvents, event }))));
    }
    // One transport shared by all three, as one broker is: it sees every relay's publishes.
    const bus = new RecordingBus();
    bus.turns = 2;
    const relays = Array.from({ length: 3 }, () => new OutboxRelay({ database, bus, logger, batchSize: 50, pollIntervalMs: 20 }));
    await Promise.all(relays.map((r) => r.start()));
    onTestFinished(() => Promise.all(relays.map((r) => r.stop())).then(() => undefined));
    await expect.poll(() => bus.published.length, { timeout: 90_000, interval: 100 }).toBe(6000);

    expect(bus.overlaps.slice(0, 3)).toEqual([]);
    for (const u of users) expect(bus.ids(u)).toEqual(sent.get(u));
    const left = await queryRows<{ n: string }>(database.db, sql`select count(*) as n from outbox where published_at is null`);
    expect(Number(left[0]!.n)).toBe(0);
  });
});
