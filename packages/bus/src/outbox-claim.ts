import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type DbOrTx } from '@taskstream/db';
import type { CloudEvent } from '@taskstream/events';

export interface ClaimedRow {
  id: number;
  topic: string;
  partition_key: string;
  event: CloudEvent;
  attempts: number;
}

export interface ClaimOptions {
  instanceId: string;
  batchSize: number;
  leaseMs: number;
}

/**
 * Claims up to `batchSize` unpublished rows for this relay, oldest first, such that publishing
 * them in id order per partition key keeps each key's order even with other relays running.
 *
 * Why two statements under a per-key advisory lock. The rule is "claim a row only when no earlier
 * row of its key is unpublished and held (claimed with a live lease, or waiting out a backoff)".
 * In one statement that rule reads the statement's snapshot, which does not show a claim another
 * relay is making right now; and SKIP LOCKED then hides that relay's rows instead of waiting for
 * them. So relay B could skip user U's row 100 (being claimed by A, not yet committed), see it
 * as free in its snapshot, and claim U's row 101: both publish at once, out of order.
 *
 * Here every claim of key K happens inside a transaction holding K's transaction-level advisory
 * lock, taken with a try-lock in a first statement; the rule is checked in a second statement.
 * Under READ COMMITTED (set explicitly: the argument needs it) each statement takes a fresh
 * snapshot, so the second one starts after the lock was granted, hence after every earlier claim
 * transaction of K committed (its lock is released only at commit): every claim of K that exists
 * is visible to it, and no other claim of K can be in flight. A row becomes held only by a claim
 * or by its holder's backoff update, so a row free in that snapshot is free (a stale "held" merely
 * defers its successors to a later round). The rows themselves are locked with a plain FOR UPDATE: the
 * advisory lock already keeps claimers of one key apart, and an unexpected row lock (a relay
 * whose lease ran out finishing its update) is waited for and re-checked, not skipped. A key whose
 * lock is taken is simply left for this round; try-locks never wait, so they cannot deadlock.
 * PGlite runs one transaction at a time, where all of this holds trivially. What it cannot keep
 * is order after a lease ran out under a relay still publishing (leaseMs must outlast a publish).
 */
export async function claimOutboxRows(db: Db, options: ClaimOptions): Promise<ClaimedRow[]> {
  const rows = await db.transaction(
    async (tx) => {
      const keys = await lockClaimableKeys(tx, options.batchSize);
      return keys.length === 0 ? [] : claimRowsOfKeys(tx, keys, options);
    },
    { isolationLevel: 'read committed' },
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) })).sort((a, b) => a.id - b.id);
}

/** The row may be taken: unpublished, not backing off, not under a live lease. */
const claimable = sql`o.published_at is null
  and (o.next_attempt_at is null or o.next_attempt_at <= now())
  and (o.claimed_until is null or o.claimed_until < now())`;

/** An earlier row of the same key is unpublished and held, so this one must wait for it. */
const waitsForEarlier = sql`exists (
  select 1 from outbox p
  where p.partition_key = o.partition_key and p.published_at is null and p.id < o.id
    and (p.claimed_until >= now() or p.next_attempt_at > now()))`;

/**
 * Keys of the oldest claimable rows, each locked for this transaction, or left out when another
 * relay holds its lock. Advisory keys live in their own class (the first argument), apart from
 * DatabaseHandle.exclusive's locks; keys sharing a hash merely take turns.
 */
async function lockClaimableKeys(tx: DbOrTx, batchSize: number): Promise<string[]> {
  // The LIMIT subquery and the DISTINCT keep the volatile try-lock on the outer level: it runs
  // once per key returned, never on rows the limit would drop.
  const rows = await queryRows<{ key: string }>(
    tx,
    sql`select k.key from (
      select distinct h.partition_key as key from (
        select o.partition_key from outbox o
        where ${claimable} and not ${waitsForEarlier}
        order by o.id limit ${batchSize}) h) k
    where pg_try_advisory_xact_lock(hashtext('taskstream.outbox-relay'), hashtext(k.key))`,
  );
  return rows.map((r) => r.key);
}

async function claimRowsOfKeys(tx: DbOrTx, keys: string[], { instanceId, batchSize, leaseMs }: ClaimOptions): Promise<ClaimedRow[]> {
  const lease = `${leaseMs} milliseconds`;
  const keyList: SQL = sql.join(keys.map((k) => sql`${k}`), sql`, `);
  return queryRows<ClaimedRow>(
    tx,
    sql`
    with candidates as (
      select o.id from outbox o
      where o.partition_key in (${keyList}) and ${claimable} and not ${waitsForEarlier}
      order by o.id
      limit ${batchSize}
      for update)
    update outbox set claimed_by = ${instanceId}, claimed_until = now() + ${lease}::interval
    from candidates where outbox.id = candidates.id
    returning outbox.id, outbox.topic, outbox.partition_key, outbox.event, outbox.attempts`,
  );
}
