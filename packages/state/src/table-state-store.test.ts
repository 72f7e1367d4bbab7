import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '@taskstream/testing';
import { describeStateStoreContract } from './contract/state-store-contract.js';
import { ConflictError } from './state-port.js';
import { TableStateStore } from './table-state-store.js';

describeStateStoreContract('table (PGlite)', async () => {
  const database = await createTestDatabase();
  return {
    store: new TableStateStore(database.db),
    another: async () => new TableStateStore(database.db),
    close: () => database.close(),
  };
});

describe('TableStateStore', () => {
  it('treats an etag it never issued as a conflict, and purges expired rows', async () => {
    const database = await createTestDatabase();
    try {
      const store = new TableStateStore(database.db);
      await store.set('k', { v: 1 });
      await expect(store.set('k', { v: 2 }, { etag: 'not-a-version' })).rejects.toBeInstanceOf(ConflictError);
      await expect(store.delete('k', { etag: '99999999999999999999' })).rejects.toBeInstanceOf(ConflictError);
      await store.set('short', { v: 1 }, { ttlSeconds: 1 });
      await expect.poll(() => store.get('short'), { timeout: 5000, interval: 100 }).toBeNull();
      expect(await store.purgeExpired()).toBe(1);
      expect((await store.get('k'))?.value).toEqual({ v: 1 });
    } finally {
      await database.close();
    }
  });
});
