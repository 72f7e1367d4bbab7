import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from './client.js';
import { lockForTransaction } from './transaction-lock.js';

// Infra tier: a fresh database on the PostgreSQL of `node scripts/infra/infra.mjs up` (or TEST_DATABASE_URL).
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';

describe('lockForTransaction on PostgreSQL', () => {
  let handle: DatabaseHandle;
  const name = `test_lock_${Date.now()}_${randomBytes(4).toString('hex')}`;
  // Its own database (this package sits below @taskstream/testing, so it cannot use createTestDatabase).
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    await admin(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    handle = await openDatabase({ url: url.toString() });
  });
  afterAll(async () => {
    await handle?.close();
    await admin(`drop database if exists ${name}`);
  });

  /** Runs a transaction that takes `key`, then waits for `release` before committing. */
  function holder(key: string, order: string[], name: string, release: Promise<void>) {
    return handle.db.transaction(async (tx) => {
      await lockForTransaction(tx, key);
      order.push(`${name} locked`);
      await release;
      order.push(`${name} commits`);
    });
  }

  it('makes a second transaction asking for the same key wait until the first ends', async () => {
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const first = holder('quota:ada', order, 'first', released);
    await vi.waitFor(() => expect(order).toContain('first locked'));
    const second = holder('quota:ada', order, 'second', Promise.resolve());
    // The second is still waiting for the lock while the first holds it.
    await new Promise((r) => setTimeout(r, 300));
    expect(order).toEqual(['first locked']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first commits', 'second locked', 'second commits']);
  });

  it('does not hold up a transaction asking for another key', async () => {
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const first = holder('quota:ada', order, 'ada', released);
    await vi.waitFor(() => expect(order).toContain('ada locked'));
    await holder('quota:grace', order, 'grace', Promise.resolve());
    expect(order).toEqual(['ada locked', 'grace locked', 'grace commits']);
    release();
    await first;
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
