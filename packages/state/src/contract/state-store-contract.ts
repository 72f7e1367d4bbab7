import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutateState } from '../mutate-state.js';
import { ConflictError, type StatePort } from '../state-port.js';

/** What an adapter provides to run the shared contract. */
export interface StateContractHarness {
  /** A store; `another()` is a second client of the same state, as another replica would have. */
  store: StatePort;
  another(): Promise<StatePort>;
  close(): Promise<void>;
  /** How long to wait for an entry to expire after its TTL; real stores sweep on their own time. */
  expiryTimeoutMs?: number;
}

/**
 * The contract every StatePort adapter passes: reads, writes, optimistic concurrency through
 * etags (update, create-only, delete), TTL, JSON round trips, key rules, and a shared counter
 * incremented concurrently from two clients without losing an increment.
 */
export function describeStateStoreContract(name: string, makeHarness: () => Promise<StateContractHarness>): void {
  describe(`StatePort contract: ${name}`, () => {
    let h: StateContractHarness;
    const run = randomUUID().slice(0, 8);
    let n = 0;
    /** A key no other test (or earlier run against a shared store) used. */
    const key = (label: string) => `contract:${run}:${label}:${++n}`;
    const conflict = (p: Promise<unknown>) => expect(p).rejects.toBeInstanceOf(ConflictError);

    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(() => h?.close());

    it('reads null for a key that was never written', async () => {
      expect(await h.store.get(key('absent'))).toBeNull();
    });

    it('writes and reads back JSON values with an etag', async () => {
      const values: unknown[] = [{ nested: { list: [1, 'two', { three: true }], unicode: 'Grüße, 東京 🎉' } }, [1, 2, 3], 'a string', '123', 42, 0.5, false];
      for (const value of values) {
        const k = key('roundtrip');
        await h.store.set(k, value);
        const entry = await h.store.get(k);
        expect(entry?.value).toEqual(value);
        expect(typeof entry?.etag).toBe('string');
        expect(entry?.etag.length).toBeGreaterThan(0);
      }
    });

    it('overwrites without an etag, and every write changes the etag', async () => {
      const k = key('overwrite');
      await h.store.set(k, { v: 1 });
      const first = await h.store.get(k);
      await h.store.set(k, { v: 2 });
      const second = await h.store.get(k);
      expect(second?.value).toEqual({ v: 2 });
      expect(second?.etag).not.toBe(first?.etag);
    });

    it('a write with the current etag succeeds; with a stale one it is a ConflictError and changes nothing', async () => {
      const k = key('etag');
      await h.store.set(k, { v: 1 });
      const stale = (await h.store.get(k))!;
      await h.store.set(k, { v: 2 }, { etag: stale.etag });
      const current = (await h.store.get(k))!;
      expect(current.value).toEqual({ v: 2 });
      await conflict(h.store.set(k, { v: 'lost' }, { etag: stale.etag }));
      expect(await h.store.get(k)).toEqual(current);
    });

    it('a write with an etag to an absent key is a ConflictError', async () => {
      const k = key('etag-absent');
      await h.store.set(k, { v: 1 });
      const { etag } = (await h.store.get(k))!;
      await h.store.delete(k);
      await conflict(h.store.set(k, { v: 2 }, { etag }));
      expect(await h.store.get(k)).toBeNull();
    });

    it('create-only (etag null) creates an absent key and is a ConflictError when it exists', async () => {
      const k = key('create');
      await h.store.set(k, { v: 'first' }, { etag: null });
      expect((await h.store.get(k))?.value).toEqual({ v: 'first' });
      await conflict(h.store.set(k, { v: 'second' }, { etag: null }));
      expect((await h.store.get(k))?.value).toEqual({ v: 'first' });
    });

    it('an etag from before a delete does not match the key written again', async () => {
      const k = key('aba');
      await h.store.set(k, { v: 1 }, { etag: null });
      const old = (await h.store.get(k))!;
      await h.store.delete(k, { etag: old.etag });
      await h.store.set(k, { v: 2 }, { etag: null });
      await conflict(h.store.set(k, { v: 3 }, { etag: old.etag }));
      expect((await h.store.get(k))?.value).toEqual({ v: 2 });
    });

    it('deletes: unconditionally (absent is fine), and with an etag only while it is current', async () => {
      const k = key('delete');
      await h.store.delete(k);
      await h.store.set(k, { v: 1 });
      const stale = (await h.store.get(k))!;
      await h.store.set(k, { v: 2 });
      await conflict(h.store.delete(k, { etag: stale.etag }));
      expect((await h.store.get(k))?.value).toEqual({ v: 2 });
      await h.store.delete(k, { etag: (await h.store.get(k))!.etag });
      expect(await h.store.get(k)).toBeNull();
      await conflict(h.store.delete(k, { etag: stale.etag }));
      await h.store.set(k, { v: 3 });
      await h.store.delete(k);
      expect(await h.store.get(k)).toBeNull();
    });

    it('an entry with a TTL disappears after it; one with a long TTL or none stays', async () => {
      const short = key('ttl-short');
      const long = key('ttl-long');
      const forever = key('ttl-none');
      await h.store.set(short, { v: 'short' }, { ttlSeconds: 1 });
      await h.store.set(long, { v: 'long' }, { ttlSeconds: 3600 });
      await h.store.set(forever, { v: 'forever' });
      expect((await h.store.get(short))?.value).toEqual({ v: 'short' });
      await expect.poll(() => h.store.get(short), { timeout: h.expiryTimeoutMs ?? 10_000, interval: 200 }).toBeNull();
      expect((await h.store.get(long))?.value).toEqual({ v: 'long' });
      expect((await h.store.get(forever))?.value).toEqual({ v: 'forever' });
      // An expired key is absent for create-only too.
      await h.store.set(short, { v: 'again' }, { etag: null });
      expect((await h.store.get(short))?.value).toEqual({ v: 'again' });
    });

    it('keys are isolated and may hold separators; empty keys and "||" are refused', async () => {
      const a = key('a:b/c d?e#f%');
      const b = key('a:b/c d?e#f');
      await h.store.set(a, 'A');
      await h.store.set(b, 'B');
      expect((await h.store.get(a))?.value).toBe('A');
      expect((await h.store.get(b))?.value).toBe('B');
      await expect(h.store.get('')).rejects.toBeInstanceOf(RangeError);
      await expect(h.store.set('a||b', 1)).rejects.toBeInstanceOf(RangeError);
    });

    it('getMany answers in the order asked, null for absent, deleted and expired keys, with the same etags as get', async () => {
      const [a, b, gone, expiring, never] = ['many-a', 'many-b', 'many-gone', 'many-expiring', 'many-never'].map(key);
      await h.store.set(a!, { v: 'a' });
      await h.store.set(b!, ['b']);
      await h.store.set(gone!, 1);
      await h.store.delete(gone!);
      await h.store.set(expiring!, 'soon', { ttlSeconds: 1 });
      await expect.poll(() => h.store.get(expiring!), { timeout: h.expiryTimeoutMs ?? 10_000, interval: 200 }).toBeNull();
      const asked = [b!, never!, a!, gone!, expiring!, b!];
      const got = await h.store.getMany(asked);
      expect(got.map((e) => e?.value ?? null)).toEqual([['b'], null, { v: 'a' }, null, null, ['b']]);
      expect(got[2]?.etag).toBe((await h.store.get(a!))?.etag);
      expect(await h.store.getMany([])).toEqual([]);
      // More keys than one bulk request carries.
      const lots = Array.from({ length: 230 }, (_, i) => key(`many-${i}`));
      await Promise.all(lots.filter((_, i) => i % 3 === 0).map((k) => h.store.set(k, k)));
      const answers = await h.store.getMany(lots);
      expect(answers.map((e) => e?.value ?? null)).toEqual(lots.map((k, i) => (i % 3 === 0 ? k : null)));
    });

    it('mutateState writes companions before the entry that refers to them, once per key even when it retries', async () => {
      const k = key('index');
      const other = await h.another();
      const appendTo = (store: StatePort, item: string) =>
        mutateState(store, k, (current) => {
          const items = current ? (current.value as string[]) : [];
          return { write: [...items, item], companions: [{ key: `${k}:item:${item}`, value: { item }, ttlSeconds: 3600 }], result: items.length };
        });
      const items = Array.from({ length: 12 }, (_, i) => `i${i}`);
      await Promise.all(items.map((item, i) => appendTo(i % 2 ? other : h.store, item)));
      const index = (await h.store.get(k))?.value as string[];
      expect([...index].sort()).toEqual([...items].sort());
      const companions = await h.store.getMany(index.map((item) => `${k}:item:${item}`));
      expect(companions.map((c) => c?.value)).toEqual(index.map((item) => ({ item })));
    });

    it('two clients incrementing one counter with etags lose no increment', async () => {
      const k = key('counter');
      const other = await h.another();
      const increment = (store: StatePort) =>
        mutateState(store, k, (current) => {
          const count = current ? (current.value as { count: number }).count : 0;
          return { write: { count: count + 1 }, result: count + 1 };
        });
      const perClient = 10;
      await Promise.all([h.store, other].map(async (store) => {
        for (let i = 0; i < perClient; i++) await Promise.all([increment(store), increment(store)]);
      }));
      expect((await h.store.get(k))?.value).toEqual({ count: 4 * perClient });
    });
  });
}
