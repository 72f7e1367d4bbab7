import { sql } from 'drizzle-orm';
import pino from 'pino';
import { queryRows } from '@taskstream/db';
import type { CloudEvent } from '@taskstream/events';
import { createTestDatabase } from '@taskstream/testing';
import { describeEventBusContract } from './contract/event-bus-contract.js';
import { databaseDeadLetters } from './dead-letter-store.js';
import { InProcessBus } from './in-process-bus.js';

describeEventBusContract('in-process (PGlite)', async () => {
  const database = await createTestDatabase();
  return {
    database,
    createBus: async () =>
      new InProcessBus({ deadLetters: databaseDeadLetters(database.db), logger: pino({ level: 'silent' }), retry: { baseDelayMs: 10, maxDelayMs: 50 } }),
    deadLetters: async (consumer, topic) =>
      (await queryRows<{ event: CloudEvent }>(database.db, sql`select event from dead_letters where consumer = ${consumer} and topic = ${topic} order by id`)).map((r) => r.event),
    close: () => database.close(),
  };
});
