/** A value as stored, with the etag that a conditional write or delete must present. */
export interface StateEntry {
  value: unknown;
  etag: string;
}

export interface SetOptions {
  /**
   * Optimistic concurrency. Omitted: write whatever is there (last write wins). A string: write
   * only if the entry still has this etag (from get). null: write only if the key has no entry.
   */
  etag?: string | null;
  /** The entry disappears this many seconds after the write (whole seconds, at least 1). */
  ttlSeconds?: number;
}

export interface DeleteOptions {
  /** Delete only if the entry still has this etag; omitted: delete whatever is there. */
  etag?: string;
}

/**
 * Key-value state that the replicas of a service share (DESIGN §1): a table when embedded, the
 * Dapr state store when distributed. Values are JSON; readers parse what they get (it crossed a
 * process boundary). Keys are non-empty and never contain "||" (Dapr's key separator).
 */
export interface StatePort {
  readonly kind: 'table' | 'dapr';
  get(key: string): Promise<StateEntry | null>;
  /** Several keys in one round trip; the answer lines up with `keys` (null where absent or expired). */
  getMany(keys: readonly string[]): Promise<(StateEntry | null)[]>;
  /** Throws ConflictError when an etag condition does not hold. */
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /** Deleting an absent key without an etag is a no-op; with an etag it is a ConflictError. */
  delete(key: string, options?: DeleteOptions): Promise<void>;
}

/** A conditional write or delete lost: someone changed (or created, or removed) the entry first. */
export class ConflictError extends Error {
  readonly code = 'state_conflict';
  constructor(readonly key: string, detail: string) {
    super(`state entry ${JSON.stringify(key)}: ${detail}`);
    this.name = 'ConflictError';
  }
}

/** The state store could not be reached or answered with an error that is not a conflict. */
export class StateStoreError extends Error {
  readonly code = 'state_store_error';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateStoreError';
  }
}

const MAX_KEY_LENGTH = 1000;

/** The same key rules for every adapter, so code that works embedded works under Dapr. */
export function assertStateKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) throw new RangeError(`a state key has 1 to ${MAX_KEY_LENGTH} characters`);
  if (key.includes('||')) throw new RangeError('a state key cannot contain "||" (the Dapr state store uses it as separator)');
}

export function assertSetOptions(options: SetOptions): void {
  const ttl = options.ttlSeconds;
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1)) throw new RangeError(`ttlSeconds must be a whole number of seconds, at least 1 (got ${ttl})`);
}
