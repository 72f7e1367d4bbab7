import { is, sql } from 'drizzle-orm';
import { PgliteTransaction } from 'drizzle-orm/pglite';
import type { Tx } from './client.js';

/** Keys each open transaction already holds, so asking again costs no round trip. */
const held = new WeakMap<Tx, Set<string>>();

/**
 * Holds the transaction-level lock named `key` until `tx` ends, so transactions asking for the same
 * key take turns (a PostgreSQL advisory lock, in a class of its own by the 64-bit hash of the key).
 * Asking twice in one transaction takes it once. PGlite runs one transaction at a time, so there
 * every transaction already has the database to itself and no statement is sent.
 */
export async function lockForTransaction(tx: Tx, key: string): Promise<void> {
  if (is(tx, PgliteTransaction)) return;
  let keys = held.get(tx);
  if (keys?.has(key)) return;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
  if (!keys) held.set(tx, (keys = new Set()));
  keys.add(key);
}
