import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './client.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openDatabase({ memory: true });
});
afterAll(() => database.close());

const select = (label: string, done: string[]) => database.db.execute(sql`select ${label} as label`).then(() => done.push(label));

describe('PGlite query order', () => {
  it('an urgent query goes ahead of ordinary queries queued before it, and everything still completes', async () => {
    const done: string[] = [];
    const backlog = Array.from({ length: 30 }, (_, i) => select(`n${i}`, done));
    const urgent = database.urgent(() => select('urgent', done));
    await Promise.all([...backlog, urgent]);
    // At most the one query already admitted when it arrived runs first.
    expect(done.indexOf('urgent')).toBeLessThanOrEqual(1);
    expect(done.filter((l) => l !== 'urgent')).toEqual(Array.from({ length: 30 }, (_, i) => `n${i}`));
  });

  it('urgency follows the work through awaits and into transactions, and ends with it', async () => {
    const done: string[] = [];
    const urgentWork = database.urgent(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      // Queued after the backlog below was, yet urgent still.
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
      });
      done.push('urgent-transaction');
    });
    const backlog = Array.from({ length: 30 }, (_, i) => select(`n${i}`, done));
    await new Promise((resolve) => setTimeout(resolve, 1));
    const after = select('after', done);
    await Promise.all([...backlog, urgentWork, after]);
    expect(done.indexOf('urgent-transaction')).toBeLessThan(20);
    expect(done.at(-1)).toBe('after');
  });

  it('a timer runs between queued queries instead of waiting for the whole backlog', async () => {
    const done: string[] = [];
    const backlog = Array.from({ length: 200 }, (_, i) => select(`n${i}`, done));
    let doneWhenTimerRan = -1;
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        doneWhenTimerRan = done.length;
        resolve();
      }, 0),
    );
    await Promise.all(backlog);
    expect(doneWhenTimerRan).toBeLessThan(200);
  });

  it('work that a NOTIFY wakes is ordinary, even when urgent work sent the NOTIFY', async () => {
    const done: string[] = [];
    let woken: Promise<unknown> | undefined;
    const unlisten = await database.listen('lanes_test', () => {
      woken ??= select('woken', done);
    });
    try {
      // Awaited inside: drizzle's queries are lazy and would otherwise start at the caller's await.
      const notify = database.urgent(async () => {
        await database.db.execute(sql`select pg_notify('lanes_test', '')`);
      });
      const backlog = Array.from({ length: 30 }, (_, i) => select(`n${i}`, done));
      await notify;
      await Promise.all(backlog);
      await expect.poll(() => woken).toBeDefined();
      await woken;
      // Queued behind the 30 ordinary queries that were waiting when it was woken.
      expect(done.indexOf('woken')).toBeGreaterThanOrEqual(29);
    } finally {
      await unlisten();
    }
  });
});
