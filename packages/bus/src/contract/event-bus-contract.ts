import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type DatabaseHandle } from '@taskstream/db';
import { createEvent, TOPICS, type CloudEvent } from '@taskstream/events';
import type { EventBus, Subscription } from '../event-bus.js';
import { handleOnce } from '../inbox.js';
import { appendToOutbox } from '../outbox.js';
import { OutboxRelay } from '../outbox-relay.js';
import { typedHandler } from '../typed-handler.js';

/** What an adapter provides to run the shared contract. */
export interface ContractHarness {
  database: DatabaseHandle;
  /** A new bus instance on the same transport, as a restarted process would create. */
  createBus(): Promise<EventBus>;
  /** Events the consumer gave up on for a topic. */
  deadLetters(consumer: string, topic: string): Promise<CloudEvent[]>;
  close(): Promise<void>;
  /** How long to wait for asynchronous delivery; real brokers need longer. */
  timeoutMs?: number;
}

const topic = TOPICS.taskUpdates;
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A valid catalog event for one user (the partition key). */
export function contractEvent(userId: string, id: string = randomUUID()): CloudEvent {
  return createEvent(
    'task.changed',
    { userId, taskId: randomUUID(), operation: 'deleted', task: null },
    { id, source: 'taskstream/contract-test', subject: randomUUID(), partitionKey: userId },
  );
}

/**
 * The contract every EventBus adapter passes, always through the real outbox and relay:
 * delivery, per-key order, retries, dead letters, restarts and duplicates.
 */
export function describeEventBusContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`EventBus contract: ${name}`, () => {
    let h: ContractHarness;
    let running: { bus: EventBus; relay: OutboxRelay }[] = [];
    const wait = () => ({ timeout: h.timeoutMs ?? 10_000, interval: 20 });

    beforeAll(async () => {
      h = await makeHarness();
      await h.database.db.execute(sql`create table if not exists bus_contract_effects (consumer text not null, event_id text not null)`);
    });
    afterEach(async () => {
      for (const r of running.reverse()) await Promise.all([r.relay.stop(), r.bus.stop()]);
      running = [];
    });
    afterAll(() => h?.close());

    /** Starts a bus with these subscriptions and a relay feeding it from the outbox. */
    async function boot(subscriptions: Subscription[], relayOptions: { leaseMs?: number } = {}) {
      const bus = await h.createBus();
      for (const s of subscriptions) bus.subscribe(s);
      await bus.start();
      const relay = new OutboxRelay({ database: h.database, bus, logger, pollIntervalMs: 200, backoff: { baseDelayMs: 50, maxDelayMs: 500 }, ...relayOptions });
      await relay.start();
      const r = { bus, relay };
      running.push(r);
      return r;
    }
    // Together, as a process shuts down: the relay stops claiming while the bus aborts deliveries.
    async function stop(r: { bus: EventBus; relay: OutboxRelay }) {
      await Promise.all([r.relay.stop(), r.bus.stop()]);
      running = running.filter((x) => x !== r);
    }
    const append = (events: CloudEvent[]) => h.database.db.transaction((tx) => appendToOutbox(tx, events.map((event) => ({ topic, event }))));
    const effects = async (consumer: string) =>
      (await queryRows<{ event_id: string }>(h.database.db, sql`select event_id from bus_contract_effects where consumer = ${consumer}`)).map((r) => r.event_id);
    const effect = (consumer: string, event: CloudEvent, fail?: () => boolean) =>
      handleOnce(h.database.db, consumer, event.id, async (tx) => {
        await tx.execute(sql`insert into bus_contract_effects (consumer, event_id) values (${consumer}, ${event.id})`);
        // Failing after the write proves the write rolls back with the failure.
        if (fail?.()) throw new Error('handler failed on purpose');
      });
    const consumerName = (label: string) => `contract-${label}-${randomUUID().slice(0, 8)}`;

    it('delivers an event published through the outbox with its envelope intact', async () => {
      const consumer = consumerName('deliver');
      const user = randomUUID();
      const received: CloudEvent[] = [];
      await boot([{ consumer, topic, handler: async (e) => void (e.partitionkey === user && received.push(e)) }]);
      const event = contractEvent(user);
      await append([event]);
      await expect.poll(() => received.length, wait()).toBe(1);
      expect(received[0]).toEqual(event);
    });

    it('keeps each user\'s events in order', async () => {
      const consumer = consumerName('order');
      const users = [randomUUID(), randomUUID(), randomUUID()];
      const seen = new Map<string, string[]>(users.map((u) => [u, []]));
      const handler = async (e: CloudEvent) => {
        const list = seen.get(e.partitionkey);
        if (!list) return;
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        list.push(e.id);
      };
      await boot([{ consumer, topic, handler }]);
      const sent = new Map<string, string[]>(users.map((u) => [u, []]));
      for (let batch = 0; batch < 5; batch++) {
        const events = Array.from({ length: 12 }, (_, i) => contractEvent(users[i % 3]!));
        for (const e of events) sent.get(e.partitionkey)!.push(e.id);
        await append(events);
      }
      await expect.poll(() => users.map((u) => seen.get(u)!.length), wait()).toEqual([20, 20, 20]);
      for (const u of users) expect(seen.get(u)).toEqual(sent.get(u));
    });

    it('redelivers after a failure: a handler failing twice then succeeding has exactly one effect', async () => {
      const consumer = consumerName('retry');
      const user = randomUUID();
      let attempts = 0;
      await boot([
        {
          consumer,
          topic,
          maxAttempts: 5,
          handler: async (e) => {
            if (e.partitionkey !== user) return;
            await effect(consumer, e, () => ++attempts <= 2);
          },
        },
      ]);
      const event = contractEvent(user);
      await append([event]);
      await expect.poll(() => effects(consumer), wait()).toEqual([event.id]);
      expect(attempts).toBe(3);
    });

    it('dead-letters a poison event without blocking the events behind it', async () => {
      const consumer = consumerName('poison');
      const user = randomUUID();
      const handled: string[] = [];
      const poison = contractEvent(user);
      await boot([
        {
          consumer,
          topic,
          maxAttempts: 3,
          handler: async (e) => {
            if (e.partitionkey !== user) return;
            if (e.id === poison.id) throw new Error('cannot handle this one');
            handled.push(e.id);
          },
        },
      ]);
      const behind = [contractEvent(user), contractEvent(user)];
      await append([poison, ...behind]);
      await expect.poll(() => handled, wait()).toEqual(behind.map((e) => e.id));
      await expect.poll(async () => (await h.deadLetters(consumer, topic)).map((e) => e.id), wait()).toEqual([poison.id]);
    });

    it('dead-letters an event that does not match the catalog at once', async () => {
      const consumer = consumerName('invalid');
      const user = randomUUID();
      let calls = 0;
      await boot([{ consumer, topic, handler: async (e) => { if (e.partitionkey === user) { calls++; await typedHandler(['task.changed'], async () => {})(e, { attempt: 1 }); } } }]);
      const bad = { ...contractEvent(user), data: { userId: user, operation: 'exploded' } };
      await append([bad]);
      await expect.poll(async () => (await h.deadLetters(consumer, topic)).map((e) => e.id), wait()).toEqual([bad.id]);
      expect(calls).toBe(1);
    });

    it('loses nothing when the consumer stops mid-delivery and comes back', async () => {
      const consumer = consumerName('restart');
      const user = randomUUID();
      const events = Array.from({ length: 10 }, () => contractEvent(user));
      // The first instance handles two events, then fails on every delivery (its database is
      // "down"), so the third is mid-retry when it stops; the second instance is healthy.
      let healthy = false;
      let handledByFirst = 0;
      const handler = async (e: CloudEvent) => {
        if (e.partitionkey !== user) return;
        if (!healthy && handledByFirst >= 2) throw new Error('database unavailable');
        await effect(consumer, e);
        if (!healthy) handledByFirst++;
      };
      const first = await boot([{ consumer, topic, handler, maxAttempts: 1000 }]);
      await append(events);
      await expect.poll(async () => (await effects(consumer)).length, wait()).toBe(2);
      await new Promise((r) => setTimeout(r, 100));
      await stop(first);
      healthy = true;
      await boot([{ consumer, topic, handler }]);
      await expect.poll(async () => (await effects(consumer)).sort(), wait()).toEqual(events.map((e) => e.id).sort());
      expect(await h.deadLetters(consumer, topic)).toEqual([]);
    });

    it('handles a duplicate delivery once', async () => {
      const consumer = consumerName('dup');
      const user = randomUUID();
      const outcomes: string[] = [];
      const { bus } = await boot([
        { consumer, topic, handler: async (e) => void (e.partitionkey === user && outcomes.push(await handleOnce(h.database.db, consumer, e.id, async (tx) => void (await tx.execute(sql`insert into bus_contract_effects (consumer, event_id) values (${consumer}, ${e.id})`))))) },
      ]);
      const event = contractEvent(user);
      await bus.publish(topic, event);
      await bus.publish(topic, event);
      await expect.poll(() => outcomes.length, wait()).toBe(2);
      expect(outcomes.sort()).toEqual(['duplicate', 'handled']);
      expect(await effects(consumer)).toEqual([event.id]);
    });
  });
}
