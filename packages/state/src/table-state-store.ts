import { and, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { stateEntries, type Db } from '@taskstream/db';
import { assertSetOptions, assertStateKey, ConflictError, type DeleteOptions, type SetOptions, type StateEntry, type StatePort } from './state-port.js';

const live = or(isNull(stateEntries.expiresAt), sql`${stateEntries.expiresAt} > now()`);
const nextVersion = sql`nextval('state_entries_version_seq')`;
const expiry = (ttlSeconds: number | undefined): SQL => (ttlSeconds === undefined ? sql`null` : sql`now() + make_interval(secs => ${ttlSeconds})`);
/** Etags are the version numbers we hand out; anything else cannot match a row. */
const versionOf = (etag: string): number | undefined => (/^\d{1,15}$/.test(etag) ? Number(etag) : undefined);

/**
 * The state port over the state_entries table (PGlite when embedded, PostgreSQL otherwise).
 * Every write draws a new version from a sequence: that is the etag.
 */
export class TableStateStore implements StatePort {
  readonly kind = 'table';

  constructor(private readonly db: Db) {}

  async get(key: string): Promise<StateEntry | null> {
    assertStateKey(key);
    const [row] = await this.db
      // As text: drivers and drizzle would turn a stored JSON string such as "123" into a number.
      .select({ text: sql<string>`${stateEntries.value}::text`, version: stateEntries.version })
      .from(stateEntries)
      .where(and(eq(stateEntries.key, key), live));
    return row ? { value: JSON.parse(row.text) as unknown, etag: String(row.version) } : null;
  }

  async getMany(keys: readonly string[]): Promise<(StateEntry | null)[]> {
    keys.forEach(assertStateKey);
    if (keys.length === 0) return [];
    const rows = await this.db
      .select({ key: stateEntries.key, text: sql<string>`${stateEntries.value}::text`, version: stateEntries.version })
      .from(stateEntries)
      .where(and(inArray(stateEntries.key, [...new Set(keys)]), live));
    const found = new Map(rows.map((row) => [row.key, { value: JSON.parse(row.text) as unknown, etag: String(row.version) }]));
    return keys.map((key) => found.get(key) ?? null);
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    assertStateKey(key);
    assertSetOptions(options);
    if (value === undefined || value === null) throw new TypeError('a state value cannot be null or undefined; delete the key instead');
    const changes = { value: sql`${JSON.stringify(value)}::jsonb`, version: nextVersion, expiresAt: expiry(options.ttlSeconds), updatedAt: sql`now()` };
    const { etag } = options;
    if (etag === undefined) {
      await this.db.insert(stateEntries).values({ key, ...changes }).onConflictDoUpdate({ target: stateEntries.key, set: changes });
      return;
    }
    if (etag === null) {
      // Create only: an expired row still in the table counts as absent and is replaced.
      const created = await this.db
        .insert(stateEntries)
        .values({ key, ...changes })
        .onConflictDoUpdate({ target: stateEntries.key, set: changes, setWhere: lte(stateEntries.expiresAt, sql`now()`) })
        .returning({ version: stateEntries.version });
      if (created.length === 0) throw new ConflictError(key, 'it already exists');
      return;
    }
    const version = versionOf(etag);
    const updated =
      version === undefined
        ? []
        : await this.db
            .update(stateEntries)
            .set(changes)
            .where(and(eq(stateEntries.key, key), eq(stateEntries.version, version), live))
            .returning({ version: stateEntries.version });
    if (updated.length === 0) throw new ConflictError(key, `etag ${etag} is not current`);
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    assertStateKey(key);
    if (options.etag === undefined) {
      await this.db.delete(stateEntries).where(eq(stateEntries.key, key));
      return;
    }
    const version = versionOf(options.etag);
    const deleted =
      version === undefined
        ? []
        : await this.db
            .delete(stateEntries)
            .where(and(eq(stateEntries.key, key), eq(stateEntries.version, version), live))
            .returning({ key: stateEntries.key });
    if (deleted.length === 0) throw new ConflictError(key, `etag ${options.etag} is not current`);
  }

  /** Removes expired rows (they are already invisible); returns how many. Run it now and then. */
  async purgeExpired(): Promise<number> {
    const removed = await this.db.delete(stateEntries).where(lte(stateEntries.expiresAt, sql`now()`)).returning({ key: stateEntries.key });
    return removed.length;
  }
}
