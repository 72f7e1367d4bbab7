import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DatabaseHandle } from './client.js';
import { lockForTransaction } from './transaction-lock.js';

describe('lockForTransaction on PGlite', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({ memory: true });
  });
  afterAll(() => handle.close());

  it('sends no statement: PGlite runs one transaction at a time, so every transaction already has the database to itself', async () => {
    await handle.db.transaction(async (tx) => {
      const execute = vi.spyOn(tx, 'execute');
      await lockForTransaction(tx, 'quota:ada');
      expect(execute).not.toHaveBeenCalled();
    });
  });

  it('lets transactions on the same key run one after another', async () => {
    const order: string[] = [];
    const run = (name: string) =>
      handle.db.transaction(async (tx) => {
        await lockForTransaction(tx, 'quota:ada');
        order.push(`${name} start`);
        await tx.execute('select 1');
        order.push(`${name} end`);
      });
    await Promise.all([run('a'), run('b')]);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
  });
});
