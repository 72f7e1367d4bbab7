import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type DatabaseHandle } from '@taskstream/db';
import { TOPICS, type CloudEvent } from '@taskstream/events';
import { createTestDatabase } from '@taskstream/testing';
import { contractEvent } from './contract/event-bus-contract.js';
import { databaseDeadLetters } from './dead-letter-store.js';
import { PermanentError } from './event-bus.js';
import { InProcessBus } from './in-process-bus.js';
import { subscription } from './subscription.js';
import type { EventOf } from './typed-handler.js';

const logger = pino({ level: 'silent' });
const topic = TOPICS.taskUpdates;

describe('subscription()', () => {
  it('is data: consumer, topic, types and retry budget as given, plus the handler', () => {
    const s = subscription({ consumer: 'redraw', topic, types: ['task.changed'], maxAttempts: 7 }, async () => {});
    expect(s).toEqual({ consumer: 'redraw', topic, types: ['task.changed'], maxAttempts: 7, handler: expect.any(Function) });
  });

  it('calls handle with the event parsed against the catalog, and the delivery context', async () => {
    const seen: { event: EventOf<'task.changed'>; attempt: number }[] = [];
    const s = subscription({ consumer: 'redraw', topic, types: ['task.changed'] }, async (event, { attempt }) => void seen.push({ event, attempt }));
    const event = contractEvent(randomUUID());
    await s.handler(event, { attempt: 2 });
    expect(seen).toEqual([{ event, attempt: 2 }]);
    expect(seen[0]!.event.data.operation).toBe('deleted');
  });

  it('throws PermanentError for an event of its types that does not parse', async () => {
    const s = subscription({ consumer: 'redraw', topic, types: ['task.changed'] }, async () => {});
    const bad = { ...contractEvent(randomUUID()), data: { operation: 'exploded' } };
    await expect(s.handler(bad, { attempt: 1 })).rejects.toBeInstanceOf(PermanentError);
  });
});

describe('subscription() on the in-process bus (PGlite)', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  const deadLettered = async (consumer: string) =>
    (await queryRows<{ event: CloudEvent; attempts: number }>(database.db, sql`select event, attempts from dead_letters where consumer = ${consumer} order by id`)).map((r) => [r.event.id, r.attempts]);

  it('handles its types, dead-letters what does not parse (an unknown type too) at once, acknowledges other known types unparsed', async () => {
    const consumer = `subscription-${randomUUID().slice(0, 8)}`;
    const handled: string[] = [];
    const bus = new InProcessBus({ deadLetters: databaseDeadLetters(database.db), logger, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
    bus.subscribe(subscription({ consumer, topic, types: ['task.changed'] }, async (event) => void handled.push(event.id)));
    await bus.start();
    try {
      const good = contractEvent(randomUUID());
      const invalid = { ...contractEvent(randomUUID()), data: { operation: 'exploded' } };
      // Another type of the catalog, with data that would not parse: not this consumer's, never parsed.
      const otherType = { ...contractEvent(randomUUID()), type: 'task.created', data: null };
      // Not a catalog event at all: nobody's to skip, so it is dead-lettered like any unparsable event.
      const unknownType = { ...contractEvent(randomUUID()), type: 'task.something-else', data: null };
      for (const event of [good, invalid, otherType, unknownType]) await bus.publish(topic, event);
      expect(handled).toEqual([good.id]);
      expect(await deadLettered(consumer)).toEqual([[invalid.id, 1], [unknownType.id, 1]]);
    } finally {
      await bus.stop();
    }
  });
});
