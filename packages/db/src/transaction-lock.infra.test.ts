import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from './client.js';
import { openFreshPostgresDatabase } from './fresh-database.js';
import { lockForTransaction } from './transaction-lock.js';

// Infra tier: a fresh database on the PostgreSQL of `node scripts/infra/infra.mjs up` (or TEST_DATABASE_URL).
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';

describe('lockForTransaction on PostgreSQL', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openFreshPostgresDatabase(serverUrl, { prefix: 'test_lock' });
  });
  afterAll(() => handle?.close());

  /** A transaction that takes `key`, notes it in `order`, and commits once release() is called. */
  function holder(key: string, order: string[], name: string) {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const done = handle.db.transaction(async (tx) => {
      await lockForTransaction(tx, key);
      order.push(`${name} locked`);
      await released;
      order.push(`${name} commits`);
    });
    return { release, done };
  }

  it('makes a second transaction asking for the same key wait until the first ends', async () => {
    const order: string[] = [];
    const first = holder('quota:ada', order, 'first');
    await vi.waitFor(() => expect(order).toContain('first locked'));
    const second = holder('quota:ada', order, 'second');
    second.release();
    // The second is still waiting for the lock while the first holds it.
    await new Promise((r) => setTimeout(r, 300));
    expect(order).toEqual(['first locked']);
    first.release();
    await Promise.all([first.done, second.done]);
    expect(order).toEqual(['first locked', 'first commits', 'second locked', 'second commits']);
  });

  it('does not hold up a transaction asking for another key', async () => {
    const order: string[] = [];
    const ada = holder('quota:ada', order, 'ada');
    await vi.waitFor(() => expect(order).toContain('ada locked'));
    const grace = holder('quota:grace', order, 'grace');
    grace.release();
    await grace.done;
    expect(order).toEqual(['ada locked', 'grace locked', 'grace commits']);
    ada.release();
    await ada.done;
  });

  it('asks the server once per transaction however often it is called', async () => {
    await handle.db.transaction(async (tx) => {
      const execute = vi.spyOn(tx, 'execute');
      await lockForTransaction(tx, 'quota:ada');
      await lockForTransaction(tx, 'quota:ada');
      await lockForTransaction(tx, 'quota:grace');
      expect(execute).toHaveBeenCalledTimes(2);
    });
  });
});
