import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { queryRows, type DatabaseHandle } from '@taskstream/db';
import { TOPICS, type CloudEvent } from '@taskstream/events';
import { appendToOutbox } from '../outbox.js';
import { OutboxRelay } from '../outbox-relay.js';
import { contractEvent } from './event-bus-contract.js';
import { RecordingBus } from './recording-bus.js';

const logger = pino({ level: 'silent' });
const topic = TOPICS.taskEvents;

/**
 * The relay's behaviour on one database: PGlite in `npm test` (outbox-relay.test.ts), real
 * PostgreSQL in the infrastructure tier (outbox-relay.infra.test.ts), where several connections
 * claim at the same time.
 */
export function describeOutboxRelay(name: string, openDatabase: () => Promise<DatabaseHandle>): void {
  describe(`OutboxRelay (${name})`, () => {
    let database: DatabaseHandle;
    beforeAll(async () => {
      database = await openDatabase();
    });
    afterAll(() => database?.close());

    const append = (events: CloudEvent[]) => database.db.transaction((tx) => appendToOutbox(tx, events.map((event) => ({ topic, event }))));
    const row = async (eventId: string) =>
      (await queryRows<{ published_at: string | null; attempts: number; last_error: string | null }>(database.db, sql`select published_at, attempts, last_error from outbox where event_id = ${eventId}`))[0]!;

    it('publishes an event after a relay dies between commit and publish', async () => {
      const user = randomUUID();
      const stuck = new RecordingBus();
      stuck.hang = true;
      const doomed = new OutboxRelay({ database, bus: stuck, logger, leaseMs: 300, pollIntervalMs: 60_000 });
      await doomed.start();
      // Relays left running would claim the next tests' rows: stop them whatever happens here.
      onTestFinished(async () => {
        stuck.release();
        await doomed.stop();
      });
      const event = contractEvent(user);
      await append([event]);
      // The first relay has claimed the row and will never publish it: it is as good as dead.
      await expect.poll(async () => (await queryRows<{ c: string | null }>(database.db, sql`select claimed_by as c from outbox where event_id = ${event.id}`))[0]!.c).toBe(doomed.instanceId);

      const healthy = new RecordingBus();
      const successor = new OutboxRelay({ database, bus: healthy, logger, pollIntervalMs: 100 });
      await successor.start();
      onTestFinished(() => successor.stop());
      await expect.poll(() => healthy.ids(user), { timeout: 5000 }).toEqual([event.id]);
      // The row is marked a moment after the publish returns (another statement on PostgreSQL).
      await expect.poll(async () => (await row(event.id)).published_at, { timeout: 5000 }).not.toBeNull();
    });

    it('retries with backoff while the bus is down and keeps the user\'s order', async () => {
      const user = randomUUID();
      const bus = new RecordingBus();
      bus.downFor = 3;
      const relay = new OutboxRelay({ database, bus, logger, pollIntervalMs: 50, backoff: { baseDelayMs: 20, maxDelayMs: 100 } });
      const events = [contractEvent(user), contractEvent(user), contractEvent(user)];
      await append(events);
      await relay.start();
      onTestFinished(() => relay.stop());
      await expect.poll(() => bus.ids(user), { timeout: 5000 }).toEqual(events.map((e) => e.id));
      const first = await row(events[0]!.id);
      expect(first.attempts).toBe(3);
      expect(first.last_error).toMatch(/broker unreachable/);
      expect((await row(events[1]!.id)).attempts).toBe(0);
    });

    it('wakes on the database notification, not the poll', async () => {
      const user = randomUUID();
      const bus = new RecordingBus();
      const relay = new OutboxRelay({ database, bus, logger, pollIntervalMs: 600_000 });
      await relay.start();
      onTestFinished(() => relay.stop());
      await new Promise((r) => setTimeout(r, 100));
      const event = contractEvent(user);
      await append([event]);
      await expect.poll(() => bus.ids(user), { timeout: 3000 }).toEqual([event.id]);
    });

    it('lets two relays share the work without publishing a row twice or out of order', async () => {
      const users: string[] = Array.from({ length: 5 }, () => randomUUID());
      const a = new RecordingBus();
      const b = new RecordingBus();
      const relays = [a, b].map((bus) => new OutboxRelay({ database, bus, logger, pollIntervalMs: 20, batchSize: 7 }));
      await Promise.all(relays.map((r) => r.start()));
      onTestFinished(() => Promise.all(relays.map((r) => r.stop())).then(() => undefined));
      const sent = new Map(users.map((u) => [u, [] as string[]]));
      for (let i = 0; i < 10; i++) {
        const events = users.flatMap((u) => [contractEvent(u), contractEvent(u)]);
        for (const e of events) sent.get(e.partitionkey)!.push(e.id);
        await append(events);
      }
      const all = () => [...a.published, ...b.published].filter((e) => sent.has(e.partitionkey));
      await expect.poll(() => all().length, { timeout: 10_000 }).toBe(100);
      await new Promise((r) => setTimeout(r, 200));
      expect(all()).toHaveLength(100);
      expect(new Set(all().map((e) => e.id)).size).toBe(100);
      // Order per user holds in publication order, whichever relay published each event.
      const published = await queryRows<{ event_id: string; partition_key: string }>(
        database.db,
        sql`select event_id, partition_key from outbox where published_at is not null order by published_at, id`,
      );
      for (const u of users) expect(published.filter((p) => p.partition_key === u).map((p) => p.event_id)).toEqual(sent.get(u));
    });

    it('prunes published rows past the retention and keeps the rest', async () => {
      const user = randomUUID();
      const bus = new RecordingBus();
      const relay = new OutboxRelay({ database, bus, logger, retentionMs: 60_000 });
      const [old, recent] = [contractEvent(user), contractEvent(user)];
      await append([old, recent]);
      await database.db.execute(sql`update outbox set published_at = now() - interval '2 minutes' where event_id = ${old.id}`);
      await database.db.execute(sql`update outbox set published_at = now() where event_id = ${recent.id}`);
      expect(await relay.prune()).toBeGreaterThanOrEqual(1);
      const left = await queryRows<{ event_id: string }>(database.db, sql`select event_id from outbox where event_id in (${old.id}, ${recent.id})`);
      expect(left.map((r) => r.event_id)).toEqual([recent.id]);
    });
  });
}
